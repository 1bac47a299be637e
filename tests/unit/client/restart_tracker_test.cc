#include "client/restart_tracker.h"

#include <gtest/gtest.h>

namespace caravan::client {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Clock = RestartTracker::Clock;

const TaskExit kFailed{1, 0, false};
const TaskExit kSucceeded{0, 0, false};

ResolvedRestartPolicy policy(int attempts, Duration interval, Duration delay, std::string mode) {
  ResolvedRestartPolicy p;
  p.attempts = attempts;
  p.interval = interval;
  p.delay = delay;
  p.mode = std::move(mode);
  return p;
}

RestartTracker tracker(ResolvedRestartPolicy p, std::string_view type = "service",
                       std::optional<model::TaskLifecycle> lifecycle = std::nullopt) {
  return RestartTracker(std::move(p), type, lifecycle, [] { return 0.0; });
}

TEST(RestartPolicyDefaults, DependOnTheJobType) {
  EXPECT_EQ(default_restart_policy("service"), policy(2, minutes(30), seconds(15), "fail"));
  EXPECT_EQ(default_restart_policy("system"), policy(2, minutes(30), seconds(15), "fail"));
  EXPECT_EQ(default_restart_policy("batch"), policy(3, hours(24), seconds(15), "fail"));
  EXPECT_EQ(default_restart_policy("sysbatch"), policy(3, hours(24), seconds(15), "fail"));
}

TEST(RestartPolicyDefaults, TaskOverridesGroupFieldByField) {
  model::RestartPolicy group;
  group.attempts = 5;
  group.mode = "delay";
  model::RestartPolicy task;
  task.attempts = 1;
  task.delay = seconds(3);
  ResolvedRestartPolicy p = effective_restart_policy("service", group, task);
  EXPECT_EQ(p, policy(1, minutes(30), seconds(3), "delay"));
}

TEST(RestartTracker, RestartsWithinAttemptsThenFailsInModeFail) {
  RestartTracker t = tracker(policy(2, minutes(30), seconds(15), "fail"));
  Clock::time_point now{};
  RestartDecision d1 = t.on_exit(kFailed, now);
  EXPECT_EQ(d1.action, RestartAction::kRestart);
  EXPECT_EQ(d1.delay, seconds(15));
  EXPECT_EQ(d1.reason, "Restart within policy");
  EXPECT_EQ(t.on_exit(kFailed, now + minutes(1)).action, RestartAction::kRestart);
  RestartDecision d3 = t.on_exit(kFailed, now + minutes(2));
  EXPECT_EQ(d3.action, RestartAction::kFail);
  EXPECT_EQ(d3.reason, "Exceeded allowed attempts 2 in interval 30m0s and mode is \"fail\"");
}

TEST(RestartTracker, ANewIntervalResetsTheCount) {
  RestartTracker t = tracker(policy(1, minutes(10), seconds(1), "fail"));
  Clock::time_point now{};
  EXPECT_EQ(t.on_exit(kFailed, now).action, RestartAction::kRestart);
  EXPECT_EQ(t.on_exit(kFailed, now + minutes(11)).action, RestartAction::kRestart);
  EXPECT_EQ(t.count(), 1);
  EXPECT_EQ(t.on_exit(kFailed, now + minutes(12)).action, RestartAction::kFail);
}

TEST(RestartTracker, ModeDelayWaitsForTheIntervalToEnd) {
  RestartTracker t = tracker(policy(1, minutes(10), seconds(5), "delay"));
  Clock::time_point now{};
  EXPECT_EQ(t.on_exit(kFailed, now).delay, seconds(5));
  RestartDecision d = t.on_exit(kFailed, now + minutes(4));
  EXPECT_EQ(d.action, RestartAction::kRestart);
  EXPECT_EQ(d.delay, minutes(6));
  EXPECT_EQ(d.reason, "Exceeded allowed attempts, applying a delay");
  // After the wait a fresh interval begins.
  RestartDecision next = t.on_exit(kFailed, now + minutes(10));
  EXPECT_EQ(next.delay, seconds(5));
  EXPECT_EQ(next.reason, "Restart within policy");
}

TEST(RestartTracker, ZeroAttemptsFailsAtOnce) {
  RestartTracker t = tracker(policy(0, minutes(10), seconds(5), "fail"));
  RestartDecision d = t.on_exit(kFailed, Clock::time_point{});
  EXPECT_EQ(d.action, RestartAction::kFail);
  EXPECT_EQ(d.reason, "Policy allows no restarts");
}

TEST(RestartTracker, SuccessCompletesBatchButRestartsService) {
  RestartTracker batch = tracker(default_restart_policy("batch"), "batch");
  EXPECT_EQ(batch.on_exit(kSucceeded, Clock::time_point{}).action, RestartAction::kComplete);
  EXPECT_EQ(batch.count(), 0);
  EXPECT_EQ(batch.on_exit(TaskExit{0, 9, false}, Clock::time_point{}).action,
            RestartAction::kRestart);  // killed by a signal is a failure
  RestartTracker service = tracker(default_restart_policy("service"));
  EXPECT_EQ(service.on_exit(kSucceeded, Clock::time_point{}).action, RestartAction::kRestart);
  EXPECT_EQ(service.count(), 1);
}

TEST(RestartTracker, PrestartTasksCompleteUnlessSidecars) {
  model::TaskLifecycle prestart{"prestart", false};
  RestartTracker init = tracker(default_restart_policy("service"), "service", prestart);
  EXPECT_EQ(init.on_exit(kSucceeded, Clock::time_point{}).action, RestartAction::kComplete);
  model::TaskLifecycle sidecar{"prestart", true};
  RestartTracker side = tracker(default_restart_policy("service"), "service", sidecar);
  EXPECT_EQ(side.on_exit(kSucceeded, Clock::time_point{}).action, RestartAction::kRestart);
}

TEST(RestartTracker, StartErrors) {
  RestartTracker t = tracker(policy(2, minutes(30), seconds(15), "fail"));
  RestartDecision fatal = t.on_start_error(false, Clock::time_point{});
  EXPECT_EQ(fatal.action, RestartAction::kFail);
  EXPECT_EQ(fatal.reason, "Error was unrecoverable");
  EXPECT_EQ(t.on_start_error(true, Clock::time_point{}).action, RestartAction::kRestart);
  EXPECT_EQ(t.count(), 1);
}

TEST(RestartTracker, UserRestartIsImmediateAndNotCounted) {
  RestartTracker t = tracker(policy(0, minutes(30), seconds(15), "fail"));
  RestartDecision d = t.on_restart_requested();
  EXPECT_EQ(d.action, RestartAction::kRestart);
  EXPECT_EQ(d.delay, Duration{0});
  EXPECT_EQ(t.count(), 0);
}

TEST(RestartTracker, JitterAddsUpToAQuarterOfTheDelay) {
  RestartTracker t(policy(5, minutes(30), seconds(20), "fail"), "service", std::nullopt,
                   [] { return 0.5; });
  EXPECT_EQ(t.on_exit(kFailed, Clock::time_point{}).delay,
            seconds(22) + std::chrono::milliseconds(500));
  RestartTracker real(policy(50, minutes(30), seconds(20), "fail"), "service", std::nullopt);
  for (int i = 0; i < 50; ++i) {
    Duration d = real.on_exit(kFailed, Clock::time_point{}).delay;
    EXPECT_GE(d, seconds(20));
    EXPECT_LE(d, seconds(25));
  }
}

}  // namespace
}  // namespace caravan::client
