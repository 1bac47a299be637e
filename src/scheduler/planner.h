// Planner: the seam between a scheduler and the server. A scheduler computes a
// plan from a state snapshot and hands it to the Planner, which commits it (the
// plan applier on the leader) or merely records it (`job plan`'s dry run). It
// also receives the evaluation's final status and any evaluation the scheduler
// creates (follow-ups for delayed reschedules and rolling updates, blocked ones).
#pragma once

#include "core/status.h"
#include "model/evaluation.h"
#include "model/plan.h"
#include "state/state_view.h"

namespace caravan::scheduler {

// What became of a submitted plan.
struct PlanSubmitResult {
  // What was committed. Compare with the plan (PlanResult::full_commit) to learn
  // whether everything went in.
  model::PlanResult result;
  // When the plan was not fully committed: a snapshot at least as new as
  // result.refresh_index to plan against again. May be null, in which case the
  // scheduler retries against the snapshot it already has.
  state::StateViewPtr refreshed_state;
};

class Planner {
 public:
  virtual ~Planner() = default;

  // Submits `plan` for commit. The plan carries the snapshot index it was
  // computed against; the implementation fills in the broker's eval token. A
  // dry-run planner records the plan and reports it fully committed. Errors
  // (applier unavailable, lost leadership, token mismatch) are returned as a
  // Status; the scheduler stops and returns it, so the eval is nacked.
  virtual Result<PlanSubmitResult> submit_plan(const model::Plan& plan) = 0;

  // Records the evaluation's outcome (status, FailedTGAllocs, QueuedAllocations,
  // BlockedEval). Called exactly once per process_eval that returns OK.
  virtual Status update_eval(const model::Evaluation& eval) = 0;

  // Creates a new evaluation: a follow-up ("alloc-failure" with wait_until, or
  // "rolling-update") in status pending, or a blocked one ("queued-allocs",
  // "max-plan-attempts") in status blocked. Called before the plan that refers
  // to it (Allocation::followup_eval_id) is submitted.
  virtual Status create_eval(const model::Evaluation& eval) = 0;
};

}  // namespace caravan::scheduler
