#include "server/deployment_watcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/wall_time.h"

namespace caravan::server {
namespace {

using Clock = std::chrono::steady_clock;

// How long the watcher sleeps at most between passes (it wakes on every
// allocation change before that).
constexpr std::chrono::milliseconds kPollInterval{250};

int healthy_canaries(const state::StateView& state, const model::DeploymentGroupState& group) {
  int healthy = 0;
  for (const std::string& id : group.placed_canaries) {
    state::AllocPtr alloc = state.alloc(id);
    if (alloc != nullptr && !alloc->terminal() && alloc->deployment_status &&
        alloc->deployment_status->healthy.value_or(false)) {
      ++healthy;
    }
  }
  return healthy;
}

}  // namespace

state::DeploymentStatusChange deployment_failure(const state::StateView& state,
                                                 const model::Deployment& d,
                                                 std::string description,
                                                 model::Evaluation eval) {
  state::DeploymentStatusChange change;
  change.update = {d.id, model::kDeploymentFailed, std::move(description)};
  bool auto_revert = false;
  for (const auto& [name, group] : d.task_groups) auto_revert = auto_revert || group.auto_revert;
  if (auto_revert) {
    state::JobPtr stable;
    for (const state::JobPtr& job : state.job_versions(d.namespace_name, d.job_id)) {
      if (job->stable && job->version < d.job_version) {
        stable = job;  // newest first: the last stable version before this one
        break;
      }
    }
    if (stable) {
      change.update.status_description +=
          fmt::format(" - rolling back to job version {}", stable->version);
      change.job = *stable;
    } else {
      change.update.status_description += " - no stable job version to auto revert to";
    }
  }
  change.eval = std::move(eval);
  return change;
}

DeploymentDecision decide_deployment(
    const state::StateView& state, const model::Deployment& d, int64_t now,
    const std::function<model::Evaluation(const model::Job&)>& new_eval) {
  DeploymentDecision out;
  state::JobPtr job = state.job(d.namespace_name, d.job_id);
  // A stopped or newer job: the reconciler cancels the deployment.
  if (job == nullptr || job->stop || job->version != d.job_version) return out;

  for (const auto& [name, group] : d.task_groups) {
    if (group.unhealthy_allocs > 0) {
      out.status =
          deployment_failure(state, d, model::kDeploymentDescFailedAllocations, new_eval(*job));
      return out;
    }
  }
  if (d.status != model::kDeploymentRunning) return out;  // paused: no deadline, no progress

  bool done = true;
  bool can_promote = d.requires_promotion();
  for (const auto& [name, group] : d.task_groups) {
    bool awaiting_promotion = group.desired_canaries > 0 && !group.promoted;
    bool canaries_ready = healthy_canaries(state, group) >= group.desired_canaries;
    if (awaiting_promotion && (!group.auto_promote || !canaries_ready)) can_promote = false;
    bool group_done = !awaiting_promotion && group.healthy_allocs >= group.desired_total;
    done = done && group_done;
    // The deadline does not run while healthy canaries wait for a person.
    bool waiting_for_user = awaiting_promotion && canaries_ready;
    if (group_done || waiting_for_user || group.require_progress_by == 0) continue;
    if (now >= group.require_progress_by) {
      out.status =
          deployment_failure(state, d, model::kDeploymentDescProgressDeadline, new_eval(*job));
      return out;
    }
    if (out.next_deadline == 0 || group.require_progress_by < out.next_deadline) {
      out.next_deadline = group.require_progress_by;
    }
  }
  if (done) {
    state::DeploymentStatusChange change;
    change.update = {d.id, model::kDeploymentSuccessful, model::kDeploymentDescSuccessful};
    out.status = std::move(change);
    return out;
  }
  if (can_promote) {
    state::DeploymentPromote promote;
    promote.deployment_id = d.id;
    promote.all = true;
    promote.eval = new_eval(*job);
    out.promote = std::move(promote);
  }
  return out;
}

DeploymentWatcher::DeploymentWatcher(state::StateStore& store, Submit submit, NewEval new_eval)
    : store_(store), submit_(std::move(submit)), new_eval_(std::move(new_eval)) {
  thread_ = std::thread([this] { run(); });
}

DeploymentWatcher::~DeploymentWatcher() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void DeploymentWatcher::run() {
  int64_t seen = -1;
  while (!stopping_) {
    Clock::time_point next = std::min(pass(), Clock::now() + kPollInterval);
    seen = store_.wait_for(state::Table::kAllocs, seen, next);
  }
}

Clock::time_point DeploymentWatcher::pass() {
  state::StateViewPtr state = store_.snapshot();
  const int64_t now = unix_now_ns();
  Clock::time_point next = Clock::now() + kPollInterval;
  std::map<std::string, int> healthy_now;
  for (const state::DeploymentPtr& d : state->deployments("")) {
    if (!d->active()) continue;
    DeploymentDecision decision = decide_deployment(*state, *d, now, new_eval_);
    auto submit = [&](state::LogRequest request, const std::optional<model::Evaluation>& eval) {
      std::vector<model::Evaluation> evals;
      if (eval) evals.push_back(*eval);
      Status status = submit_(std::move(request), std::move(evals));
      if (!status.is_ok()) {
        spdlog::warn("deployment watcher: deployment {}: {}", d->id, status.message());
      }
    };
    if (decision.status) {
      std::optional<model::Evaluation> eval = decision.status->eval;
      submit(state::LogRequest{std::move(*decision.status)}, eval);
      continue;
    }
    if (decision.promote) {
      std::optional<model::Evaluation> eval = decision.promote->eval;
      submit(state::LogRequest{std::move(*decision.promote)}, eval);
      continue;
    }
    int healthy = 0;
    for (const auto& [name, group] : d->task_groups) healthy += group.healthy_allocs;
    healthy_now[d->id] = healthy;
    auto seen = healthy_seen_.find(d->id);
    if (seen != healthy_seen_.end() && seen->second != healthy) {
      // A replacement turned healthy: the reconciler may start the next batch.
      if (state::JobPtr job = state->job(d->namespace_name, d->job_id)) {
        model::Evaluation eval = new_eval_(*job);
        submit(state::LogRequest{state::EvalUpsert{{eval}}}, eval);
      }
    }
    if (decision.next_deadline != 0) {
      auto wait = std::chrono::nanoseconds(std::max<int64_t>(0, decision.next_deadline - now));
      next = std::min(next, Clock::now() + std::chrono::duration_cast<Clock::duration>(wait));
    }
  }
  healthy_seen_ = std::move(healthy_now);
  return next;
}

}  // namespace caravan::server
