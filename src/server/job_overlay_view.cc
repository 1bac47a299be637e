#include "server/job_overlay_view.h"

#include <algorithm>

namespace caravan::server {

std::vector<state::JobPtr> JobOverlayView::jobs(std::string_view ns) const {
  std::vector<state::JobPtr> all = base_->jobs(ns);
  if (!ns.empty() && ns != proposed_->namespace_name) return all;
  auto same = std::find_if(all.begin(), all.end(), [&](const state::JobPtr& j) {
    return j->namespace_name == proposed_->namespace_name && j->id == proposed_->id;
  });
  if (same != all.end()) {
    *same = proposed_;
  } else {
    auto at = std::lower_bound(all.begin(), all.end(), proposed_, [](const auto& a, const auto& b) {
      return std::tie(a->namespace_name, a->id) < std::tie(b->namespace_name, b->id);
    });
    all.insert(at, proposed_);
  }
  return all;
}

}  // namespace caravan::server
