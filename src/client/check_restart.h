// check_restart: restarts a task whose health check keeps failing. Fed with the
// status a CheckRunner reports after every probe, it asks for a restart once
// `limit` consecutive probes failed, never within `grace` of the task's start.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "client/health_check.h"
#include "model/job.h"

namespace caravan::client {

// The check_restart block that applies to `check` of `service`: the check's own,
// else the service's; nullopt when neither has one or its limit is 0.
std::optional<model::CheckRestart> effective_check_restart(const model::Service& service,
                                                           const model::ServiceCheck& check);

// Thread-safe: observe() from a check runner's thread, task_started() from the
// task runner's. Time is passed in, so tests need no clock.
class CheckRestartTracker {
 public:
  // Called (outside the tracker's lock) when the task should be restarted;
  // `reason` is the task event text, e.g. `check "web-alive" unhealthy`.
  using RestartCallback = std::function<void(const std::string& reason)>;

  // `started` is when the task (last) started; grace runs from it. A limit of 0
  // or less disables the tracker.
  CheckRestartTracker(model::CheckRestart policy, std::string check_name, SteadyTime started,
                      RestartCallback on_restart);

  // The task (re)started at `now`: the failure count resets and grace starts again.
  void task_started(SteadyTime now);

  // Feeds the check's status after a probe at `now`. Critical counts as a
  // failure, warning too unless ignore_warnings; passing resets the count.
  // Failures within grace do not count. Returns true when this call asked for a
  // restart; the tracker then resets and waits grace from `now` again.
  bool observe(CheckStatus status, SteadyTime now);

  // Consecutive failures counted so far.
  int failures() const;

 private:
  const model::CheckRestart policy_;
  const std::string check_name_;
  RestartCallback on_restart_;
  mutable std::mutex mu_;
  SteadyTime grace_until_;
  int failures_ = 0;
};

}  // namespace caravan::client
