// One scheduling pass per scheduler family: read the job and its allocations
// from the snapshot, reconcile, and execute the decisions into a plan.
// generic_pass serves service and batch jobs, system_pass system and sysbatch.
#pragma once

#include "model/evaluation.h"
#include "scheduler/context.h"
#include "scheduler/internal/plan_executor.h"

namespace caravan::scheduler::internal {

PassOutput generic_pass(EvalContext& ctx, const model::Evaluation& eval);
PassOutput system_pass(EvalContext& ctx, const model::Evaluation& eval);

}  // namespace caravan::scheduler::internal
