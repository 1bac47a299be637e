#include "model/plan.h"

namespace caravan::model {
namespace {

size_t count_allocs(const std::map<std::string, std::vector<Allocation>>& by_node) {
  size_t n = 0;
  for (const auto& [node, allocs] : by_node) n += allocs.size();
  return n;
}

}  // namespace

bool PlanResult::full_commit(const Plan& plan) const {
  return count_allocs(node_allocation) == count_allocs(plan.node_allocation) &&
         count_allocs(node_update) == count_allocs(plan.node_update);
}

}  // namespace caravan::model
