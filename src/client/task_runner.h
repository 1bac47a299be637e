// TaskRunner: runs one task of an allocation through its driver, as Nomad's task
// runner does: task dir, environment, artifacts, templates, log collection, start,
// wait, restart policy, kill (kill_signal, then SIGKILL after kill_timeout, after
// shutdown_delay). Every TaskState change is persisted (LocalState) and reported
// to the alloc runner. Tasks outlive the agent: a restored runner re-attaches.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/alloc_dir.h"
#include "client/artifact.h"
#include "client/local_state.h"
#include "client/log_rotation.h"
#include "client/restart_tracker.h"
#include "client/task_env.h"
#include "core/duration.h"
#include "core/status.h"
#include "drivers/driver.h"
#include "drivers/driver_options.h"
#include "model/allocation.h"
#include "model/node.h"

namespace caravan::client {

class TaskLogCollector;

struct TaskRunnerConfig {
  std::shared_ptr<const model::Allocation> alloc;  // must carry its job
  std::string task_name;
  std::shared_ptr<const model::Node> node;  // for the environment and interpolation
  AllocDir alloc_dir;                       // created by the caller (create_alloc_dir)
  TaskEnvOptions env_options;
  ArtifactOptions artifact_options;
  drivers::DriverOptions driver_options;
  const LocalState* local_state = nullptr;               // null: nothing is persisted
  Duration max_kill_timeout = std::chrono::seconds(30);  // caps the task's kill_timeout
  Duration log_drain_timeout = std::chrono::seconds(2);  // for output after the exit
  RestartTracker::RandomFn restart_jitter;               // tests pass a fixed function
};

// Called on the runner's thread after every change, with no lock held. Must not
// call back into this runner's blocking methods (wait).
using TaskStateCallback = std::function<void(const std::string& task, const model::TaskState&)>;

// Thread-safe: start/kill/restart/detach may be called from any thread; none of
// them calls the callback synchronously. One thread per runner waits on the task.
class TaskRunner {
 public:
  TaskRunner(TaskRunnerConfig config, TaskStateCallback on_state);
  // detach(): the task keeps running for a future agent to recover.
  ~TaskRunner();
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  // Before start(): the state saved by a previous agent. With a handle the
  // runner re-attaches (Driver::recover) instead of starting the task; a dead
  // state means there is nothing to run.
  void restore(const SavedTask& saved);

  // Starts the runner's thread (once; later calls do nothing).
  void start();
  bool started() const;

  // Asks the task to stop: "Killing", shutdown_delay, kill_signal, SIGKILL after
  // kill_timeout, "Killed". A task that has not started is marked dead at once.
  // `reason` names why ("alloc was stopped"); `event_type` is "Killing" or e.g.
  // "Sibling Task Failed". Asynchronous: use wait() for the end.
  void kill(std::string reason, std::string event_type = "Killing");

  // Restarts a running task without counting against the restart policy.
  // Errors: FailedPrecondition when the task is not running.
  Status restart();

  // Stops watching without touching the task (agent shutdown); joins the thread.
  void detach();

  // Waits until the runner is done (task dead or detached), at most `timeout`.
  bool wait(Duration timeout) const;
  bool done() const;

  model::TaskState state() const;
  const std::string& name() const { return config_.task_name; }
  const model::Task& task() const { return *task_; }
  // Activity of the current run's stdout/stderr (closed between runs), for
  // readers following the log.
  std::shared_ptr<LogActivity> log_activity(bool stderr_stream) const;
  // The driver's handle while the task runs.
  std::optional<drivers::TaskHandle> handle() const;

 private:
  enum class Wake { kNone, kExited, kKill, kRestart, kDetach, kTimeout };
  void run();
  Status prestart();
  // Waits for the running task to end or a request; nullopt after a detach.
  std::optional<drivers::ExitResult> wait_exit(bool& killed, bool& restart_requested);
  // Collects the last output, destroys the task, records "Terminated".
  void end_run(const drivers::ExitResult& exit);
  // Re-attaches to a task a previous agent started. False when it is gone.
  // The handle the driver recorded for a start this runner never saved, if the
  // task runs or ran; nullopt when there is none or it never got to run.
  std::optional<std::string> unsaved_start();
  bool reattach(const std::string& handle_json, std::string& error);
  void detached();
  Result<drivers::TaskHandle> start_task();
  void publish_logs(std::unique_ptr<TaskLogCollector> logs);
  // Blocks until `fd` (if >= 0) is readable, a request arrives or `deadline`.
  Wake wait_event(int fd, std::optional<std::chrono::steady_clock::time_point> deadline,
                  bool ignore_kill = false);
  drivers::ExitResult kill_task(bool for_restart);
  void finish(bool failed);
  void update(const std::function<void(model::TaskState&)>& change);
  void emit(model::TaskEvent event);
  void set_handle(std::optional<drivers::TaskHandle> handle);
  Wake pending_wake(bool ignore_kill) const;  // caller holds mu_

  TaskRunnerConfig config_;
  TaskStateCallback on_state_;
  const model::Task* task_ = nullptr;  // inside config_.alloc's job
  const model::TaskGroup* group_ = nullptr;
  std::string job_type_;
  drivers::DriverPtr driver_;
  Status driver_error_;
  std::unique_ptr<TaskLogCollector> logs_;
  std::optional<TaskEnv> env_;
  bool setup_done_ = false;
  bool artifacts_fetched_ = false;

  mutable std::mutex mu_;
  mutable std::condition_variable done_cv_;
  model::TaskState state_;
  std::optional<drivers::TaskHandle> handle_;
  std::optional<std::string> restored_handle_;
  std::shared_ptr<LogActivity> out_activity_;
  std::shared_ptr<LogActivity> err_activity_;
  bool started_ = false;
  bool done_ = false;
  bool kill_requested_ = false;
  bool restart_requested_ = false;
  bool detach_requested_ = false;
  std::string kill_reason_;
  std::string kill_event_type_;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::thread thread_;
};

}  // namespace caravan::client
