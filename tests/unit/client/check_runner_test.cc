#include "client/check_runner.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <vector>

#include "client/check_restart.h"
#include "unit/client/check_test_util.h"
#include "unit/client/client_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;

// A checker that returns scripted results, one per probe, and then hangs
// (until cancelled or its deadline) so that the reported state stays put.
class ScriptedChecker final : public HealthChecker {
 public:
  struct Shared {
    std::mutex mu;
    std::deque<CheckResult> results;
    std::vector<std::chrono::steady_clock::time_point> probe_starts;
    std::atomic<bool> hanging{false};
    std::atomic<bool> saw_cancel{false};
  };

  explicit ScriptedChecker(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  CheckResult probe(const ProbeContext& ctx) override {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->probe_starts.push_back(std::chrono::steady_clock::now());
      if (!shared_->results.empty()) {
        CheckResult r = shared_->results.front();
        shared_->results.pop_front();
        return r;
      }
    }
    shared_->hanging = true;
    // Waits on the cancel fd only, like a probe stuck in a read; the deadline
    // is far away in these tests.
    pollfd p{ctx.cancel_fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        ctx.deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) > 0) {
      shared_->saw_cancel = true;
    }
    return {CheckStatus::kCritical, "hung"};
  }
  std::string describe() const override { return "scripted"; }

 private:
  std::shared_ptr<Shared> shared_;
};

CheckResult pass(std::string out = "ok") { return {CheckStatus::kPassing, std::move(out)}; }
CheckResult warn(std::string out = "meh") { return {CheckStatus::kWarning, std::move(out)}; }
CheckResult crit(std::string out = "down") { return {CheckStatus::kCritical, std::move(out)}; }

// Records what the runner reports.
struct Recorder {
  std::mutex mu;
  std::vector<CheckState> changes;
  std::vector<CheckState> probes;

  CheckRunner::ChangeCallback on_change() {
    return [this](const CheckState& s) {
      std::lock_guard<std::mutex> lock(mu);
      changes.push_back(s);
    };
  }
  CheckRunner::ProbeCallback on_probe() {
    return [this](const CheckState& s, const CheckResult&) {
      std::lock_guard<std::mutex> lock(mu);
      probes.push_back(s);
    };
  }
  size_t probe_count() {
    std::lock_guard<std::mutex> lock(mu);
    return probes.size();
  }
  std::vector<CheckState> changes_copy() {
    std::lock_guard<std::mutex> lock(mu);
    return changes;
  }
};

CheckRunnerOptions fast_options() {
  CheckRunnerOptions o;
  o.interval = 5ms;
  o.timeout = 60s;  // scripted probes hang until cancelled once the script ends
  return o;
}

TEST(CheckThresholds, DefaultsReportEveryResultAtOnce) {
  CheckThresholds t(CheckRunnerOptions{});
  EXPECT_EQ(t.state().status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kPassing);
  EXPECT_EQ(t.observe(warn()).status, CheckStatus::kWarning);
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.state().output, "down");
}

TEST(CheckThresholds, SuccessBeforePassingNeedsConsecutivePasses) {
  CheckRunnerOptions o;
  o.success_before_passing = 3;
  CheckThresholds t(o);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kCritical);  // the streak restarts
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(pass("third")).status, CheckStatus::kPassing);
  EXPECT_EQ(t.state().output, "third");
}

TEST(CheckThresholds, FailuresBeforeWarningThenCritical) {
  CheckRunnerOptions o;
  o.initial_status = CheckStatus::kPassing;
  o.failures_before_warning = 2;
  o.failures_before_critical = 4;
  CheckThresholds t(o);
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kPassing);
  EXPECT_EQ(t.observe(crit("second")).status, CheckStatus::kWarning);
  EXPECT_EQ(t.state().output, "second");
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kWarning);
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kCritical);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kPassing);
  // A pass in between resets the failure count.
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kPassing);
  EXPECT_EQ(t.observe(pass()).status, CheckStatus::kPassing);
  EXPECT_EQ(t.observe(crit()).status, CheckStatus::kPassing);
}

TEST(CheckRunnerOptions, FromTheJobsCheckBlock) {
  model::ServiceCheck check;
  check.name = "alive";
  check.interval = 3s;
  check.timeout = 1s;
  check.initial_status = "warning";
  check.success_before_passing = 2;
  check.failures_before_critical = 3;
  Result<CheckRunnerOptions> o = check_runner_options(check);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->interval, 3s);
  EXPECT_EQ(o->timeout, 1s);
  EXPECT_EQ(o->initial_status, CheckStatus::kWarning);
  EXPECT_EQ(o->success_before_passing, 2);
  EXPECT_EQ(o->failures_before_critical, 3);
  check.initial_status = "";
  EXPECT_EQ(check_runner_options(check)->initial_status, CheckStatus::kCritical);
  check.initial_status = "green";
  Result<CheckRunnerOptions> bad = check_runner_options(check);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("check \"alive\": initial_status"), std::string::npos);
}

TEST(CheckRunner, ReportsEachStatusChangeOnceAfterThresholds) {
  auto shared = std::make_shared<ScriptedChecker::Shared>();
  shared->results = {pass(), pass(), pass(), pass(), crit(), crit(), pass()};
  CheckRunnerOptions o = fast_options();
  o.success_before_passing = 2;
  o.failures_before_critical = 2;
  Recorder rec;
  CheckRunner runner(std::make_unique<ScriptedChecker>(shared), o, rec.on_change(), rec.on_probe());
  EXPECT_EQ(runner.state().status, CheckStatus::kCritical);
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return rec.probe_count() == 7 && shared->hanging; }));
  // critical (initial) → passing after 2 passes → critical after 2 failures →
  // (one pass is not enough) stays critical.
  std::vector<CheckState> changes = rec.changes_copy();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (CheckState{CheckStatus::kPassing, "ok"}));
  EXPECT_EQ(changes[1], (CheckState{CheckStatus::kCritical, "down"}));
  EXPECT_EQ(runner.state(), (CheckState{CheckStatus::kCritical, "down"}));
  EXPECT_EQ(runner.probes(), 7);
  runner.stop();
}

