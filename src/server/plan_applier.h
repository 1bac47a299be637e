// PlanApplier: the leader's single committer of scheduler plans (the plan
// queue). Scheduler workers plan against snapshots that may be stale; the
// applier re-checks every node of a plan against the newest state — the node is
// still there and ready, and everything proposed on it fits (cpu, memory, disk,
// ports) — commits what still fits in one ApplyPlanResults log entry and tells
// the worker which index to refresh to for the rest (optimistic concurrency).
#pragma once

#include <mutex>
#include <string>

#include "core/status.h"
#include "model/plan.h"
#include "scheduler/planner.h"
#include "state/state_store.h"

namespace caravan::server {

class EvalBroker;

class PlanApplier {
 public:
  // Borrows both; they must outlive the applier.
  PlanApplier(state::StateStore& store, EvalBroker& broker) : store_(store), broker_(broker) {}

  // Checks and commits `plan` (one at a time, in submission order). Fails with
  // FailedPrecondition when the plan's evaluation token is no longer held (the
  // broker redelivered the evaluation to another worker) and with the log's
  // error when the commit failed; otherwise returns what was committed and,
  // after a partial commit, the snapshot to plan against again.
  Result<scheduler::PlanSubmitResult> apply(const model::Plan& plan);

 private:
  state::StateStore& store_;
  EvalBroker& broker_;
  std::mutex queue_;  // one plan evaluated and committed at a time
};

// Whether the allocations `plan` proposes for `node_id` fit there in `state`:
// the node's non-terminal allocations, minus those the plan stops, plus the
// plan's placements. `reason` (may be null) receives why not.
bool plan_fits_node(const state::StateView& state, const model::Plan& plan,
                    const std::string& node_id, std::string* reason);

}  // namespace caravan::server
