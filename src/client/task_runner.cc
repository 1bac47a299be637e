#include "client/task_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "client/task_events.h"
#include "client/task_log_collector.h"
#include "client/template_render.h"
#include "core/check.h"
#include "drivers/registry.h"
#include "drivers/signals.h"

namespace caravan::client {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr Duration kDefaultKillTimeout = std::chrono::seconds(5);
// Without an exit fd (the supervisor vanished) the runner looks this often.
constexpr Duration kExitPollInterval = std::chrono::seconds(1);

// Errors worth retrying under the restart policy: the host or network may
// recover. Bad config, missing binaries and template errors will not.
bool recoverable(const Status& status) {
  return status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kInternal;
}

const model::Task* find_task(const model::Allocation& alloc, const std::string& name,
                             std::string& job_type, const model::TaskGroup** group_out) {
  if (!alloc.job) return nullptr;
  job_type = alloc.job->type.empty() ? model::kJobTypeService : alloc.job->type;
  for (const model::TaskGroup& group : alloc.job->task_groups) {
    if (group.name != alloc.task_group) continue;
    for (const model::Task& task : group.tasks) {
      if (task.name == name) {
        *group_out = &group;
        return &task;
      }
    }
  }
  return nullptr;
}

// The lifecycle the restart tracker is given. Nomad never restarts a poststop
// task, nor a non-sidecar poststart task, after a successful exit (sidecars it
// does); RestartTracker knows only the prestart rule, which has exactly these
// semantics. TODO(client): drop once RestartTracker handles every hook.
std::optional<model::TaskLifecycle> restart_lifecycle(
    const std::optional<model::TaskLifecycle>& lifecycle) {
  if (!lifecycle || lifecycle->hook == "prestart") return lifecycle;
  bool sidecar = lifecycle->hook == "poststart" && lifecycle->sidecar;
  return model::TaskLifecycle{"prestart", sidecar};
}

}  // namespace

TaskRunner::TaskRunner(TaskRunnerConfig config, TaskStateCallback on_state)
    : config_(std::move(config)), on_state_(std::move(on_state)) {
  static const model::Task kMissing;
  task_ = find_task(*config_.alloc, config_.task_name, job_type_, &group_);
  if (task_ == nullptr) {
    task_ = &kMissing;
    driver_error_ = failed_precondition("allocation " + config_.alloc->id + " has no task \"" +
                                        config_.task_name + "\" in its job");
  } else {
    Result<drivers::DriverPtr> driver = drivers::make_driver(task_->driver, config_.driver_options);
    if (driver) {
      driver_ = std::move(*driver);
    } else {
      driver_error_ = driver.error();
    }
    // raw_exec sees host paths; the isolating drivers see /alloc, /local, /secrets.
    config_.env_options.dir_view = task_->driver == "raw_exec" ? DirView::kHost : DirView::kTask;
  }
  int fds[2];
  CARAVAN_CHECK(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0);
  wake_read_ = fds[0];
  wake_write_ = fds[1];
  out_activity_ = std::make_shared<LogActivity>();
  err_activity_ = std::make_shared<LogActivity>();
  out_activity_->mark_closed();
  err_activity_->mark_closed();
}

TaskRunner::~TaskRunner() {
  detach();
  ::close(wake_read_);
  ::close(wake_write_);
}

void TaskRunner::restore(const SavedTask& saved) {
  std::lock_guard lock(mu_);
  state_ = saved.state;
  restored_handle_ = saved.handle_json;
}

void TaskRunner::start() {
  std::lock_guard lock(mu_);
  if (started_) return;
  started_ = true;
  if (state_.state == model::kTaskStateDead && !restored_handle_) {
    done_ = true;  // finished under a previous agent
    return;
  }
  thread_ = std::thread([this] { run(); });
}

bool TaskRunner::started() const {
  std::lock_guard lock(mu_);
  return started_;
}

void TaskRunner::kill(std::string reason, std::string event_type) {
  {
    std::lock_guard lock(mu_);
    if (kill_requested_ || done_) return;
    kill_requested_ = true;
    kill_reason_ = std::move(reason);
    kill_event_type_ = std::move(event_type);
  }
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);
  start();  // a task that never started is marked dead by its thread
}

