// Allocation health: the tracker's rules (tasks and checks both continuously
// for min_healthy_time, failure, healthy_deadline, task_states, manual) and
// which block's settings apply (update with a deployment, migrate without).
#include "client/alloc_health.h"

#include <gtest/gtest.h>

#include "model/health_strategy.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using Tracker = AllocHealthTracker;

const Tracker::TimePoint kT0{std::chrono::hours(1000)};

model::HealthStrategy strategy(const char* check, Duration min_healthy = 10s,
                               Duration deadline = 5min) {
  return model::HealthStrategy{check, min_healthy, deadline};
}

Tracker::Observation running_since(Tracker::TimePoint since, bool checks_pass = true) {
  return Tracker::Observation{false, since, checks_pass};
}

TEST(AllocHealthTracker, ChecksAndTasksMustHoldTogetherForMinHealthyTime) {
  Tracker tracker(strategy(model::kHealthCheckChecks), kT0);
  // Tasks run from t0, checks fail at first.
  Tracker::Verdict v = tracker.observe(kT0 + 1s, running_since(kT0, false));
  EXPECT_FALSE(v.healthy.has_value());
  ASSERT_TRUE(v.recheck_at.has_value());
  EXPECT_LE(*v.recheck_at, kT0 + 1s + Tracker::kCheckPollInterval);
  // Checks pass from t0+5s: healthy only at t0+15s.
  EXPECT_FALSE(tracker.observe(kT0 + 5s, running_since(kT0)).healthy.has_value());
  EXPECT_FALSE(tracker.observe(kT0 + 14s, running_since(kT0)).healthy.has_value());
  // A check failing in between starts the wait again.
  EXPECT_FALSE(tracker.observe(kT0 + 14500ms, running_since(kT0, false)).healthy.has_value());
  EXPECT_FALSE(tracker.observe(kT0 + 16s, running_since(kT0)).healthy.has_value());
  EXPECT_EQ(tracker.observe(kT0 + 26s, running_since(kT0)).healthy, true);
  // Decided: stays.
  EXPECT_EQ(tracker.observe(kT0 + 27s, running_since(kT0, false)).healthy, true);
}

TEST(AllocHealthTracker, TaskStatesIgnoresChecks) {
  Tracker tracker(strategy(model::kHealthCheckTaskStates, 2s), kT0);
  Tracker::Verdict v = tracker.observe(kT0 + 1s, running_since(kT0, false));
  EXPECT_FALSE(v.healthy.has_value());
  EXPECT_EQ(v.recheck_at, kT0 + 2s);
  EXPECT_EQ(tracker.observe(kT0 + 2s, running_since(kT0, false)).healthy, true);
}

TEST(AllocHealthTracker, FailedTaskIsUnhealthy) {
  Tracker tracker(strategy(model::kHealthCheckChecks), kT0);
  EXPECT_EQ(tracker.observe(kT0 + 1s, Tracker::Observation{true, std::nullopt, true}).healthy,
            false);
}

TEST(AllocHealthTracker, HealthyDeadlinePassingFirstIsUnhealthy) {
  Tracker tracker(strategy(model::kHealthCheckChecks, 10s, 30s), kT0);
  EXPECT_FALSE(tracker.observe(kT0 + 29s, running_since(kT0 + 25s)).healthy.has_value());
  EXPECT_EQ(tracker.observe(kT0 + 30s, running_since(kT0 + 25s)).healthy, false);
}

TEST(AllocHealthTracker, ManualDecidesNothing) {
  Tracker tracker(strategy(model::kHealthCheckManual), kT0);
  Tracker::Verdict v = tracker.observe(kT0 + 1h, running_since(kT0));
  EXPECT_FALSE(v.healthy.has_value());
  EXPECT_FALSE(v.recheck_at.has_value());
}

TEST(HealthStrategy, UpdateBlockInADeploymentMigrateBlockOtherwise) {
  model::Job job;
  job.update = model::UpdateStrategy{};
  job.update->min_healthy_time = 30s;
  job.migrate = model::MigrateStrategy{};
  job.migrate->healthy_deadline = 2min;
  model::TaskGroup group;
  group.update = model::UpdateStrategy{};
  group.update->health_check = "task_states";
  group.migrate = model::MigrateStrategy{3, "checks", Duration(1s), std::nullopt};

  model::HealthStrategy update = model::health_strategy(job, group, true);
  EXPECT_EQ(update, (model::HealthStrategy{"task_states", 30s, 5min}));
  model::HealthStrategy migrate = model::health_strategy(job, group, false);
  EXPECT_EQ(migrate, (model::HealthStrategy{"checks", 1s, 2min}));
  EXPECT_EQ(model::migrate_max_parallel(job, group), 3);
  EXPECT_EQ(model::health_strategy(model::Job{}, model::TaskGroup{}, false),
            model::HealthStrategy{});
  EXPECT_EQ(model::migrate_max_parallel(model::Job{}, model::TaskGroup{}), 1);
}

}  // namespace
}  // namespace caravan::client
