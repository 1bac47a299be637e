// AllocHealthTracker: decides whether an allocation is healthy, Nomad's
// client/allochealth tracker as a pure state machine (no clock, no threads):
// healthy once every task that must run has been running and, with
// health_check = "checks", every service check has passed, both continuously
// for min_healthy_time; unhealthy when a task fails or healthy_deadline passes
// first; "manual" decides nothing. The AllocRunner feeds it observations.
#pragma once

#include <chrono>
#include <optional>

#include "model/health_strategy.h"

namespace caravan::client {

class AllocHealthTracker {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // How often checks are looked at again while they do not pass yet (their
  // results are sampled, not pushed).
  static constexpr std::chrono::milliseconds kCheckPollInterval{250};

  // `started`: when the allocation started; healthy_deadline counts from it.
  AllocHealthTracker(model::HealthStrategy strategy, TimePoint started);

  struct Observation {
    bool task_failed = false;
    std::optional<TimePoint> tasks_running_since;  // every must-run task runs since then
    bool checks_pass = true;  // every check of the allocation's services passes
  };
  struct Verdict {
    std::optional<bool> healthy;          // set once decided
    std::optional<TimePoint> recheck_at;  // undecided: look again by then
  };

  // One look at the allocation at `now`. Once decided, the verdict stays.
  Verdict observe(TimePoint now, const Observation& observation);

  const model::HealthStrategy& strategy() const { return strategy_; }

 private:
  model::HealthStrategy strategy_;
  TimePoint started_;
  std::optional<TimePoint> checks_pass_since_;
  std::optional<bool> decided_;
};

}  // namespace caravan::client
