// The Server's deployment operations: promote, fail, pause/resume, manual
// allocation health and job revert (declared in server.h).
#include <fmt/format.h>

#include "server/server.h"

namespace caravan::server {
namespace {

Status deployment_not_found(const std::string& id) {
  return not_found(fmt::format("deployment \"{}\" not found", id));
}

}  // namespace

Result<std::string> Server::promote_deployment(const std::string& id, bool all,
                                               const std::vector<std::string>& groups) {
  state::StateViewPtr snapshot = store_->snapshot();
  state::DeploymentPtr d = snapshot->deployment(id);
  if (d == nullptr) return deployment_not_found(id);
  state::JobPtr job = snapshot->job(d->namespace_name, d->job_id);
  if (job == nullptr) return not_found(fmt::format("job \"{}\" not found", d->job_id));
  model::Evaluation eval = new_eval(*job, model::kEvalTriggerDeploymentWatcher);
  eval.deployment_id = id;
  state::DeploymentPromote req{id, all || groups.empty(), groups, eval};
  CARAVAN_RETURN_IF_ERROR(apply_with_evals(state::LogRequest{std::move(req)}, {eval}).status());
  return eval.id;
}

Result<std::string> Server::fail_deployment(const std::string& id) {
  state::StateViewPtr snapshot = store_->snapshot();
  state::DeploymentPtr d = snapshot->deployment(id);
  if (d == nullptr) return deployment_not_found(id);
  state::JobPtr job = snapshot->job(d->namespace_name, d->job_id);
  if (job == nullptr) return not_found(fmt::format("job \"{}\" not found", d->job_id));
  if (!d->active()) {
    return failed_precondition(fmt::format("deployment \"{}\" is {}: only a running or paused "
                                           "deployment can be failed",
                                           id, d->status));
  }
  state::DeploymentStatusChange change;
  change.update = {id, model::kDeploymentFailed, model::kDeploymentDescFailedByUser};
  bool revert = false;
  for (const auto& [name, group] : d->task_groups) revert = revert || group.auto_revert;
  if (revert) {
    for (const state::JobPtr& version : snapshot->job_versions(d->namespace_name, d->job_id)) {
      if (version->stable && version->version < d->job_version) {
        change.job = *version;
        change.update.status_description +=
            fmt::format(" - rolling back to job version {}", version->version);
        break;
      }
    }
  }
  model::Evaluation eval = new_eval(*job, model::kEvalTriggerDeploymentWatcher);
  eval.deployment_id = id;
  change.eval = eval;
  CARAVAN_RETURN_IF_ERROR(apply_with_evals(state::LogRequest{std::move(change)}, {eval}).status());
  return eval.id;
}

Result<std::string> Server::pause_deployment(const std::string& id, bool pause) {
  state::StateViewPtr snapshot = store_->snapshot();
  state::DeploymentPtr d = snapshot->deployment(id);
  if (d == nullptr) return deployment_not_found(id);
  state::JobPtr job = snapshot->job(d->namespace_name, d->job_id);
  if (job == nullptr) return not_found(fmt::format("job \"{}\" not found", d->job_id));
  state::DeploymentStatusChange change;
  if (pause) {
    change.update = {id, model::kDeploymentPaused, model::kDeploymentDescPaused};
  } else {
    std::string description = model::kDeploymentDescRunning;
    if (d->requires_promotion()) description = model::kDeploymentDescNeedsPromotion;
    change.update = {id, model::kDeploymentRunning, description};
  }
  model::Evaluation eval = new_eval(*job, model::kEvalTriggerDeploymentWatcher);
  eval.deployment_id = id;
  change.eval = eval;
  CARAVAN_RETURN_IF_ERROR(apply_with_evals(state::LogRequest{std::move(change)}, {eval}).status());
  return eval.id;
}

Result<std::string> Server::set_deployment_alloc_health(const std::string& id,
                                                        const std::vector<std::string>& healthy,
                                                        const std::vector<std::string>& unhealthy) {
  state::StateViewPtr snapshot = store_->snapshot();
  state::DeploymentPtr d = snapshot->deployment(id);
  if (d == nullptr) return deployment_not_found(id);
  state::JobPtr job = snapshot->job(d->namespace_name, d->job_id);
  if (job == nullptr) return not_found(fmt::format("job \"{}\" not found", d->job_id));
  if (healthy.empty() && unhealthy.empty()) {
    return invalid_argument("name at least one allocation in HealthyAllocationIDs or "
                            "UnhealthyAllocationIDs");
  }
  model::Evaluation eval = new_eval(*job, model::kEvalTriggerDeploymentWatcher);
  eval.deployment_id = id;
  state::DeploymentAllocHealth req{id, healthy, unhealthy, eval};
  CARAVAN_RETURN_IF_ERROR(apply_with_evals(state::LogRequest{std::move(req)}, {eval}).status());
  return eval.id;
}

Result<RegisterJobResult> Server::revert_job(const std::string& ns, const std::string& job_id,
                                             int64_t version,
                                             std::optional<int64_t> enforce_prior_version) {
  state::StateViewPtr snapshot = store_->snapshot();
  state::JobPtr current = snapshot->job(ns, job_id);
  if (current == nullptr) {
    return not_found(fmt::format("job \"{}\" in namespace \"{}\" not found", job_id, ns));
  }
  if (enforce_prior_version && current->version != *enforce_prior_version) {
    return failed_precondition(fmt::format("current job version {} does not match the enforced "
                                           "prior version {}",
                                           current->version, *enforce_prior_version));
  }
  if (version == current->version) {
    return invalid_argument(fmt::format(
        "can not revert job \"{}\" to version {}: it is the current version", job_id, version));
  }
  state::JobPtr old = snapshot->job_version(ns, job_id, version);
  if (old == nullptr) {
    return not_found(fmt::format("job \"{}\" has no version {} (the server keeps the last "
                                 "versions; `caravan job history {}` lists them)",
                                 job_id, version, job_id));
  }
  return register_job(*old, std::nullopt);
}

}  // namespace caravan::server
