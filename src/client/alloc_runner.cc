#include "client/alloc_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "client/task_events.h"
#include "model/health_strategy.h"

namespace caravan::client {
namespace {

const model::TaskGroup* find_group(const model::Allocation& alloc) {
  if (!alloc.job) return nullptr;
  for (const model::TaskGroup& group : alloc.job->task_groups) {
    if (group.name == alloc.task_group) return &group;
  }
  return nullptr;
}

// Nomad tracks the health of allocations that keep running, never batch ones.
bool tracks_health(const model::Job& job) {
  return job.type != model::kJobTypeBatch && job.type != model::kJobTypeSysBatch;
}

// Whether any service of the group (or of its tasks) has a check.
bool has_checks(const model::TaskGroup& group) {
  for (const model::Service& service : group.services) {
    if (!service.checks.empty()) return true;
  }
  for (const model::Task& task : group.tasks) {
    for (const model::Service& service : task.services) {
      if (!service.checks.empty()) return true;
    }
  }
  return false;
}

// Tasks that must be running for the allocation to be healthy: main tasks and
// sidecars, not the ones meant to finish (prestart/poststart hooks, poststop).
bool must_run(const model::Task& task) { return !task.lifecycle || task.lifecycle->sidecar; }

}  // namespace

AllocRunner::AllocRunner(AllocRunnerConfig config, model::Allocation alloc,
                         AllocChangeCallback on_change)
    : config_(std::move(config)),
      on_change_(std::move(on_change)),
      id_(alloc.id),
      alloc_(std::make_shared<const model::Allocation>(std::move(alloc))) {
  const model::TaskGroup* group = find_group(*alloc_);
  Result<AllocDir> dir = AllocDir::under(config_.data_dir, id_);
  if (group == nullptr) {
    setup_error_ =
        "allocation " + id_ + " carries no job with its group \"" + alloc_->task_group + "\"";
    return;
  }
  if (!dir) {
    setup_error_ = dir.error().message();
    return;
  }
  dir_ = *dir;
  for (const model::Task& task : group->tasks) {
    TaskRunnerConfig tc{.alloc = alloc_,
                        .task_name = task.name,
                        .node = config_.node,
                        .alloc_dir = *dir_,
                        .env_options = config_.env_options,
                        .artifact_options = config_.artifact_options,
                        .driver_options = config_.driver_options,
                        .local_state = config_.local_state,
                        .max_kill_timeout = config_.max_kill_timeout,
                        .restart_jitter = config_.restart_jitter};
    tasks_[task.name] = std::make_unique<TaskRunner>(
        std::move(tc),
        [this](const std::string& name, const model::TaskState& s) { on_task_state(name, s); });
    states_[task.name] = model::TaskState{};
  }
}

AllocRunner::~AllocRunner() { detach(); }

void AllocRunner::restore(const std::map<std::string, SavedTask>& tasks) {
  std::lock_guard lock(mu_);
  for (const auto& [name, saved] : tasks) {
    auto it = tasks_.find(name);
    if (it == tasks_.end()) continue;
    it->second->restore(saved);
    states_[name] = saved.state;
  }
}

void AllocRunner::run() {
  {
    std::lock_guard lock(mu_);
    if (running_) return;
    running_ = true;
    if (setup_error_.empty()) {
      std::vector<std::string> names;
      for (const auto& [name, runner] : tasks_) names.push_back(name);
      Status made = create_alloc_dir(*dir_, names);
      if (!made.is_ok()) setup_error_ = made.message();
    }
    if (setup_error_.empty() && config_.local_state != nullptr) {
      Status saved = config_.local_state->put_alloc(*alloc_);
      if (!saved.is_ok()) spdlog::warn("client: cannot save alloc {}: {}", id_, saved.message());
    }
    if (setup_error_.empty()) {
      // Tasks a previous agent left running (or finished) are picked up first,
      // whatever their place in the lifecycle.
      for (const auto& [name, runner] : tasks_) {
        const std::string& state = states_[name].state;
        if (state == model::kTaskStateRunning || state == model::kTaskStateDead) runner->start();
      }
      advance();
    } else {
      spdlog::warn("client: alloc {} failed to set up: {}", id_, setup_error_);
    }
  }
  if (on_change_) on_change_(id_);
}

void AllocRunner::update(model::Allocation alloc) {
  bool stop = alloc.server_terminal();
  {
    std::lock_guard lock(mu_);
    if (!alloc.job) {
      model::Allocation copy = std::move(alloc);
      copy.job = alloc_->job;
      alloc_ = std::make_shared<const model::Allocation>(std::move(copy));
    } else {
      alloc_ = std::make_shared<const model::Allocation>(std::move(alloc));
    }
    if (config_.local_state != nullptr && setup_error_.empty()) {
      Status saved = config_.local_state->put_alloc(*alloc_);
      if (!saved.is_ok()) spdlog::warn("client: cannot save alloc {}: {}", id_, saved.message());
    }
  }
  if (stop) kill();
}

void AllocRunner::kill() {
  std::lock_guard lock(mu_);
  if (mode_ == AllocMode::kRun) mode_ = AllocMode::kStop;
  advance();
}

Status AllocRunner::restart_task(const std::string& task) {
  std::lock_guard lock(mu_);
  if (!task.empty()) {
    auto it = tasks_.find(task);
    if (it == tasks_.end()) return not_found("allocation " + id_ + " has no task \"" + task + "\"");
    return it->second->restart();
  }
  bool any = false;
  for (const auto& [name, runner] : tasks_) {
    if (runner->restart().is_ok()) any = true;
  }
  if (!any) return failed_precondition("allocation " + id_ + " has no running task to restart");
  return Status::ok();
}

void AllocRunner::destroy(Duration timeout) {
  bool was_running = false;
  {
    std::lock_guard lock(mu_);
    mode_ = AllocMode::kDestroy;
    was_running = running_;
    if (running_) advance();
  }
  if (was_running && !wait(timeout)) {
    spdlog::warn("client: alloc {}: tasks still running after {}; removing it anyway", id_,
                 format_duration(timeout));
  }
  detach();
  if (dir_) {
    Status removed = destroy_alloc_dir(*dir_);
    if (!removed.is_ok()) spdlog::warn("client: {}", removed.message());
  }
  if (config_.local_state != nullptr) {
    Status removed = config_.local_state->remove_alloc(id_);
    if (!removed.is_ok()) spdlog::warn("client: {}", removed.message());
  }
}

void AllocRunner::detach() {
  // Not under mu_: a runner's thread may be waiting for it in on_task_state.
  for (const auto& [name, runner] : tasks_) runner->detach();
}

bool AllocRunner::wait(Duration timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& [name, runner] : tasks_) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (!runner->wait(std::max(Duration::zero(), std::chrono::duration_cast<Duration>(left)))) {
      return false;
    }
  }
  return true;
}