Status TaskRunner::restart() {
  {
    std::lock_guard lock(mu_);
    if (!handle_ || done_ || kill_requested_) {
      return failed_precondition("task \"" + config_.task_name + "\" is not running");
    }
    restart_requested_ = true;
  }
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);
  return Status::ok();
}

void TaskRunner::detach() {
  {
    std::lock_guard lock(mu_);
    detach_requested_ = true;
  }
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);
  if (thread_.joinable()) thread_.join();
}

bool TaskRunner::wait(Duration timeout) const {
  std::unique_lock lock(mu_);
  return done_cv_.wait_for(lock, timeout, [this] { return done_; });
}

bool TaskRunner::done() const {
  std::lock_guard lock(mu_);
  return done_;
}

model::TaskState TaskRunner::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::shared_ptr<LogActivity> TaskRunner::log_activity(bool stderr_stream) const {
  std::lock_guard lock(mu_);
  return stderr_stream ? err_activity_ : out_activity_;
}

std::optional<drivers::TaskHandle> TaskRunner::handle() const {
  std::lock_guard lock(mu_);
  return handle_;
}

// ---- state changes (runner thread only)

void TaskRunner::update(const std::function<void(model::TaskState&)>& change) {
  model::TaskState copy;
  std::optional<std::string> handle_json;
  {
    std::lock_guard lock(mu_);
    change(state_);
    copy = state_;
    if (handle_) handle_json = handle_->to_json();
  }
  if (config_.local_state != nullptr) {
    Status saved = config_.local_state->put_task(config_.alloc->id, config_.task_name,
                                                 SavedTask{copy, handle_json});
    if (!saved.is_ok()) {
      spdlog::warn("client: cannot save the state of task {} of alloc {}: {}", config_.task_name,
                   config_.alloc->id, saved.message());
    }
  }
  if (on_state_) on_state_(config_.task_name, copy);
}

void TaskRunner::emit(model::TaskEvent event) {
  update([&](model::TaskState& s) { append_task_event(s, std::move(event)); });
}

void TaskRunner::set_handle(std::optional<drivers::TaskHandle> handle) {
  {
    std::lock_guard lock(mu_);
    handle_ = std::move(handle);
  }
}

void TaskRunner::finish(bool failed) {
  update([&](model::TaskState& s) {
    s.state = model::kTaskStateDead;
    s.failed = failed;
    s.finished_at = format_rfc3339(unix_now_ns());
  });
  std::lock_guard lock(mu_);
  done_ = true;
  done_cv_.notify_all();
}

TaskRunner::Wake TaskRunner::pending_wake(bool ignore_kill) const {
  if (detach_requested_) return Wake::kDetach;
  if (kill_requested_ && !ignore_kill) return Wake::kKill;
  if (restart_requested_) return Wake::kRestart;
  return Wake::kNone;
}

TaskRunner::Wake TaskRunner::wait_event(int fd, std::optional<SteadyClock::time_point> deadline,
                                        bool ignore_kill) {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (Wake w = pending_wake(ignore_kill); w != Wake::kNone) return w;
    }
    int timeout_ms = -1;
    if (deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - SteadyClock::now());
      if (left.count() <= 0) return Wake::kTimeout;
      timeout_ms = static_cast<int>(std::min<int64_t>(left.count(), 60'000));
    }
    struct pollfd fds[2] = {{wake_read_, POLLIN, 0}, {fd, POLLIN, 0}};
    int rc = ::poll(fds, fd >= 0 ? 2 : 1, timeout_ms);
    if (rc < 0 && errno != EINTR) return Wake::kTimeout;
    if (rc > 0 && (fds[0].revents & POLLIN) != 0) {
      char buf[64];
      while (::read(wake_read_, buf, sizeof buf) > 0) {
      }
    }
    if (rc > 0 && fd >= 0 && fds[1].revents != 0) return Wake::kExited;
  }
}

