// The deployment watcher (leader only): follows every running deployment as
// its allocations report health, and drives it — a new healthy allocation
// evaluates the job so the reconciler starts the next batch; an unhealthy one
// or a missed progress deadline fails the deployment (and, with auto_revert,
// registers the last stable version again); healthy canaries are promoted when
// every canary group has auto_promote; a deployment whose groups are all
// healthy and promoted succeeds, which marks its job version stable.
// decide_deployment() is the pure decision, testable on a state snapshot.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "model/deployment.h"
#include "model/evaluation.h"
#include "state/log_entry.h"
#include "state/state_store.h"

namespace caravan::server {

// What the watcher does about one deployment now.
struct DeploymentDecision {
  std::optional<state::DeploymentStatusChange> status;  // fail or succeed
  std::optional<state::DeploymentPromote> promote;      // automatic promotion
  int64_t next_deadline = 0;  // ns since the epoch to look again (0 = none)
};

// The status change that fails `d` with `description` and evaluates the job
// with `eval`; when a group has auto_revert, it also registers the newest
// stable version older than d's again (or says there is none).
state::DeploymentStatusChange deployment_failure(const state::StateView& state,
                                                 const model::Deployment& d,
                                                 std::string description,
                                                 model::Evaluation eval);

// Decides for the active deployment `d` at `now` (ns since the epoch). The
// evaluations it carries come from `new_eval` (the job, the trigger).
DeploymentDecision decide_deployment(
    const state::StateView& state, const model::Deployment& d, int64_t now,
    const std::function<model::Evaluation(const model::Job&)>& new_eval);

class DeploymentWatcher {
 public:
  // Writes a log entry with the evaluations it carries and hands them to the broker.
  using Submit = std::function<Status(state::LogRequest, std::vector<model::Evaluation>)>;
  using NewEval = std::function<model::Evaluation(const model::Job&)>;

  DeploymentWatcher(state::StateStore& store, Submit submit, NewEval new_eval);
  ~DeploymentWatcher();  // stops and joins the thread

  DeploymentWatcher(const DeploymentWatcher&) = delete;
  DeploymentWatcher& operator=(const DeploymentWatcher&) = delete;

 private:
  void run();
  // One pass over the active deployments; returns when to look again at the latest.
  std::chrono::steady_clock::time_point pass();

  state::StateStore& store_;
  Submit submit_;
  NewEval new_eval_;
  // Healthy allocations last seen per deployment: more means the next batch may go.
  std::map<std::string, int> healthy_seen_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace caravan::server
