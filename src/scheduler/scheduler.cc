#include "scheduler/scheduler.h"

#include <chrono>
#include <random>
#include <string>

#include "core/uuid.h"
#include "scheduler/internal/passes.h"

namespace caravan::scheduler {
namespace {

enum class Family { kGeneric, kSystem };

int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

size_t count(const std::map<std::string, std::vector<model::Allocation>>& by_node) {
  size_t n = 0;
  for (const auto& [node, allocs] : by_node) n += allocs.size();
  return n;
}

// A blocked evaluation that retries the job's unplaced allocations when capacity
// changes (trigger "queued-allocs"), or after the plan kept failing to commit
// ("max-plan-attempts").
model::Evaluation blocked_eval(const model::Evaluation& parent, const std::string& trigger,
                               int64_t snapshot_index) {
  model::Evaluation eval;
  eval.id = generate_uuid();
  eval.namespace_name = parent.namespace_name;
  eval.priority = parent.priority;
  eval.type = parent.type;
  eval.triggered_by = trigger;
  eval.job_id = parent.job_id;
  eval.job_modify_index = parent.job_modify_index;
  eval.status = model::kEvalStatusBlocked;
  eval.status_description = "created to place remaining allocations";
  eval.previous_eval = parent.id;
  eval.class_eligibility = parent.class_eligibility;
  eval.escaped_computed_class = true;  // no computed classes yet: any change may help
  eval.snapshot_index = snapshot_index;
  return eval;
}

class EvalRunner {
 public:
  EvalRunner(const model::Evaluation& eval, state::StateViewPtr state, Planner& planner,
             const SchedulerConfig& config, Family family)
      : eval_(eval),
        state_(std::move(state)),
        planner_(planner),
        config_(config),
        family_(family) {}

  Status run() {
    const bool batch_like =
        eval_.type == model::kJobTypeBatch || eval_.type == model::kJobTypeSysBatch;
    const int max_attempts = batch_like ? config_.batch_max_attempts : config_.service_max_attempts;
    const int64_t now = config_.now_ns != 0 ? config_.now_ns : wall_clock_ns();
    uint64_t seed = config_.seed != 0 ? config_.seed : std::random_device{}();
    int failures = 0;
    while (true) {
      EvalContext ctx(*state_, config_, seed++, now);
      internal::PassOutput pass = family_ == Family::kGeneric ? internal::generic_pass(ctx, eval_)
                                                              : internal::system_pass(ctx, eval_);
      for (const model::Evaluation& followup : pass.evals_to_create) {
        CARAVAN_RETURN_IF_ERROR(planner_.create_eval(followup));
      }
      last_ = std::move(pass);
      if (last_.plan.empty() && !eval_.annotate_plan) break;
      Result<PlanSubmitResult> submitted = planner_.submit_plan(last_.plan);
      if (!submitted) return submitted.error();
      if (submitted->result.full_commit(last_.plan)) break;
      bool progress =
          count(submitted->result.node_allocation) + count(submitted->result.node_update) > 0;
      if (submitted->refreshed_state) state_ = std::move(submitted->refreshed_state);
      failures = progress ? 0 : failures + 1;
      if (failures >= max_attempts) return fail(max_attempts);
    }
    return complete();
  }

 private:
  Status complete() {
    model::Evaluation done = eval_;
    done.status = model::kEvalStatusComplete;
    done.status_description.clear();
    done.failed_tg_allocs = last_.failed_tg_allocs;
    done.queued_allocations = last_.queued;
    done.snapshot_index = state_->index();
    // The deployment this evaluation started (`job run` monitors it).
    if (last_.plan.deployment) done.deployment_id = last_.plan.deployment->id;
    if (family_ == Family::kGeneric && !last_.failed_tg_allocs.empty()) {
      model::Evaluation blocked =
          blocked_eval(eval_, model::kEvalTriggerQueuedAllocs, state_->index());
      CARAVAN_RETURN_IF_ERROR(planner_.create_eval(blocked));
      done.blocked_eval = blocked.id;
    }
    return planner_.update_eval(done);
  }

  Status fail(int attempts) {
    model::Evaluation failed = eval_;
    failed.status = model::kEvalStatusFailed;
    failed.status_description = "maximum attempts reached (" + std::to_string(attempts) + ")";
    failed.failed_tg_allocs = last_.failed_tg_allocs;
    failed.queued_allocations = last_.queued;
    failed.snapshot_index = state_->index();
    if (family_ == Family::kGeneric) {
      model::Evaluation blocked = blocked_eval(eval_, model::kEvalTriggerMaxPlans, state_->index());
      CARAVAN_RETURN_IF_ERROR(planner_.create_eval(blocked));
      failed.blocked_eval = blocked.id;
    }
    return planner_.update_eval(failed);
  }

  const model::Evaluation& eval_;
  state::StateViewPtr state_;
  Planner& planner_;
  const SchedulerConfig& config_;
  Family family_;
  internal::PassOutput last_;
};

}  // namespace

Status process_eval(const model::Evaluation& eval, state::StateViewPtr state, Planner& planner,
                    const SchedulerConfig& config) {
  Family family = Family::kGeneric;
  if (eval.type == model::kJobTypeSystem || eval.type == model::kJobTypeSysBatch) {
    family = Family::kSystem;
  } else if (eval.type != model::kJobTypeService && eval.type != model::kJobTypeBatch) {
    model::Evaluation failed = eval;
    failed.status = model::kEvalStatusFailed;
    failed.status_description = "scheduler type \"" + eval.type + "\" is not supported";
    return planner.update_eval(failed);
  }
  if (!state) return invalid_argument("process_eval: no state snapshot to plan against");
  return EvalRunner(eval, std::move(state), planner, config, family).run();
}

}  // namespace caravan::scheduler