// ---- the run loop

Status TaskRunner::prestart() {
  if (!setup_done_) {
    emit(task_event(kEventSetup, "Building Task Directory"));
    CARAVAN_RETURN_IF_ERROR(create_task_dir(config_.alloc_dir, config_.task_name));
    setup_done_ = true;
  }
  TaskEnv env = CARAVAN_TRY(build_task_env(*config_.node, *config_.alloc, config_.task_name,
                                           config_.alloc_dir, config_.env_options));
  if (!artifacts_fetched_ && !task_->artifacts.empty()) {
    emit(task_event(kEventDownloadingArtifacts, "Client is downloading artifacts"));
    Status fetched = fetch_artifacts(task_->artifacts, env, config_.artifact_options);
    if (!fetched.is_ok()) {
      emit(task_event(kEventArtifactDownloadFailed, fetched.message()));
      return fetched;
    }
  }
  artifacts_fetched_ = true;
  if (!task_->templates.empty()) {
    Result<RenderedTemplates> rendered = render_templates(task_->templates, env);
    if (!rendered) {
      emit(task_event(kEventSetupFailure, rendered.error().message()));
      return rendered.error();
    }
    env.override_vars(rendered->env);
  }
  env_ = std::move(env);
  return Status::ok();
}

Result<drivers::TaskHandle> TaskRunner::start_task() {
  model::RawJson config = CARAVAN_TRY(env_->interpolate_json(task_->config));
  CARAVAN_RETURN_IF_ERROR(driver_->validate_config(config));
  std::unique_ptr<TaskLogCollector> logs = CARAVAN_TRY(
      TaskLogCollector::open(config_.alloc_dir.logs_dir(), config_.task_name, task_->log_config));
  drivers::TaskSpec spec;
  spec.alloc_id = config_.alloc->id;
  spec.task_name = config_.task_name;
  spec.config = std::move(config);
  spec.env = env_->vars();
  spec.task_dir = config_.alloc_dir.task_dir(config_.task_name);
  spec.alloc_dir = config_.alloc_dir.shared_dir();
  spec.user = task_->user;
  spec.cpu_mhz = task_->resources.cpu;
  spec.memory_mb = task_->resources.memory_mb;
  spec.memory_max_mb = task_->resources.memory_max_mb;
  auto granted = config_.alloc->allocated_resources.tasks.find(config_.task_name);
  if (granted != config_.alloc->allocated_resources.tasks.end()) {
    spec.cpu_mhz = static_cast<int>(granted->second.cpu_shares);
    spec.memory_mb = static_cast<int>(granted->second.memory_mb);
    spec.memory_max_mb = static_cast<int>(granted->second.memory_max_mb);
  }
  spec.stdout_path = logs->stdout_path();
  spec.stderr_path = logs->stderr_path();
  drivers::TaskHandle handle = CARAVAN_TRY(driver_->start(spec));
  Status pumping = logs->start();
  if (!pumping.is_ok()) {
    spdlog::warn("client: task {}: cannot collect its logs: {}", config_.task_name,
                 pumping.message());
  }
  publish_logs(std::move(logs));
  return handle;
}

void TaskRunner::publish_logs(std::unique_ptr<TaskLogCollector> logs) {
  std::lock_guard lock(mu_);
  out_activity_ = logs->stdout_activity();
  err_activity_ = logs->stderr_activity();
  logs_ = std::move(logs);
}

