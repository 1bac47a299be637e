#include "scheduler/internal/job_deployment.h"

#include "core/uuid.h"

namespace caravan::scheduler::internal {

JobDeployment::JobDeployment(const state::StateView& state, const std::string& ns,
                             const std::string& job_id, const model::Job* job, int64_t now)
    : now_(now) {
  state::DeploymentPtr latest = state.latest_deployment(ns, job_id);
  if (latest == nullptr) return;
  bool same = job != nullptr && !job->stop && latest->job_version == job->version &&
              latest->job_create_index == job->create_index;
  if (same) {
    existing_ = std::move(latest);
    return;
  }
  if (!latest->active()) return;
  cancelled.push_back({latest->id, model::kDeploymentCancelled,
                       job == nullptr || job->stop ? model::kDeploymentDescStoppedJob
                                                   : model::kDeploymentDescNewerJob});
}

bool JobDeployment::governs(const model::Job& job, const model::TaskGroup& group) {
  if (job.type != model::kJobTypeService) return false;
  const std::optional<model::UpdateStrategy>& update = group.update ? group.update : job.update;
  return update && update->max_parallel.value_or(0) > 0;
}

const model::Deployment* JobDeployment::current() const {
  if (created) return &*created;
  return existing_.get();
}

const model::Deployment* JobDeployment::active() const {
  const model::Deployment* d = current();
  return d != nullptr && d->active() ? d : nullptr;
}

bool JobDeployment::running() const {
  const model::Deployment* d = current();
  return d == nullptr || d->status == model::kDeploymentRunning;
}

bool JobDeployment::promoted(const std::string& group) const {
  const model::Deployment* d = current();
  if (d == nullptr) return false;
  auto it = d->task_groups.find(group);
  return it != d->task_groups.end() && (it->second.desired_canaries == 0 || it->second.promoted);
}

void JobDeployment::require(const model::Job& job, const model::TaskGroup& group,
                            int desired_canaries) {
  if (existing_ != nullptr) return;
  if (!created) {
    created.emplace();
    created->id = generate_uuid();
    created->namespace_name = job.namespace_name.empty() ? "default" : job.namespace_name;
    created->job_id = job.id;
    created->job_version = job.version;
    created->job_modify_index = job.job_modify_index;
    created->job_create_index = job.create_index;
    created->create_time = now_;
  }
  if (created->task_groups.count(group.name)) return;
  const model::UpdateStrategy& update = group.update ? *group.update : *job.update;
  model::DeploymentGroupState& state = created->task_groups[group.name];
  state.auto_revert = update.auto_revert.value_or(false);
  state.auto_promote = update.auto_promote.value_or(false);
  state.progress_deadline = update.progress_deadline.value_or(Duration(0));
  state.desired_canaries = desired_canaries;
  state.desired_total = group.count.value_or(1);
  if (created->requires_promotion()) {
    bool all_auto = true;
    for (const auto& [name, g] : created->task_groups) {
      if (g.desired_canaries > 0 && !g.auto_promote) all_auto = false;
    }
    created->status_description = all_auto ? model::kDeploymentDescAutoPromotion
                                            : model::kDeploymentDescNeedsPromotion;
  }
}

bool is_canary(const model::Allocation& alloc) {
  return alloc.deployment_status && alloc.deployment_status->canary;
}

}  // namespace caravan::scheduler::internal
