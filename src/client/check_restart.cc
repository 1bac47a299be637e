#include "client/check_restart.h"

namespace caravan::client {

std::optional<model::CheckRestart> effective_check_restart(const model::Service& service,
                                                           const model::ServiceCheck& check) {
  const std::optional<model::CheckRestart>& chosen =
      check.check_restart ? check.check_restart : service.check_restart;
  if (!chosen || chosen->limit <= 0) return std::nullopt;
  return chosen;
}

CheckRestartTracker::CheckRestartTracker(model::CheckRestart policy, std::string check_name,
                                         SteadyTime started, RestartCallback on_restart)
    : policy_(policy),
      check_name_(std::move(check_name)),
      on_restart_(std::move(on_restart)),
      grace_until_(started + policy.grace) {}

void CheckRestartTracker::task_started(SteadyTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_ = 0;
  grace_until_ = now + policy_.grace;
}

bool CheckRestartTracker::observe(CheckStatus status, SteadyTime now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (policy_.limit <= 0) return false;
    bool failing = status == CheckStatus::kCritical ||
                   (status == CheckStatus::kWarning && !policy_.ignore_warnings);
    if (!failing) {
      failures_ = 0;
      return false;
    }
    if (now < grace_until_) return false;
    if (++failures_ < policy_.limit) return false;
    failures_ = 0;
    grace_until_ = now + policy_.grace;
  }
  if (on_restart_) on_restart_("check \"" + check_name_ + "\" unhealthy");
  return true;
}

int CheckRestartTracker::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

}  // namespace caravan::client