drivers::ExitResult TaskRunner::kill_task(bool for_restart) {
  std::string reason, event_type;
  {
    std::lock_guard lock(mu_);
    reason = kill_reason_;
    event_type = kill_event_type_;
  }
  Duration timeout =
      std::min(task_->kill_timeout.value_or(kDefaultKillTimeout), config_.max_kill_timeout);
  Result<int> sig = drivers::parse_signal(task_->kill_signal);
  if (!for_restart) {
    if (!event_type.empty() && event_type != kEventKilling) emit(task_event(event_type, reason));
    emit(killing_event(timeout, reason));
    if (task_->shutdown_delay > Duration::zero()) {
      emit(task_event(kEventShutdownDelay, "Waiting for shutdown_delay of " +
                                               format_duration(task_->shutdown_delay) +
                                               " before killing the task."));
      // Nothing cuts the delay short but an agent shutdown; the kill goes on anyway.
      wait_event(-1, SteadyClock::now() + task_->shutdown_delay, /*ignore_kill=*/true);
    }
  }
  std::optional<drivers::TaskHandle> handle = this->handle();
  Result<drivers::ExitResult> exit = driver_->stop(*handle, sig ? *sig : SIGTERM, timeout);
  if (!exit) return drivers::ExitResult{0, 0, false, exit.error().message()};
  return *exit;
}

std::optional<drivers::ExitResult> TaskRunner::wait_exit(bool& killed, bool& restart_requested) {
  drivers::TaskHandle handle = *this->handle();
  Result<drivers::UniqueFd> fd = driver_->exit_fd(handle);
  while (true) {
    std::optional<SteadyClock::time_point> deadline;
    if (!fd) deadline = SteadyClock::now() + kExitPollInterval;
    Wake wake = wait_event(fd ? fd->get() : -1, deadline);
    if (wake == Wake::kDetach) return std::nullopt;
    if (wake == Wake::kKill) {
      killed = true;
      return kill_task(/*for_restart=*/false);
    }
    if (wake == Wake::kRestart) {
      restart_requested = true;
      {
        std::lock_guard lock(mu_);
        restart_requested_ = false;
      }
      emit(task_event(kEventRestartSignal, "User requested restart"));
      return kill_task(/*for_restart=*/true);
    }
    // Exited (or time to look again): the exit status is written before the
    // supervisor ends, so this answers at once after an exit.
    Duration grace = wake == Wake::kExited ? kExitPollInterval : Duration::zero();
    Result<std::optional<drivers::ExitResult>> exit = driver_->wait_for(handle, grace);
    if (!exit) return drivers::ExitResult{0, 0, false, exit.error().message()};
    if (*exit) return **exit;
    if (wake == Wake::kExited) fd = not_found("the exit fd fired early; polling instead");
  }
}

void TaskRunner::end_run(const drivers::ExitResult& exit) {
  std::unique_ptr<TaskLogCollector> logs;
  {
    std::lock_guard lock(mu_);
    logs = std::move(logs_);
  }
  if (logs) logs->finish(config_.log_drain_timeout);
  if (std::optional<drivers::TaskHandle> handle = this->handle()) {
    Status destroyed = driver_->destroy(*handle);
    if (!destroyed.is_ok()) {
      spdlog::warn("client: task {}: cannot clean up after it: {}", config_.task_name,
                   destroyed.message());
    }
  }
  set_handle(std::nullopt);
  emit(terminated_event(exit));
}

std::optional<std::string> TaskRunner::unsaved_start() {
  // An agent killed between the driver starting the task and this runner
  // saving the handle: the driver's own record is the one to follow.
  std::optional<std::string> json =
      drivers::read_started_handle(config_.alloc_dir.task_dir(config_.task_name));
  if (!json || !driver_) return std::nullopt;
  Result<drivers::TaskHandle> handle = driver_->recover(*json);
  if (!handle) return std::nullopt;  // gone without a trace: start afresh
  Result<std::optional<drivers::ExitResult>> exit = driver_->wait_for(*handle, Duration{0});
  if (exit && *exit && (*exit)->exit_code == drivers::kExitNeverStarted && (*exit)->signal == 0) {
    (void)driver_->destroy(*handle);  // the agent died before the task's gate opened
    return std::nullopt;
  }
  return json;
}

bool TaskRunner::reattach(const std::string& handle_json, std::string& error) {
  if (!driver_) {
    error = driver_error_.message();
    return false;
  }
  Result<drivers::TaskHandle> handle = driver_->recover(handle_json);
  if (!handle) {
    error = handle.error().message();
    return false;
  }
  set_handle(*handle);
  setup_done_ = true;
  artifacts_fetched_ = true;
  // The task still holds the FIFOs' write ends (if it runs): keep pumping them.
  Result<std::unique_ptr<TaskLogCollector>> logs =
      TaskLogCollector::open(config_.alloc_dir.logs_dir(), config_.task_name, task_->log_config);
  if (logs && (*logs)->start().is_ok()) publish_logs(std::move(*logs));
  update([](model::TaskState& s) { s.state = model::kTaskStateRunning; });
  return true;
}

