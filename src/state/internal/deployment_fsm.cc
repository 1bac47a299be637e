#include "state/internal/deployment_fsm.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/wall_time.h"

namespace caravan::state::internal {
namespace {

bool is_status(std::string_view s) {
  return s == model::kDeploymentRunning || s == model::kDeploymentPaused ||
         s == model::kDeploymentFailed || s == model::kDeploymentSuccessful ||
         s == model::kDeploymentCancelled;
}

int64_t progress_by(const model::DeploymentGroupState& group, int64_t now) {
  return group.progress_deadline.count() > 0 ? now + group.progress_deadline.count() : 0;
}

}  // namespace

void DeploymentBook::create(model::Deployment deployment) {
  if (deployment.namespace_name.empty()) deployment.namespace_name = "default";
  if (DeploymentPtr existing = t_.deployment(deployment.id)) {
    deployment.create_index = existing->create_index;
    deployment.create_time = existing->create_time;
  } else {
    deployment.create_index = index_;
    deployment.create_time = time_;
  }
  put(std::move(deployment));
}

Status DeploymentBook::set_status(const model::DeploymentStatusUpdate& update) {
  DeploymentPtr existing = t_.deployment(update.deployment_id);
  if (existing == nullptr) {
    return not_found(fmt::format("deployment \"{}\" not found", update.deployment_id));
  }
  if (!is_status(update.status)) {
    return invalid_argument(fmt::format("deployment \"{}\": invalid status \"{}\"",
                                        update.deployment_id, update.status));
  }
  if (!existing->active()) {
    return failed_precondition(fmt::format("deployment \"{}\" is already {}; it can not change",
                                           update.deployment_id, existing->status));
  }
  model::Deployment deployment = *existing;
  deployment.status = update.status;
  deployment.status_description = update.status_description;
  // Resuming restarts the clock of every group still making progress.
  if (existing->status == model::kDeploymentPaused &&
      update.status == model::kDeploymentRunning) {
    for (auto& [name, group] : deployment.task_groups) {
      if (group.require_progress_by != 0) group.require_progress_by = progress_by(group, time_);
    }
  }
  if (deployment.status == model::kDeploymentSuccessful) mark_stable(deployment);
  put(std::move(deployment));
  return Status::ok();
}

void DeploymentBook::count_placement(const model::Allocation& alloc) {
  if (alloc.deployment_id.empty()) return;
  DeploymentPtr existing = t_.deployment(alloc.deployment_id);
  if (existing == nullptr || !existing->active()) return;
  auto group_it = existing->task_groups.find(alloc.task_group);
  if (group_it == existing->task_groups.end()) return;
  model::Deployment deployment = *existing;
  model::DeploymentGroupState& group = deployment.task_groups[alloc.task_group];
  if (group.placed_allocs == 0) group.require_progress_by = progress_by(group, time_);
  ++group.placed_allocs;
  if (alloc.deployment_status && alloc.deployment_status->canary) {
    group.placed_canaries.push_back(alloc.id);
  }
  put(std::move(deployment));
}

void DeploymentBook::count_health(const std::optional<model::AllocDeploymentStatus>& before,
                                  const model::Allocation& alloc) {
  if (alloc.deployment_id.empty() || !alloc.deployment_status ||
      !alloc.deployment_status->healthy) {
    return;
  }
  std::optional<bool> was = before ? before->healthy : std::nullopt;
  bool now_healthy = *alloc.deployment_status->healthy;
  if (was == now_healthy) return;
  DeploymentPtr existing = t_.deployment(alloc.deployment_id);
  if (existing == nullptr || !existing->active()) return;
  if (!existing->task_groups.count(alloc.task_group)) return;
  model::Deployment deployment = *existing;
  model::DeploymentGroupState& group = deployment.task_groups[alloc.task_group];
  if (was) (*was ? group.healthy_allocs : group.unhealthy_allocs) -= 1;
  (now_healthy ? group.healthy_allocs : group.unhealthy_allocs) += 1;
  if (now_healthy) group.require_progress_by = progress_by(group, time_);
  put(std::move(deployment));
}

Result<std::vector<model::Allocation>> DeploymentBook::promote(const DeploymentPromote& req) {
  model::Deployment deployment = CARAVAN_TRY(active(req.deployment_id));
  std::vector<std::string> groups = req.groups;
  if (req.all) {
    groups.clear();
    for (const auto& [name, group] : deployment.task_groups) {
      if (group.desired_canaries > 0 && !group.promoted) groups.push_back(name);
    }
  }
  if (groups.empty()) {
    return failed_precondition(
        fmt::format("deployment \"{}\" has no canaries to promote", req.deployment_id));
  }
  std::vector<model::Allocation> changed;
  for (const std::string& name : groups) {
    auto it = deployment.task_groups.find(name);
    if (it == deployment.task_groups.end() || it->second.desired_canaries == 0) {
      return invalid_argument(fmt::format("deployment \"{}\" has no canaries in task group \"{}\"",
                                          req.deployment_id, name));
    }
    model::DeploymentGroupState& group = it->second;
    int healthy = 0;
    for (const std::string& id : group.placed_canaries) {
      AllocPtr alloc = t_.alloc(id);
      if (alloc == nullptr || !alloc->deployment_status) continue;
      if (alloc->deployment_status->healthy.value_or(false) && !alloc->terminal()) {
        ++healthy;
        model::Allocation promoted = *alloc;
        promoted.deployment_status->canary = false;
        promoted.deployment_status->modify_index = index_;
        // Its client must see the change: it registers the instances again
        // with their normal tags, and the ingress sends them traffic.
        promoted.alloc_modify_index = index_;
        changed.push_back(std::move(promoted));
      }
    }
    if (healthy < group.desired_canaries) {
      return failed_precondition(fmt::format(
          "task group \"{}\" has {}/{} healthy canaries: promote once they are healthy, or fail "
          "the deployment",
          name, healthy, group.desired_canaries));
    }
    group.promoted = true;
    // The rolling update starts now: its progress deadline too (however long
    // the canaries waited for the user).
    group.require_progress_by = progress_by(group, time_);
  }
  if (deployment.status_description == model::kDeploymentDescNeedsPromotion ||
      deployment.status_description == model::kDeploymentDescAutoPromotion) {
    deployment.status_description = model::kDeploymentDescRunning;
  }
  put(std::move(deployment));
  return changed;
}

Result<std::vector<model::Allocation>> DeploymentBook::set_alloc_health(
    const DeploymentAllocHealth& req) {
  CARAVAN_TRY(active(req.deployment_id));
  std::vector<model::Allocation> changed;
  auto mark = [&](const std::vector<std::string>& ids, bool healthy) -> Status {
    for (const std::string& id : ids) {
      AllocPtr alloc = t_.alloc(id);
      if (alloc == nullptr || alloc->deployment_id != req.deployment_id) {
        return invalid_argument(fmt::format("allocation \"{}\" is not part of deployment \"{}\"",
                                            id, req.deployment_id));
      }
      model::Allocation updated = *alloc;
      model::AllocDeploymentStatus status =
          updated.deployment_status.value_or(model::AllocDeploymentStatus{});
      status.healthy = healthy;
      status.timestamp = format_rfc3339(time_);
      status.modify_index = index_;
      updated.deployment_status = status;
      changed.push_back(std::move(updated));
    }
    return Status::ok();
  };
  CARAVAN_RETURN_IF_ERROR(mark(req.healthy_alloc_ids, true));
  CARAVAN_RETURN_IF_ERROR(mark(req.unhealthy_alloc_ids, false));
  for (const model::Allocation& alloc : changed) {
    count_health(t_.alloc(alloc.id)->deployment_status, alloc);
  }
  return changed;
}

Result<model::Deployment> DeploymentBook::active(const std::string& id) const {
  DeploymentPtr existing = t_.deployment(id);
  if (existing == nullptr) return not_found(fmt::format("deployment \"{}\" not found", id));
  if (!existing->active()) {
    return failed_precondition(
        fmt::format("deployment \"{}\" is {}, not running", id, existing->status));
  }
  return *existing;
}

void DeploymentBook::put(model::Deployment deployment) {
  deployment.modify_index = index_;
  deployment.modify_time = time_;
  t_.put_deployment(std::make_shared<const model::Deployment>(std::move(deployment)));
  t_.touch(Table::kDeployments, index_);
}

void DeploymentBook::mark_stable(const model::Deployment& deployment) {
  JobPtr version = t_.job_version(deployment.namespace_name, deployment.job_id,
                                  deployment.job_version);
  if (version == nullptr || version->stable) return;
  put_stability(version, true);
}

Status DeploymentBook::set_stability(const JobStability& req) {
  JobPtr version = t_.job_version(req.namespace_name, req.job_id, req.version);
  if (version == nullptr) {
    return not_found(fmt::format("job \"{}\" has no version {}", req.job_id, req.version));
  }
  put_stability(version, req.stable);
  return Status::ok();
}

void DeploymentBook::put_stability(const JobPtr& version, bool stable) {
  auto marked = std::make_shared<model::Job>(*version);
  marked->stable = stable;
  t_.put_job_version(std::move(marked));
  t_.touch(Table::kJobVersions, index_);
  JobPtr current = t_.job(version->namespace_name, version->id);
  if (current != nullptr && current->version == version->version) {
    auto updated = std::make_shared<model::Job>(*current);
    updated->stable = stable;
    updated->modify_index = index_;
    t_.put_job(std::move(updated));
    t_.touch(Table::kJobs, index_);
  }
}

}  // namespace caravan::state::internal
