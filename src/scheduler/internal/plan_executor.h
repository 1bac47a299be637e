// Turns a reconciler's decisions into a plan: stops, follow-up annotations,
// in-place updates (re-checked for feasibility, else made destructive) and
// placements through the Stack, recording per-group failure metrics and queued
// counts. Shared by the service/batch and the system schedulers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/evaluation.h"
#include "model/plan.h"
#include "scheduler/context.h"
#include "scheduler/reconcile.h"

namespace caravan::scheduler::internal {

// One scheduling pass over a snapshot.
struct PassOutput {
  model::Plan plan;
  std::map<std::string, model::AllocMetric> failed_tg_allocs;
  std::map<std::string, int> queued;               // per group: placements not made
  std::vector<model::Evaluation> evals_to_create;  // follow-ups, before the plan
};

// Builds the plan for `job` (null or stopped: only stops) from `decisions`.
// `allocs` is every allocation of the job in the snapshot.
PassOutput execute_plan(EvalContext& ctx, const model::Evaluation& eval, const state::JobPtr& job,
                        const std::vector<state::AllocPtr>& allocs, ReconcileResult decisions);

// The job an evaluation is about; null when purged.
state::JobPtr eval_job(const state::StateView& state, const model::Evaluation& eval);

}  // namespace caravan::scheduler::internal
