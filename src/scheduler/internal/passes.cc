#include "scheduler/internal/passes.h"

#include "scheduler/feasible.h"
#include "scheduler/reconcile.h"
#include "scheduler/system_reconcile.h"

namespace caravan::scheduler::internal {

PassOutput generic_pass(EvalContext& ctx, const model::Evaluation& eval) {
  state::JobPtr job = eval_job(ctx.state, eval);
  std::vector<state::AllocPtr> allocs = ctx.state.allocs_by_job(eval.namespace_name, eval.job_id);
  ReconcileResult decisions = reconcile({eval, job, allocs, ctx.state, ctx.now});
  return execute_plan(ctx, eval, job, allocs, std::move(decisions));
}

PassOutput system_pass(EvalContext& ctx, const model::Evaluation& eval) {
  state::JobPtr job = eval_job(ctx.state, eval);
  std::vector<state::AllocPtr> allocs = ctx.state.allocs_by_job(eval.namespace_name, eval.job_id);
  std::vector<state::NodePtr> nodes;
  if (job && !job->stop) nodes = ctx.state.nodes();
  auto feasible = [&](const model::TaskGroup& group, const model::Node& node) {
    return is_candidate(*job, node) && !infeasible_reason(*job, group, node, ctx.checker);
  };
  ReconcileResult decisions =
      system_reconcile({eval, job, allocs, ctx.state, ctx.now}, nodes, feasible);
  return execute_plan(ctx, eval, job, allocs, std::move(decisions));
}

}  // namespace caravan::scheduler::internal
