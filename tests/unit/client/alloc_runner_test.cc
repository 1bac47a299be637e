// AllocRunner with real raw_exec tasks: lifecycle ordering (prestart before
// main, poststop after a stop), failure of a prestart task, desired stop from
// the server, and the derived client status. Also the pure lifecycle planner
// and client-status derivation.
#include "client/alloc_runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "client/alloc_status.h"
#include "client/task_lifecycle.h"
#include "unit/client/client_test_util.h"
#include "unit/client/runner_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::make_alloc;
using testing::read_file;
using testing::restart_policy;
using testing::shell_task;
using testing::TempDir;

model::Task with_hook(model::Task task, std::string hook, bool sidecar = false) {
  task.lifecycle = model::TaskLifecycle{std::move(hook), sidecar};
  return task;
}

class AllocRunnerTest : public ::testing::Test {
 protected:
  std::unique_ptr<AllocRunner> make_runner(
      model::Allocation alloc, std::function<bool(const std::string&)> checks_pass = nullptr) {
    AllocRunnerConfig config;
    config.checks_pass = std::move(checks_pass);
    config.data_dir = tmp_.path();
    config.node = std::make_shared<const model::Node>(testing::runner_node());
    config.restart_jitter = [] { return 0.0; };
    return std::make_unique<AllocRunner>(std::move(config), std::move(alloc),
                                         [this](const std::string&) { ++changes_; });
  }
  std::string logs(const AllocRunner& runner, const std::string& task) {
    return read_file(runner.dir()->logs_dir() + "/" + task + ".stdout.0");
  }

  TempDir tmp_;
  std::atomic<int> changes_{0};
};

TEST_F(AllocRunnerTest, PrestartTaskCompletesBeforeTheMainTaskStarts) {
  auto runner = make_runner(
      make_alloc({shell_task("main", "test -f \"$NOMAD_ALLOC_DIR/pre\" && echo saw-pre"),
                  with_hook(shell_task("init", "sleep 0.3; echo done > \"$NOMAD_ALLOC_DIR/pre\""),
                            "prestart")}));
  runner->run();
  ASSERT_TRUE(runner->wait(30s));
  EXPECT_EQ(runner->client_status().status, model::kAllocClientComplete);
  EXPECT_EQ(logs(*runner, "main"), "saw-pre\n");
  model::Allocation update = runner->client_update();
  EXPECT_LE(update.task_states.at("init").finished_at, update.task_states.at("main").started_at);
  EXPECT_GT(changes_.load(), 0);
}

TEST_F(AllocRunnerTest, FailedPrestartTaskFailsTheAllocWithoutStartingMain) {
  auto runner = make_runner(make_alloc({shell_task("main", "echo should-not-run"),
                                        with_hook(shell_task("init", "exit 3"), "prestart")},
                                       "batch", restart_policy(0, 10ms, 1h)));
  runner->run();
  ASSERT_TRUE(runner->wait(30s));
  model::Allocation update = runner->client_update();
  EXPECT_EQ(update.client_status, model::kAllocClientFailed);
  EXPECT_TRUE(update.task_states.at("init").failed);
  EXPECT_EQ(update.task_states.at("main").state, model::kTaskStateDead);
  EXPECT_TRUE(update.task_states.at("main").started_at.empty());
}

TEST_F(AllocRunnerTest, DesiredStopKillsTasksAndRunsPoststop) {
  model::Allocation alloc =
      make_alloc({shell_task("main", "echo up; exec sleep 60"),
                  with_hook(shell_task("cleanup", "echo cleaned"), "poststop")},
                 "service");
  auto runner = make_runner(alloc);
  runner->run();
  ASSERT_TRUE(
      eventually([&] { return runner->client_status().status == model::kAllocClientRunning; }));
  EXPECT_TRUE(runner->client_update().task_states.at("cleanup").started_at.empty());
  alloc.desired_status = model::kAllocDesiredStop;
  alloc.alloc_modify_index = 7;
  runner->update(alloc);
  ASSERT_TRUE(runner->wait(30s));
  model::Allocation update = runner->client_update();
  EXPECT_EQ(update.client_status, model::kAllocClientComplete);
  EXPECT_EQ(update.task_states.at("main").events.back().type, "Killed");
  EXPECT_EQ(logs(*runner, "cleanup"), "cleaned\n");
  EXPECT_TRUE(runner->terminal());
}

TEST_F(AllocRunnerTest, FailingTaskKillsItsSiblings) {
  auto runner =
      make_runner(make_alloc({shell_task("bad", "exit 1"), shell_task("good", "exec sleep 60")},
                             "service", restart_policy(0, 10ms, 1h)));
  runner->run();
  ASSERT_TRUE(runner->wait(30s));
  model::Allocation update = runner->client_update();
  EXPECT_EQ(update.client_status, model::kAllocClientFailed);
  const auto& events = update.task_states.at("good").events;
  EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                          [](const auto& e) { return e.type == "Sibling Task Failed"; }));
}

TEST_F(AllocRunnerTest, DestroyRemovesTheAllocDir) {
  auto runner = make_runner(make_alloc({shell_task("main", "exec sleep 60")}, "service"));
  runner->run();
  ASSERT_TRUE(
      eventually([&] { return runner->client_status().status == model::kAllocClientRunning; }));
  std::string root = runner->dir()->root();
  runner->destroy(20s);
  EXPECT_FALSE(std::filesystem::exists(root));
}

