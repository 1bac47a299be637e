// Pieces shared by the service/batch and the system reconcilers: sorting live
// allocations into unchanged, in-place and destructive updates under the
// rolling-update limit, stopping whole sets, and the rolling-update follow-up.
#pragma once

#include <vector>

#include "scheduler/reconcile.h"

namespace caravan::scheduler::internal {

// Sorts `live` allocations of `group` (counted in `updates`): current version →
// ignore; compatible → out.in_place; otherwise destructive. Returns the
// destructive ones that may start now (update.max_parallel minus pending
// new-version allocations); sets `rolling` when others must wait.
std::vector<state::AllocPtr> sort_updates(const model::Job& job, const model::TaskGroup& group,
                                          const std::vector<state::AllocPtr>& live,
                                          model::DesiredUpdates& updates, ReconcileResult& out,
                                          bool& rolling);

// A placement replacing `previous` with the new version (stopping it once placed).
PlacementRequest destructive_placement(const model::TaskGroup& group,
                                       const state::AllocPtr& previous);

// Stops every non-terminal allocation of `allocs`, counting stops per group.
void stop_allocs(const std::vector<state::AllocPtr>& allocs, const char* description,
                 ReconcileResult& out);

// The "rolling-update" follow-up evaluation, due one update stagger from `now`.
FollowupRequest rolling_followup(const model::Evaluation& parent, const model::Job& job,
                                 int64_t now);

}  // namespace caravan::scheduler::internal
