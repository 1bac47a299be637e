#include "client/restart_tracker.h"

#include <algorithm>
#include <memory>
#include <random>

namespace caravan::client {

namespace {

constexpr double kJitter = 0.25;

bool is_batch(std::string_view job_type) {
  return job_type == model::kJobTypeBatch || job_type == model::kJobTypeSysBatch;
}

void apply(ResolvedRestartPolicy& out, const std::optional<model::RestartPolicy>& block) {
  if (!block) return;
  if (block->attempts) out.attempts = *block->attempts;
  if (block->interval) out.interval = *block->interval;
  if (block->delay) out.delay = *block->delay;
  if (block->mode) out.mode = *block->mode;
  if (block->render_templates) out.render_templates = *block->render_templates;
}

}  // namespace

ResolvedRestartPolicy default_restart_policy(std::string_view job_type) {
  ResolvedRestartPolicy p;
  if (is_batch(job_type)) {
    p.attempts = 3;
    p.interval = std::chrono::hours(24);
  }
  return p;
}

ResolvedRestartPolicy effective_restart_policy(std::string_view job_type,
                                               const std::optional<model::RestartPolicy>& group,
                                               const std::optional<model::RestartPolicy>& task) {
  ResolvedRestartPolicy p = default_restart_policy(job_type);
  apply(p, group);
  apply(p, task);
  return p;
}

RestartTracker::RestartTracker(ResolvedRestartPolicy policy, std::string_view job_type,
                               const std::optional<model::TaskLifecycle>& lifecycle,
                               RandomFn random)
    : policy_(std::move(policy)), random_(std::move(random)) {
  restart_on_success_ = !is_batch(job_type);
  if (lifecycle && lifecycle->hook == "prestart") restart_on_success_ = lifecycle->sidecar;
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
}

RestartDecision RestartTracker::on_exit(const TaskExit& exit, Clock::time_point now) {
  if (exit.successful() && !restart_on_success_) {
    return {RestartAction::kComplete, Duration{0},
            "Restart unnecessary as task terminated successfully"};
  }
  return count_failure(now);
}

RestartDecision RestartTracker::on_start_error(bool recoverable, Clock::time_point now) {
  if (!recoverable) return {RestartAction::kFail, Duration{0}, "Error was unrecoverable"};
  return count_failure(now);
}

RestartDecision RestartTracker::on_restart_requested() {
  return {RestartAction::kRestart, Duration{0}, "User requested restart"};
}

RestartDecision RestartTracker::count_failure(Clock::time_point now) {
  // A new interval starts at the first failure after the previous one ended.
  if (!interval_start_ || now >= *interval_start_ + policy_.interval) {
    interval_start_ = now;
    count_ = 0;
  }
  ++count_;
  if (count_ <= policy_.attempts) {
    return {RestartAction::kRestart, jittered_delay(), "Restart within policy"};
  }
  if (policy_.mode == "delay") {
    // Wait out the interval; the next failure then opens a fresh one.
    Duration rest = *interval_start_ + policy_.interval - now;
    return {RestartAction::kRestart, std::max(rest, Duration{0}),
            "Exceeded allowed attempts, applying a delay"};
  }
  if (policy_.attempts == 0)
    return {RestartAction::kFail, Duration{0}, "Policy allows no restarts"};
  return {RestartAction::kFail, Duration{0},
          "Exceeded allowed attempts " + std::to_string(policy_.attempts) + " in interval " +
              format_duration(policy_.interval) + " and mode is \"fail\""};
}

Duration RestartTracker::jittered_delay() {
  double r = std::clamp(random_(), 0.0, 1.0);
  auto base = policy_.delay.count();
  return Duration(base + static_cast<Duration::rep>(static_cast<double>(base) * r * kJitter));
}

}  // namespace caravan::client