bool AllocRunner::terminal() const {
  std::lock_guard lock(mu_);
  if (!setup_error_.empty()) return true;
  for (const auto& [name, state] : states_) {
    if (state.state != model::kTaskStateDead) return false;
  }
  return true;
}

AllocClientStatus AllocRunner::client_status() const {
  std::lock_guard lock(mu_);
  if (!setup_error_.empty()) return {model::kAllocClientFailed, setup_error_};
  return derive_client_status(states_);
}

model::Allocation AllocRunner::client_update() const {
  AllocClientStatus status = client_status();
  std::lock_guard lock(mu_);
  model::Allocation out;
  out.id = id_;
  out.node_id = alloc_->node_id;
  out.job_id = alloc_->job_id;
  out.task_group = alloc_->task_group;
  out.namespace_name = alloc_->namespace_name;
  out.desired_status = alloc_->desired_status;
  out.client_status = status.status;
  out.client_description = status.description;
  out.task_states = states_;
  out.deployment_status = health_ ? health_ : alloc_->deployment_status;
  return out;
}

std::shared_ptr<const model::Allocation> AllocRunner::alloc() const {
  std::lock_guard lock(mu_);
  return alloc_;
}

const TaskRunner* AllocRunner::task_runner(const std::string& task) const {
  auto it = tasks_.find(task);
  return it == tasks_.end() ? nullptr : it->second.get();
}

void AllocRunner::on_task_state(const std::string& task, const model::TaskState& state) {
  {
    std::lock_guard lock(mu_);
    states_[task] = state;
    bool all_running = true;
    for (const auto& [name, runner] : tasks_) {
      if (must_run(runner->task()) && states_[name].state != model::kTaskStateRunning) {
        all_running = false;
      }
    }
    if (!all_running) {
      all_running_since_.reset();
    } else if (!all_running_since_) {
      all_running_since_ = std::chrono::steady_clock::now();
    }
    if (running_) advance();
  }
  if (on_change_) on_change_(id_);
}

void AllocRunner::advance() {
  std::vector<LifecycleTask> view;
  for (const auto& [name, runner] : tasks_) {
    view.push_back({&runner->task(), runner->started(), states_[name]});
  }
  LifecycleActions actions = plan_lifecycle(view, mode_);
  for (const LifecycleKill& k : actions.kill) {
    if (!killed_.insert(k.task).second) continue;
    tasks_.at(k.task)->kill(k.reason, k.event_type);
  }
  for (const std::string& name : actions.start) tasks_.at(name)->start();
}

}  // namespace caravan::client

namespace caravan::client {

AllocRunner::HealthCheck AllocRunner::check_health(std::chrono::steady_clock::time_point now) {
  // Asked before taking mu_: the registrar has locks of its own.
  const bool checks_pass = !config_.checks_pass || config_.checks_pass(id_);
  std::lock_guard lock(mu_);
  const model::TaskGroup* group = find_group(*alloc_);
  if (group == nullptr || !tracks_health(*alloc_->job)) return {};
  if (!health_tracker_ || health_deployment_ != alloc_->deployment_id) {
    const bool first = !health_tracker_;
    health_deployment_ = alloc_->deployment_id;
    health_tracker_.emplace(
        model::health_strategy(*alloc_->job, *group, !alloc_->deployment_id.empty()),
        first ? created_ : now);
    health_.reset();
    // A verdict the server already holds (an agent restarted) stands.
    if (first && alloc_->deployment_status && alloc_->deployment_status->healthy) {
      health_ = alloc_->deployment_status;
    }
  }
  if (health_) return {};
  AllocHealthTracker::Observation seen;
  seen.task_failed = !setup_error_.empty();
  for (const auto& [name, state] : states_) seen.task_failed = seen.task_failed || state.failed;
  seen.tasks_running_since = all_running_since_;
  seen.checks_pass = !has_checks(*group) || checks_pass;
  AllocHealthTracker::Verdict verdict = health_tracker_->observe(now, seen);
  if (!verdict.healthy) return {false, verdict.recheck_at};
  model::AllocDeploymentStatus status =
      alloc_->deployment_status.value_or(model::AllocDeploymentStatus{});
  status.healthy = *verdict.healthy;
  status.timestamp = format_rfc3339(unix_now_ns());
  health_ = status;
  return {true, std::nullopt};
}

}  // namespace caravan::client