TEST(CheckRunner, OutputChangeAloneIsReported) {
  auto shared = std::make_shared<ScriptedChecker::Shared>();
  shared->results = {pass("v1"), pass("v1"), pass("v2")};
  Recorder rec;
  CheckRunner runner(std::make_unique<ScriptedChecker>(shared), fast_options(), rec.on_change(),
                     rec.on_probe());
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return rec.probe_count() == 3 && shared->hanging; }));
  std::vector<CheckState> changes = rec.changes_copy();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].output, "v1");
  EXPECT_EQ(changes[1].output, "v2");
}

TEST(CheckRunner, ProbesRightAwayThenEveryInterval) {
  auto shared = std::make_shared<ScriptedChecker::Shared>();
  shared->results = {pass(), pass(), pass()};
  CheckRunnerOptions o = fast_options();
  o.interval = 100ms;
  Recorder rec;
  auto before = std::chrono::steady_clock::now();
  CheckRunner runner(std::make_unique<ScriptedChecker>(shared), o, rec.on_change(), rec.on_probe());
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return shared->hanging.load(); }));
  std::lock_guard<std::mutex> lock(shared->mu);
  ASSERT_EQ(shared->probe_starts.size(), 4u);
  EXPECT_LT(shared->probe_starts[0] - before, 1s);  // no interval wait before the first
  for (size_t i = 1; i < shared->probe_starts.size(); ++i) {
    EXPECT_GE(shared->probe_starts[i] - shared->probe_starts[i - 1], 100ms);
  }
}

TEST(CheckRunner, StopReturnsPromptlyWhileAProbeHangs) {
  auto shared = std::make_shared<ScriptedChecker::Shared>();
  Recorder rec;
  CheckRunner runner(std::make_unique<ScriptedChecker>(shared), fast_options(), rec.on_change(),
                     rec.on_probe());
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return shared->hanging.load(); }));
  auto started = std::chrono::steady_clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(shared->saw_cancel);
  // The cancelled probe's result is not reported.
  EXPECT_EQ(rec.probe_count(), 0u);
  EXPECT_TRUE(rec.changes_copy().empty());
  runner.stop();  // idempotent
}

TEST(CheckRunner, StopKillsAHangingScriptCheck) {
  testing::TempDir dir;
  std::string pid_file = dir.path() + "/pid";
  ScriptCheckSpec spec;
  spec.command = "/bin/sh";
  spec.args = {"-c", "echo $$ > " + pid_file + "; exec sleep 60"};
  Result<HealthCheckerPtr> checker = make_script_checker(spec);
  ASSERT_TRUE(checker.has_value());
  CheckRunnerOptions o;
  o.interval = 10s;
  o.timeout = 60s;
  CheckRunner runner(std::move(checker).value(), o, nullptr);
  runner.start();
  int pid = 0;
  ASSERT_TRUE(testing::wait_for([&] {
    std::string text = testing::read_file(pid_file);
    if (text.empty() || text.back() != '\n') return false;
    pid = std::stoi(text);
    return true;
  }));
  auto started = std::chrono::steady_clock::now();
  runner.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_TRUE(testing::process_ended(pid));
}

TEST(CheckRunner, StopFromInsideACallbackDoesNotDeadlock) {
  auto shared = std::make_shared<ScriptedChecker::Shared>();
  shared->results = {pass()};
  std::atomic<int> calls{0};
  CheckRunner* self = nullptr;
  CheckRunner runner(std::make_unique<ScriptedChecker>(shared), fast_options(),
                     [&](const CheckState&) {
                       ++calls;
                       self->stop();
                     });
  self = &runner;
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return calls.load() == 1; }));
  runner.stop();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(shared->hanging);
}

TEST(CheckRunner, DrivesCheckRestartWithARealHttpCheck) {
  testing::TestHttpServer server(
      testing::TestHttpServer::response(500, "Internal Server Error", ""));
  HttpCheckSpec spec;
  spec.address = "127.0.0.1";
  spec.port = server.port();
  Result<HealthCheckerPtr> checker = make_http_checker(spec);
  ASSERT_TRUE(checker.has_value());
  std::atomic<int> restarts{0};
  std::string reason;
  model::CheckRestart policy{3, Duration{0}, false};
  CheckRestartTracker tracker(policy, "web-alive", std::chrono::steady_clock::now(),
                              [&](const std::string& why) {
                                reason = why;
                                ++restarts;
                              });
  CheckRunnerOptions o;
  o.interval = 5ms;
  o.timeout = 5s;
  CheckRunner runner(std::move(checker).value(), o, nullptr,
                     [&](const CheckState& s, const CheckResult&) {
                       tracker.observe(s.status, std::chrono::steady_clock::now());
                     });
  runner.start();
  ASSERT_TRUE(testing::wait_for([&] { return restarts.load() >= 1; }));
  runner.stop();
  EXPECT_GE(server.connections(), 3);
  EXPECT_EQ(reason, "check \"web-alive\" unhealthy");
}

}  // namespace
}  // namespace caravan::client
