// Pieces shared by the service/batch and the system reconcilers: sorting live
// allocations into unchanged, in-place and destructive updates under the
// rolling-update limit, stopping whole sets, and the rolling-update follow-up.
#pragma once

#include <vector>

#include "scheduler/reconcile.h"

namespace caravan::scheduler::internal {

// `live` allocations of `group` sorted by what the new version needs of them.
struct SortedUpdates {
  std::vector<state::AllocPtr> current;      // already run the current version
  std::vector<state::AllocPtr> destructive;  // must be replaced
  int pending = 0;                           // current-version ones not running yet
};

// Sorts `live` allocations of `group` (counted in `updates`): current version →
// ignore; compatible → out.in_place; otherwise destructive (not yet counted).
SortedUpdates sort_updates(const model::Job& job, const model::TaskGroup& group,
                           const std::vector<state::AllocPtr>& live,
                           model::DesiredUpdates& updates, ReconcileResult& out);

// Keeps the first `limit` destructive updates (-1 = all), counting the rest as
// ignored and the kept ones as destructive updates; true when some must wait.
bool limit_destructive(std::vector<state::AllocPtr>& destructive, int limit,
                       model::DesiredUpdates& updates);

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
