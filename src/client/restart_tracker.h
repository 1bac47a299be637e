// Nomad's restart policy state machine for one task: after each exit or failed
// start it decides whether the task runner restarts the task (and after which
// delay), leaves it finished, or fails it. `attempts` restarts are allowed
// within `interval`; beyond that mode "fail" fails the task and mode "delay"
// waits for the interval to end. Each delay gets Nomad's jitter: +0..25%.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/duration.h"
#include "model/job.h"

namespace caravan::client {

// A restart policy with every field resolved.
struct ResolvedRestartPolicy {
  int attempts = 2;
  Duration interval = std::chrono::minutes(30);
  Duration delay = std::chrono::seconds(15);
  std::string mode = "fail";  // "fail" or "delay"
  bool render_templates = false;

  bool operator==(const ResolvedRestartPolicy&) const = default;
};

// Nomad's defaults for a job type: batch and sysbatch 3 attempts in 24h,
// others 2 in 30m; delay 15s and mode "fail" for all.
ResolvedRestartPolicy default_restart_policy(std::string_view job_type);

// The task's effective policy: the type's defaults, overridden field by field by
// the group's `restart` block, then by the task's.
ResolvedRestartPolicy effective_restart_policy(std::string_view job_type,
                                               const std::optional<model::RestartPolicy>& group,
                                               const std::optional<model::RestartPolicy>& task);

// How a task run ended.
struct TaskExit {
  int exit_code = 0;
  int signal = 0;
  bool oom_killed = false;

  bool successful() const { return exit_code == 0 && signal == 0 && !oom_killed; }
};

enum class RestartAction {
  kRestart,   // start again after `delay`
  kComplete,  // finished successfully and is not restarted (batch, prestart hooks)
  kFail,      // not restarted: the task failed
};

struct RestartDecision {
  RestartAction action = RestartAction::kFail;
  Duration delay{0};
  std::string reason;  // for the "Restarting" / "Not Restarting" task event

  bool operator==(const RestartDecision&) const = default;
};

// Not thread-safe: owned and called by one task runner.
class RestartTracker {
 public:
  using Clock = std::chrono::steady_clock;
  // Returns a number in [0, 1); the jitter of each delay is that × 25%.
  using RandomFn = std::function<double()>;

  // `job_type` and `lifecycle` decide whether a successful exit restarts: a
  // service or system task is restarted after exit 0, a batch/sysbatch task or
  // a non-sidecar prestart task completes. `random` defaults to a seeded PRNG;
  // tests pass a fixed function.
  RestartTracker(ResolvedRestartPolicy policy, std::string_view job_type,
                 const std::optional<model::TaskLifecycle>& lifecycle, RandomFn random = {});

  // The task exited at `now`.
  RestartDecision on_exit(const TaskExit& exit, Clock::time_point now);
  // The driver could not start the task. Unrecoverable errors (bad config,
  // missing binary) fail it at once; recoverable ones count as an attempt.
  RestartDecision on_start_error(bool recoverable, Clock::time_point now);
  // A user asked for a restart (`alloc restart`): immediate and not counted.
  RestartDecision on_restart_requested();

  // Restarts counted in the current interval.
  int count() const { return count_; }
  const ResolvedRestartPolicy& policy() const { return policy_; }

 private:
  RestartDecision count_failure(Clock::time_point now);
  Duration jittered_delay();

  ResolvedRestartPolicy policy_;
  bool restart_on_success_;
  RandomFn random_;
  int count_ = 0;
  std::optional<Clock::time_point> interval_start_;
};

}  // namespace caravan::client