// A service allocation whose group has a service with a check, judged per its
// migrate block (no deployment): healthy only once the checks pass too.
TEST_F(AllocRunnerTest, HealthWaitsForChecksWhenHealthCheckIsChecks) {
  model::Allocation alloc = make_alloc({shell_task("web", "exec sleep 60")}, "service");
  auto job = std::make_shared<model::Job>(*alloc.job);
  model::TaskGroup& group = job->task_groups[0];
  group.migrate = model::MigrateStrategy{1, "checks", Duration(50ms), Duration(5min)};
  model::Service service;
  service.name = "web";
  service.checks.push_back(model::ServiceCheck{});
  group.services.push_back(service);
  alloc.job = job;
  std::atomic<bool> pass{false};
  std::atomic<int> asked{0};
  auto runner = make_runner(alloc, [&](const std::string& id) {
    EXPECT_EQ(id, alloc.id);
    ++asked;
    return pass.load();
  });
  runner->run();
  ASSERT_TRUE(
      eventually([&] { return runner->client_status().status == model::kAllocClientRunning; }));
  auto decided = [&] {
    runner->check_health(std::chrono::steady_clock::now());
    auto status = runner->client_update().deployment_status;
    return status && status->healthy.has_value();
  };
  // Running for longer than min_healthy_time, checks failing: undecided.
  auto until = std::chrono::steady_clock::now() + 300ms;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_FALSE(decided());
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GT(asked.load(), 0);
  pass = true;
  ASSERT_TRUE(eventually(decided));
  EXPECT_EQ(runner->client_update().deployment_status->healthy, true);
  runner->kill();
  ASSERT_TRUE(runner->wait(30s));
}

TEST_F(AllocRunnerTest, TaskStatesHealthIgnoresChecks) {
  model::Allocation alloc = make_alloc({shell_task("web", "exec sleep 60")}, "service");
  auto job = std::make_shared<model::Job>(*alloc.job);
  model::TaskGroup& group = job->task_groups[0];
  group.migrate = model::MigrateStrategy{1, "task_states", Duration(50ms), Duration(5min)};
  model::Service service;
  service.name = "web";
  service.checks.push_back(model::ServiceCheck{});
  group.services.push_back(service);
  alloc.job = job;
  auto runner = make_runner(alloc, [](const std::string&) { return false; });
  runner->run();
  ASSERT_TRUE(eventually([&] {
    runner->check_health(std::chrono::steady_clock::now());
    auto status = runner->client_update().deployment_status;
    return status && status->healthy == true;
  }));
  runner->kill();
  ASSERT_TRUE(runner->wait(30s));
}

TEST(DeriveClientStatus, FollowsNomadsPrecedence) {
  model::TaskState pending, running, done, failed;
  running.state = model::kTaskStateRunning;
  done.state = model::kTaskStateDead;
  failed.state = model::kTaskStateDead;
  failed.failed = true;
  EXPECT_EQ(derive_client_status({{"a", pending}}).status, model::kAllocClientPending);
  EXPECT_EQ(derive_client_status({{"a", pending}, {"b", running}}).status,
            model::kAllocClientRunning);
  EXPECT_EQ(derive_client_status({{"a", done}, {"b", done}}).status, model::kAllocClientComplete);
  EXPECT_EQ(derive_client_status({{"a", running}, {"b", failed}}).status,
            model::kAllocClientFailed);
}

TEST(PlanLifecycle, StartsMainOnlyAfterPrestartAndPoststartAfterMain) {
  model::Task pre = with_hook(shell_task("pre", ""), "prestart");
  model::Task side = with_hook(shell_task("side", ""), "prestart", true);
  model::Task main = shell_task("main", "");
  model::Task post = with_hook(shell_task("post", ""), "poststart");
  std::vector<LifecycleTask> tasks = {
      {&pre, false, {}}, {&side, false, {}}, {&main, false, {}}, {&post, false, {}}};
  EXPECT_EQ(plan_lifecycle(tasks, AllocMode::kRun).start,
            (std::vector<std::string>{"pre", "side"}));
  tasks[0].started = tasks[1].started = true;
  tasks[0].state.state = model::kTaskStateDead;
  EXPECT_TRUE(plan_lifecycle(tasks, AllocMode::kRun).start.empty());  // sidecar not running yet
  tasks[1].state.state = model::kTaskStateRunning;
  EXPECT_EQ(plan_lifecycle(tasks, AllocMode::kRun).start, (std::vector<std::string>{"main"}));
  tasks[2].started = true;
  tasks[2].state.state = model::kTaskStateRunning;
  tasks[2].state.started_at = "2024-01-01T00:00:00Z";
  EXPECT_EQ(plan_lifecycle(tasks, AllocMode::kRun).start, (std::vector<std::string>{"post"}));
  tasks[2].state.state = model::kTaskStateDead;
  tasks[3].started = true;
  LifecycleActions done = plan_lifecycle(tasks, AllocMode::kRun);
  ASSERT_EQ(done.kill.size(), 1u);  // the sidecar: main is over
  EXPECT_EQ(done.kill[0].task, "side");
}

}  // namespace
}  // namespace caravan::client
