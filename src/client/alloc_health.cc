#include "client/alloc_health.h"

#include <algorithm>

namespace caravan::client {

AllocHealthTracker::AllocHealthTracker(model::HealthStrategy strategy, TimePoint started)
    : strategy_(std::move(strategy)), started_(started) {}

AllocHealthTracker::Verdict AllocHealthTracker::observe(TimePoint now, const Observation& o) {
  if (decided_) return {decided_, std::nullopt};
  if (strategy_.health_check == model::kHealthCheckManual) return {};
  const bool use_checks = strategy_.health_check == model::kHealthCheckChecks;
  if (o.task_failed) {
    decided_ = false;
    return {decided_, std::nullopt};
  }
  if (use_checks && o.checks_pass) {
    if (!checks_pass_since_) checks_pass_since_ = now;
  } else {
    checks_pass_since_.reset();
  }
  std::optional<TimePoint> healthy_at;
  if (o.tasks_running_since && (!use_checks || checks_pass_since_)) {
    TimePoint since =
        use_checks ? std::max(*o.tasks_running_since, *checks_pass_since_) : *o.tasks_running_since;
    healthy_at = since + strategy_.min_healthy_time;
    if (now >= *healthy_at) {
      decided_ = true;
      return {decided_, std::nullopt};
    }
  }
  const TimePoint deadline = started_ + strategy_.healthy_deadline;
  if (now >= deadline) {
    decided_ = false;
    return {decided_, std::nullopt};
  }
  TimePoint next = healthy_at ? std::min(deadline, *healthy_at) : deadline;
  // Checks are sampled: look again soon, so a flap before min_healthy_time is seen.
  if (use_checks) next = std::min(next, now + kCheckPollInterval);
  return {std::nullopt, next};
}

}  // namespace caravan::client
