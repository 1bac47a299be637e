#include "server/garbage_collector.h"

#include <algorithm>
#include <set>

namespace caravan::server {
namespace {

bool batch_like(const std::string& type) {
  return type == model::kJobTypeBatch || type == model::kJobTypeSysBatch;
}

// Finished for good: the client says so, or the server stopped it on a node
// that is gone or down (no client will ever report on it).
bool alloc_finished(const state::StateView& state, const model::Allocation& alloc) {
  if (alloc.client_terminal()) return true;
  if (!alloc.server_terminal()) return false;
  state::NodePtr node = state.node(alloc.node_id);
  return node == nullptr || node->status == model::kNodeStatusDown;
}

bool older_than(int64_t time_ns, std::chrono::nanoseconds threshold, int64_t now_ns) {
  return now_ns - time_ns >= threshold.count();
}

// A job with nothing left to do: stopped, or dead (a finished batch job).
bool job_finished(const model::Job& job) {
  return job.stop || job.status == model::kJobStatusDead;
}

}  // namespace

GcPlan plan_garbage_collection(const state::StateView& state, const GcThresholds& thresholds,
                               int64_t now_ns) {
  GcPlan plan;
  std::set<std::string> alloc_ids;

  for (const state::JobPtr& job : state.jobs("")) {
    if (job->periodic || job->parameterized_job) continue;  // parents stay until purged
    std::vector<state::EvalPtr> evals = state.evals_by_job(job->namespace_name, job->id);
    std::vector<state::AllocPtr> allocs = state.allocs_by_job(job->namespace_name, job->id);

    // The whole job goes when it is finished and everything of it is too.
    if (job_finished(*job)) {
      int64_t last_change = job->submit_time;
      bool done = true;
      for (const state::EvalPtr& eval : evals) {
        done = done && eval->terminal();
        last_change = std::max(last_change, eval->modify_time);
      }
      for (const state::AllocPtr& alloc : allocs) {
        done = done && alloc_finished(state, *alloc);
        last_change = std::max(last_change, alloc->modify_time);
      }
      if (done && older_than(last_change, thresholds.job, now_ns)) {
        for (const state::EvalPtr& eval : evals) plan.eval_ids.push_back(eval->id);
        for (const state::AllocPtr& alloc : allocs) alloc_ids.insert(alloc->id);
        plan.jobs.push_back(GcJob{job->namespace_name, job->id, job->job_modify_index});
        continue;
      }
    }

    // A live batch job keeps its history: the scheduler counts finished allocations.
    if (batch_like(job->type) && !job_finished(*job)) continue;
    std::chrono::nanoseconds threshold = batch_like(job->type) ? thresholds.batch_eval : thresholds.eval;
    std::set<std::string> eval_ids;
    for (const state::EvalPtr& eval : evals) {
      if (!eval->terminal() || !older_than(eval->modify_time, threshold, now_ns)) continue;
      bool allocs_finished = std::all_of(allocs.begin(), allocs.end(), [&](const state::AllocPtr& a) {
        return a->eval_id != eval->id || alloc_finished(state, *a);
      });
      if (!allocs_finished) continue;
      eval_ids.insert(eval->id);
      plan.eval_ids.push_back(eval->id);
    }
    // Finished allocations go with their evaluation, or alone once that is gone.
    for (const state::AllocPtr& alloc : allocs) {
      if (!alloc_finished(state, *alloc)) continue;
      bool eval_collected = eval_ids.count(alloc->eval_id) != 0;
      bool orphan = state.eval(alloc->eval_id) == nullptr &&
                    older_than(alloc->modify_time, threshold, now_ns);
      if (eval_collected || orphan) alloc_ids.insert(alloc->id);
    }
  }
  plan.alloc_ids.assign(alloc_ids.begin(), alloc_ids.end());
  return plan;
}

}  // namespace caravan::server
