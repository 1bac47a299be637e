#include "scheduler/internal/reconcile_helpers.h"

#include <chrono>

#include "scheduler/task_updates.h"

namespace caravan::scheduler::internal {

SortedUpdates sort_updates(const model::Job& job, const model::TaskGroup& group,
                           const std::vector<state::AllocPtr>& live,
                           model::DesiredUpdates& updates, ReconcileResult& out) {
  SortedUpdates sorted;
  for (const state::AllocPtr& alloc : live) {
    if (same_version(*alloc, job)) {
      ++updates.ignore;
      sorted.current.push_back(alloc);
      if (alloc->client_status == model::kAllocClientPending) ++sorted.pending;
      continue;
    }
    const model::TaskGroup* old_group = alloc->job ? find_group(*alloc->job, group.name) : nullptr;
    if (!old_group || tasks_updated(*alloc->job, *old_group, job, group)) {
      sorted.destructive.push_back(alloc);
    } else {
      out.in_place.push_back({alloc, &group, ""});
      ++updates.in_place_update;
    }
  }
  return sorted;
}

bool limit_destructive(std::vector<state::AllocPtr>& destructive, int limit,
                       model::DesiredUpdates& updates) {
  bool waiting = false;
  if (limit >= 0 && destructive.size() > static_cast<size_t>(limit)) {
    updates.ignore += static_cast<int>(destructive.size()) - limit;
    destructive.resize(limit);
    waiting = true;
  }
  updates.destructive_update += static_cast<int>(destructive.size());
  return waiting;
}

PlacementRequest destructive_placement(const model::TaskGroup& group,
                                       const state::AllocPtr& previous) {
  PlacementRequest p;
  p.group = &group;
  p.name = previous->name;
  p.previous = previous;
  p.stop_previous = true;
  p.stop_description = kDescUpdating;
  return p;
}

void stop_allocs(const std::vector<state::AllocPtr>& allocs, const char* description,
                 ReconcileResult& out) {
  for (const state::AllocPtr& alloc : allocs) {
    if (alloc->terminal()) continue;
    out.stops.push_back({alloc, description, ""});
    ++out.desired_tg_updates[alloc->task_group].stop;
  }
}

FollowupRequest rolling_followup(const model::Evaluation& parent, const model::Job& job,
                                 int64_t now) {
  // The first group's stagger wins over the job's, as group blocks override.
  Duration stagger = std::chrono::seconds(30);
  if (job.update && job.update->stagger) stagger = *job.update->stagger;
  for (const model::TaskGroup& group : job.task_groups) {
    if (group.update && group.update->stagger) {
      stagger = *group.update->stagger;
      break;
    }
  }
  return {followup_eval(parent, job, model::kEvalTriggerRollingUpdate, now + stagger.count()), {}};
}

}  // namespace caravan::scheduler::internal
