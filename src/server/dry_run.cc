#include "server/dry_run.h"

#include "core/uuid.h"
#include "server/job_overlay_view.h"

namespace caravan::server {
namespace {

class RecordingPlanner final : public scheduler::Planner {
 public:
  explicit RecordingPlanner(DryRunResult& out) : out_(out) {}

  Result<scheduler::PlanSubmitResult> submit_plan(const model::Plan& plan) override {
    out_.plan = plan;
    scheduler::PlanSubmitResult result;
    result.result.node_update = plan.node_update;
    result.result.node_allocation = plan.node_allocation;
    return result;
  }
  Status update_eval(const model::Evaluation& eval) override {
    out_.eval = eval;
    return Status();
  }
  Status create_eval(const model::Evaluation& eval) override {
    out_.created_evals.push_back(eval);
    return Status();
  }

 private:
  DryRunResult& out_;
};

}  // namespace

DryRunResult dry_run_job(const model::Job& job, const state::StateViewPtr& state,
                         scheduler::SchedulerConfig config) {
  auto proposed = std::make_shared<model::Job>(job);
  if (proposed->namespace_name.empty()) proposed->namespace_name = "default";
  if (state::JobPtr current = state->job(proposed->namespace_name, proposed->id)) {
    proposed->version = current->version + 1;
    proposed->create_index = current->create_index;
  }
  proposed->job_modify_index = state->index() + 1;
  auto view = std::make_shared<JobOverlayView>(state, proposed);

  model::Evaluation eval;
  eval.id = generate_uuid();
  eval.namespace_name = proposed->namespace_name;
  eval.priority = proposed->priority > 0 ? proposed->priority : 50;
  eval.type = proposed->type.empty() ? std::string(model::kJobTypeService) : proposed->type;
  eval.triggered_by = model::kEvalTriggerJobRegister;
  eval.job_id = proposed->id;
  eval.job_modify_index = proposed->job_modify_index;
  eval.annotate_plan = true;
  eval.status = model::kEvalStatusPending;

  DryRunResult out;
  RecordingPlanner planner(out);
  out.status = scheduler::process_eval(eval, view, planner, config);
  return out;
}

void annotate_diff(model::JobDiff& diff, const model::PlanAnnotations& annotations) {
  for (model::TaskGroupDiff& group : diff.task_groups) {
    auto found = annotations.desired_tg_updates.find(group.name);
    if (found == annotations.desired_tg_updates.end()) continue;
    const model::DesiredUpdates& u = found->second;
    auto put = [&](const char* kind, int count) {
      if (count > 0) group.updates[kind] = count;
    };
    put("create", u.place);
    put("destroy", u.stop);
    put("in-place update", u.in_place_update);
    put("create/destroy update", u.destructive_update);
    put("ignore", u.ignore);
    put("canary", u.canary);
    put("migrate", u.migrate);
    const char* task_annotation = nullptr;
    if (group.type == model::DiffType::kAdded) {
      task_annotation = "forces create";
    } else if (group.type == model::DiffType::kDeleted) {
      task_annotation = "forces destroy";
    } else if (u.destructive_update > 0) {
      task_annotation = "forces create/destroy update";
    } else if (u.in_place_update > 0) {
      task_annotation = "forces in-place update";
    }
    if (task_annotation == nullptr) continue;
    for (model::TaskDiff& task : group.tasks) {
      if (task.type != model::DiffType::kNone) task.annotations.push_back(task_annotation);
    }
  }
}

}  // namespace caravan::server
