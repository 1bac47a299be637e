// AllocRunner: runs one allocation on this client: builds its directory, runs
// a TaskRunner per task in lifecycle order (task_lifecycle.h), derives the
// allocation's client status from the task states, stops the tasks when the
// server wants the allocation stopped, and finally destroys the directory.
// Owned by the ClientAgent, which forwards server updates and reports status.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "client/alloc_dir.h"
#include "client/alloc_health.h"
#include "client/alloc_status.h"
#include "client/local_state.h"
#include "client/task_lifecycle.h"
#include "client/task_runner.h"
#include "core/duration.h"
#include "core/status.h"
#include "model/allocation.h"
#include "model/node.h"

namespace caravan::client {

struct AllocRunnerConfig {
  std::string data_dir;  // allocation directories live in <data_dir>/alloc/<id>
  std::shared_ptr<const model::Node> node;
  TaskEnvOptions env_options;
  ArtifactOptions artifact_options;
  drivers::DriverOptions driver_options;
  const LocalState* local_state = nullptr;  // null: nothing is persisted
  Duration max_kill_timeout = std::chrono::seconds(30);
  RestartTracker::RandomFn restart_jitter;
  // Whether every check of the allocation's services passes now (the
  // ServiceRegistrar knows; false while they are not registered). Called
  // without the runner's lock held. Null: checks count as passing.
  std::function<bool(const std::string& alloc_id)> checks_pass;
};

// Called (on a task runner's thread, no lock held) whenever a task state, and so
// possibly the client status, changed. The receiver reads client_update().
using AllocChangeCallback = std::function<void(const std::string& alloc_id)>;

// Thread-safe. Methods never block on tasks except destroy(), detach() and wait().
class AllocRunner {
 public:
  AllocRunner(AllocRunnerConfig config, model::Allocation alloc, AllocChangeCallback on_change);
  ~AllocRunner();  // detach(): tasks keep running for the next agent
  AllocRunner(const AllocRunner&) = delete;
  AllocRunner& operator=(const AllocRunner&) = delete;

  // Before run(): the task states and handles a previous agent saved.
  void restore(const std::map<std::string, SavedTask>& tasks);

  // Creates the alloc dir, saves the allocation and starts the tasks (or
  // re-attaches restored ones). When the directory cannot be made the
  // allocation fails with that error as its description.
  void run();

  // A newer version from the server. Desired stop/evict kills the tasks (then
  // poststop tasks run). Other changes are kept for the record only.
  void update(model::Allocation alloc);

  // Stops every task, as a server stop does.
  void kill();

  // Restarts `task` (every running task when empty). Errors: NotFound for an
  // unknown task, FailedPrecondition when it is not running.
  Status restart_task(const std::string& task);

  // Kills everything (poststop included), waits up to `timeout` for the tasks,
  // then removes the alloc dir and the saved state. Blocks.
  void destroy(Duration timeout);

  // Stops watching; tasks keep running. Joins the task runners' threads.
  void detach();

  // Until every task runner is done (dead, or detached), at most `timeout`.
  bool wait(Duration timeout) const;
  // Every task is dead.
  bool terminal() const;

  // What the client reports: ID, ClientStatus, ClientDescription, TaskStates,
  // and DeploymentStatus once the deployment health is known.
  model::Allocation client_update() const;

  // Allocation health (alloc_health.h), tracked for service and system jobs:
  // per the group's `update` block while the allocation has a DeploymentID,
  // per its `migrate` block otherwise; checks count when health_check =
  // "checks" and the group's services have any. The verdict goes into
  // DeploymentStatus.Healthy. Called by the agent's sync loop.
  struct HealthCheck {
    bool changed = false;  // a verdict was just reached: report it
    std::optional<std::chrono::steady_clock::time_point> recheck_at;
  };
  HealthCheck check_health(std::chrono::steady_clock::time_point now);
  AllocClientStatus client_status() const;
  std::shared_ptr<const model::Allocation> alloc() const;
  const std::string& id() const { return id_; }
  const AllocDir* dir() const { return dir_ ? &*dir_ : nullptr; }
  // The runner of `task`, or null. Lives as long as this AllocRunner.
  const TaskRunner* task_runner(const std::string& task) const;

 private:
  void on_task_state(const std::string& task, const model::TaskState& state);
  void advance();  // caller holds mu_: applies plan_lifecycle

  AllocRunnerConfig config_;
  AllocChangeCallback on_change_;
  const std::string id_;
  std::optional<AllocDir> dir_;

  mutable std::mutex mu_;
  std::shared_ptr<const model::Allocation> alloc_;
  std::map<std::string, std::unique_ptr<TaskRunner>> tasks_;  // fixed after construction
  std::map<std::string, model::TaskState> states_;
  std::set<std::string> killed_;  // kill already sent
  AllocMode mode_ = AllocMode::kRun;
  bool running_ = false;  // run() was called
  std::string setup_error_;
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> all_running_since_;
  std::optional<AllocHealthTracker> health_tracker_;
  std::string health_deployment_;  // the DeploymentID health_tracker_ judges for
  std::optional<model::AllocDeploymentStatus> health_;
};

}  // namespace caravan::client
