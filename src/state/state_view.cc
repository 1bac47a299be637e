#include "state/state_view.h"

namespace caravan::state {

std::shared_ptr<const model::NodeUsage> StateView::node_usage(std::string_view node_id) const {
  std::shared_ptr<model::NodeUsage> usage;
  for (const AllocPtr& alloc : allocs_by_node(node_id)) {
    if (alloc->terminal()) continue;
    if (!usage) usage = std::make_shared<model::NodeUsage>();
    model::apply_alloc_usage(*usage, *alloc, 1);
  }
  return usage;
}

}  // namespace caravan::state