void TaskRunner::detached() {
  std::unique_ptr<TaskLogCollector> logs;
  {
    std::lock_guard lock(mu_);
    logs = std::move(logs_);
    done_ = true;
    done_cv_.notify_all();
  }
  if (logs) logs->abandon();
}

void TaskRunner::run() {
  RestartTracker tracker(
      effective_restart_policy(job_type_, group_ ? group_->restart_policy : std::nullopt,
                               task_->restart_policy),
      job_type_, restart_lifecycle(task_->lifecycle), config_.restart_jitter);
  std::optional<std::string> restored;
  bool fresh = false;
  {
    std::lock_guard lock(mu_);
    restored = std::exchange(restored_handle_, std::nullopt);
    fresh = state_.events.empty();
  }
  if (!restored) restored = unsaved_start();
  bool running = false;
  std::optional<drivers::ExitResult> lost;
  if (restored) {
    std::string error;
    running = reattach(*restored, error);
    if (!running)
      lost = drivers::ExitResult{0, 0, false, "lost while the agent was down: " + error};
  } else if (fresh) {
    emit(task_event(kEventReceived, "Task received by client"));
  }

  while (true) {
    RestartDecision decision;
    if (lost) {
      emit(terminated_event(*lost));
      decision = tracker.on_exit({-1, 0, false}, SteadyClock::now());
      lost.reset();
    } else if (!running) {
      Wake pending;
      {
        std::lock_guard lock(mu_);
        pending = pending_wake(false);
      }
      if (pending == Wake::kDetach) return detached();
      if (pending == Wake::kKill) {
        emit(task_event(kEventKilled, "Task successfully killed"));
        return finish(false);
      }
      if (!driver_error_.is_ok()) {
        emit(driver_failure_event(driver_error_));
        emit(not_restarting_event("Error was unrecoverable", true));
        return finish(true);
      }
      Status setup = prestart();
      Result<drivers::TaskHandle> handle = setup.is_ok() ? start_task() : setup;
      if (!handle) {
        if (setup.is_ok()) emit(driver_failure_event(handle.error()));
        decision = tracker.on_start_error(recoverable(handle.error()), SteadyClock::now());
      } else {
        set_handle(*handle);
        update([](model::TaskState& s) {
          s.state = model::kTaskStateRunning;
          s.started_at = format_rfc3339(unix_now_ns());
          append_task_event(s, task_event(kEventStarted, "Task started by client"));
        });
        running = true;
      }
    }
    if (running) {
      bool killed = false;
      bool restart_requested = false;
      std::optional<drivers::ExitResult> exit = wait_exit(killed, restart_requested);
      if (!exit) return detached();
      end_run(*exit);
      running = false;
      if (killed) {
        emit(task_event(kEventKilled, "Task successfully killed"));
        return finish(false);
      }
      int code = exit->error.empty() ? exit->exit_code : -1;  // unknown status: a failure
      decision = restart_requested
                     ? tracker.on_restart_requested()
                     : tracker.on_exit({code, exit->signal, exit->oom_killed}, SteadyClock::now());
    }
    switch (decision.action) {
      case RestartAction::kComplete:
        return finish(false);
      case RestartAction::kFail:
        emit(not_restarting_event(decision.reason, true));
        return finish(true);
      case RestartAction::kRestart:
        update([&](model::TaskState& s) {
          s.state = model::kTaskStatePending;
          append_task_event(s, restarting_event(decision.delay, decision.reason));
        });
        if (wait_event(-1, SteadyClock::now() + decision.delay) == Wake::kDetach) {
          return detached();
        }
        break;
    }
  }
}

}  // namespace caravan::client
