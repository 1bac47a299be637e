#include "client/check_restart.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace caravan::client {
namespace {

using namespace std::chrono_literals;

struct Fixture {
  SteadyTime t0 = std::chrono::steady_clock::now();
  std::vector<std::string> reasons;
  CheckRestartTracker make(int limit, Duration grace, bool ignore_warnings = false) {
    return CheckRestartTracker(model::CheckRestart{limit, grace, ignore_warnings}, "api-alive", t0,
                               [this](const std::string& r) { reasons.push_back(r); });
  }
};

TEST(CheckRestartTracker, RestartsAfterLimitConsecutiveFailures) {
  Fixture f;
  CheckRestartTracker t = f.make(3, 0s);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 1s));
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 2s));
  EXPECT_EQ(t.failures(), 2);
  EXPECT_TRUE(t.observe(CheckStatus::kCritical, f.t0 + 3s));
  ASSERT_EQ(f.reasons.size(), 1u);
  EXPECT_EQ(f.reasons[0], "check \"api-alive\" unhealthy");
  EXPECT_EQ(t.failures(), 0);
}

TEST(CheckRestartTracker, APassResetsTheCount) {
  Fixture f;
  CheckRestartTracker t = f.make(2, 0s);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 1s));
  EXPECT_FALSE(t.observe(CheckStatus::kPassing, f.t0 + 2s));
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 3s));
  EXPECT_TRUE(t.observe(CheckStatus::kCritical, f.t0 + 4s));
  EXPECT_EQ(f.reasons.size(), 1u);
}

TEST(CheckRestartTracker, FailuresWithinGraceDoNotCount) {
  Fixture f;
  CheckRestartTracker t = f.make(2, 10s);
  for (int i = 0; i < 9; ++i) EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 1s * i));
  EXPECT_EQ(t.failures(), 0);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 10s));
  EXPECT_TRUE(t.observe(CheckStatus::kCritical, f.t0 + 11s));
  // After asking for a restart it waits grace again.
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 12s));
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 20s));
  EXPECT_EQ(t.failures(), 0);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 21s));
  EXPECT_TRUE(t.observe(CheckStatus::kCritical, f.t0 + 22s));
  EXPECT_EQ(f.reasons.size(), 2u);
}

TEST(CheckRestartTracker, TaskStartedResetsCountAndGrace) {
  Fixture f;
  CheckRestartTracker t = f.make(2, 5s);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 6s));
  EXPECT_EQ(t.failures(), 1);
  t.task_started(f.t0 + 7s);  // restarted for another reason
  EXPECT_EQ(t.failures(), 0);
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 8s));
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 11s));
  EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 12s));
  EXPECT_TRUE(t.observe(CheckStatus::kCritical, f.t0 + 13s));
}

TEST(CheckRestartTracker, WarningsCountUnlessIgnored) {
  Fixture f;
  CheckRestartTracker counts = f.make(2, 0s);
  EXPECT_FALSE(counts.observe(CheckStatus::kWarning, f.t0 + 1s));
  EXPECT_TRUE(counts.observe(CheckStatus::kWarning, f.t0 + 2s));
  CheckRestartTracker ignores = f.make(2, 0s, /*ignore_warnings=*/true);
  EXPECT_FALSE(ignores.observe(CheckStatus::kCritical, f.t0 + 1s));
  EXPECT_FALSE(ignores.observe(CheckStatus::kWarning, f.t0 + 2s));  // resets, as a pass
  EXPECT_FALSE(ignores.observe(CheckStatus::kCritical, f.t0 + 3s));
  EXPECT_TRUE(ignores.observe(CheckStatus::kCritical, f.t0 + 4s));
  EXPECT_EQ(f.reasons.size(), 2u);
}

TEST(CheckRestartTracker, LimitZeroNeverRestarts) {
  Fixture f;
  CheckRestartTracker t = f.make(0, 0s);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(t.observe(CheckStatus::kCritical, f.t0 + 1s * i));
  EXPECT_TRUE(f.reasons.empty());
}

TEST(EffectiveCheckRestart, CheckOverridesService) {
  model::Service service;
  model::ServiceCheck check;
  EXPECT_FALSE(effective_check_restart(service, check).has_value());
  service.check_restart = model::CheckRestart{3, 10s, false};
  ASSERT_TRUE(effective_check_restart(service, check).has_value());
  EXPECT_EQ(effective_check_restart(service, check)->limit, 3);
  check.check_restart = model::CheckRestart{5, 1s, true};
  EXPECT_EQ(effective_check_restart(service, check)->limit, 5);
  check.check_restart->limit = 0;
  EXPECT_FALSE(effective_check_restart(service, check).has_value());
}

}  // namespace
}  // namespace caravan::client
