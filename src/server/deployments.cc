// The Server's deployment operations: promote, fail, pause/resume, manual
// allocation health, job revert and job version stability (declared in
// server.h).
#include <fmt/format.h>

#include <functional>

#include "server/server.h"

namespace caravan::server {
namespace {

// What every deployment write starts from: the deployment, its job and the
// evaluation that follows the write.
struct DeploymentWrite {
  state::DeploymentPtr deployment;
  model::Evaluation eval;
};

// Looks up deployment `id` in `snapshot` and prepares the evaluation of its job.
Result<DeploymentWrite> prepare_write(const state::StateView& snapshot,
                                             const std::string& id,
                                             const std::function<model::Evaluation(const model::Job&)>& new_eval) {
  state::DeploymentPtr d = snapshot.deployment(id);
  if (d == nullptr) return not_found(fmt::format("deployment \"{}\" not found", id));
  state::JobPtr job = snapshot.job(d->namespace_name, d->job_id);
  if (job == nullptr) return not_found(fmt::format("job \"{}\" not found", d->job_id));
  model::Evaluation eval = new_eval(*job);
  eval.deployment_id = id;
  return DeploymentWrite{std::move(d), std::move(eval)};
}

// The error for a job version the server does not keep (any more).
Status no_such_version(const std::string& job_id, int64_t version) {
  return not_found(fmt::format("job \"{}\" has no version {} (the server keeps the last "
                               "versions; `caravan job history {}` lists them)",
                               job_id, version, job_id));
}

}  // namespace

std::function<model::Evaluation(const model::Job&)> Server::deployment_eval() const {
  return [this](const model::Job& job) {
    return new_eval(job, model::kEvalTriggerDeploymentWatcher);
  };
}

Result<std::string> Server::apply_deployment_write(state::LogRequest request,
                                                   const model::Evaluation& eval) {
  CARAVAN_RETURN_IF_ERROR(apply_with_evals(std::move(request), {eval}).status());
  return eval.id;
}

Result<std::string> Server::promote_deployment(const std::string& id, bool all,
                                               const std::vector<std::string>& groups) {
  DeploymentWrite w = CARAVAN_TRY(prepare_write(*store_->snapshot(), id, deployment_eval()));
  return apply_deployment_write(
      state::LogRequest{state::DeploymentPromote{id, all || groups.empty(), groups, w.eval}},
      w.eval);
}

Result<std::string> Server::fail_deployment(const std::string& id) {
  state::StateViewPtr snapshot = store_->snapshot();
  DeploymentWrite w = CARAVAN_TRY(prepare_write(*snapshot, id, deployment_eval()));
  if (!w.deployment->active()) {
    return failed_precondition(fmt::format("deployment \"{}\" is {}: only a running or paused "
                                           "deployment can be failed",
                                           id, w.deployment->status));
  }
  state::DeploymentStatusChange change = deployment_failure(
      *snapshot, *w.deployment, model::kDeploymentDescFailedByUser, w.eval);
  return apply_deployment_write(state::LogRequest{std::move(change)}, w.eval);
}

Result<std::string> Server::pause_deployment(const std::string& id, bool pause) {
  DeploymentWrite w = CARAVAN_TRY(prepare_write(*store_->snapshot(), id, deployment_eval()));
  state::DeploymentStatusChange change;
  if (pause) {
    change.update = {id, model::kDeploymentPaused, model::kDeploymentDescPaused};
  } else {
    change.update = {id, model::kDeploymentRunning,
                     w.deployment->requires_promotion() ? model::kDeploymentDescNeedsPromotion
                                                        : model::kDeploymentDescRunning};
  }
  change.eval = w.eval;
  return apply_deployment_write(state::LogRequest{std::move(change)}, w.eval);
}

Result<std::string> Server::set_deployment_alloc_health(const std::string& id,
                                                        const std::vector<std::string>& healthy,
                                                        const std::vector<std::string>& unhealthy) {
  if (healthy.empty() && unhealthy.empty()) {
    return invalid_argument("name at least one allocation in HealthyAllocationIDs or "
                            "UnhealthyAllocationIDs");
  }
  DeploymentWrite w = CARAVAN_TRY(prepare_write(*store_->snapshot(), id, deployment_eval()));
  return apply_deployment_write(
      state::LogRequest{state::DeploymentAllocHealth{id, healthy, unhealthy, w.eval}}, w.eval);
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
  if (old == nullptr) return no_such_version(job_id, version);
  return register_job(*old, std::nullopt);
}

Result<int64_t> Server::set_job_stability(const std::string& ns, const std::string& job_id,
                                          int64_t version, bool stable) {
  state::StateViewPtr snapshot = store_->snapshot();
  if (snapshot->job(ns, job_id) == nullptr) {
    return not_found(fmt::format("job \"{}\" in namespace \"{}\" not found", job_id, ns));
  }
  if (snapshot->job_version(ns, job_id, version) == nullptr) return no_such_version(job_id, version);
  return store_->apply(state::JobStability{ns, job_id, version, stable});
}

}  // namespace caravan::server
