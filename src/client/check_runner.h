// CheckRunner: runs one health check on its schedule (first probe right after
// start, then every interval, each bounded by the timeout), applies Consul's
// thresholds (success_before_passing, failures_before_warning/critical) and
// reports the check's status to the catalog side when it changes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "client/health_check.h"
#include "core/duration.h"
#include "drivers/unique_fd.h"
#include "model/job.h"

namespace caravan::client {

struct CheckRunnerOptions {
  Duration interval = std::chrono::seconds(10);  // <= 0 means 10s
  Duration timeout = std::chrono::seconds(10);   // <= 0 means 10s
  // Delay of the first probe after start(); Consul and Nomad start right away.
  Duration first_probe_delay{0};
  CheckStatus initial_status = CheckStatus::kCritical;
  // Consecutive passing (or warning) probes before passing/warning is reported; 0 or 1 = at once.
  int success_before_passing = 0;
  // Consecutive critical probes before critical is reported; 0 or 1 = at once.
  int failures_before_critical = 0;
  // Consecutive critical probes before warning is reported while the critical
  // threshold is not reached yet; 0 = same as failures_before_critical.
  int failures_before_warning = 0;
};

// The options a job's `check` block asks for. Errors: InvalidArgument for an
// unknown initial_status, naming the check.
Result<CheckRunnerOptions> check_runner_options(const model::ServiceCheck& check);

// The status a check reports, with the output of the probe that decided it.
struct CheckState {
  CheckStatus status = CheckStatus::kCritical;
  std::string output;

  bool operator==(const CheckState&) const = default;
};

// Applies the thresholds to a stream of probe results; pure, no clock.
class CheckThresholds {
 public:
  explicit CheckThresholds(const CheckRunnerOptions& options);

  // Feeds one probe's result; returns the state to report now.
  const CheckState& observe(const CheckResult& result);
  const CheckState& state() const { return state_; }

 private:
  int success_before_passing_;
  int failures_before_critical_;
  int failures_before_warning_;
  int successes_ = 0;
  int failures_ = 0;
  CheckState state_;
};

// Runs one check on a thread of its own (mostly asleep). Thread-safe: start(),
// stop() and state() may be called from any thread.
class CheckRunner {
 public:
  // Called on the runner's thread whenever the reported status or output
  // changes (not for the initial status: read state() to register with it).
  using ChangeCallback = std::function<void(const CheckState& state)>;
  // Called on the runner's thread after every probe with the reported state
  // and the raw result (feed check_restart with it).
  using ProbeCallback = std::function<void(const CheckState& state, const CheckResult& probe)>;

  CheckRunner(HealthCheckerPtr checker, CheckRunnerOptions options, ChangeCallback on_change,
              ProbeCallback on_probe = nullptr);
  // Stops the runner (see stop()). Must not run on the runner's own thread,
  // i.e. not from inside a callback.
  ~CheckRunner();
  CheckRunner(const CheckRunner&) = delete;
  CheckRunner& operator=(const CheckRunner&) = delete;

  // Starts probing; a second call does nothing.
  void start();
  // Stops probing: cancels a probe in flight (a script is killed) and waits for
  // the thread to end, so no callback runs after it returns. Returns within
  // milliseconds even while a probe hangs. Idempotent. From inside a callback
  // it only requests the stop (the thread ends after the callback returns).
  void stop();

  // The status reported so far (initially options.initial_status, no output).
  CheckState state() const;
  // Number of probes completed.
  int probes() const;

 private:
  void run();

  HealthCheckerPtr checker_;
  const CheckRunnerOptions options_;
  ChangeCallback on_change_;
  ProbeCallback on_probe_;
  drivers::UniqueFd cancel_fd_;  // an eventfd, readable once stop() is called

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
  bool stopping_ = false;
  CheckThresholds thresholds_;  // touched only by the runner's thread
  CheckState reported_;         // guarded by mu_
  int probes_ = 0;              // guarded by mu_
  std::thread thread_;
};

}  // namespace caravan::client
