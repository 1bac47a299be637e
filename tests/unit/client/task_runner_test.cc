// TaskRunner with real raw_exec processes: a batch task to completion with its
// events and logs, the restart policy (fail and delay modes), kill, a requested
// restart, driver failures, and re-attaching to a running task from saved state.
#include "client/task_runner.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "client/task_events.h"
#include "unit/client/client_test_util.h"
#include "unit/client/runner_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using testing::EventLog;
using testing::eventually;
using testing::make_alloc;
using testing::read_file;
using testing::restart_policy;
using testing::shell_task;
using testing::TempDir;

class TaskRunnerTest : public ::testing::Test {
 protected:
  // A runner for the first task of `alloc`, with its alloc dir made.
  std::unique_ptr<TaskRunner> make_runner(const model::Allocation& alloc,
                                          const LocalState* state = nullptr) {
    alloc_ = std::make_shared<const model::Allocation>(alloc);
    dir_.emplace(*AllocDir::under(tmp_.path(), alloc.id));
    const std::string& task = alloc.job->task_groups[0].tasks[0].name;
    EXPECT_TRUE(create_alloc_dir(*dir_, {task}).is_ok());
    TaskRunnerConfig config{.alloc = alloc_,
                            .task_name = task,
                            .node = std::make_shared<const model::Node>(testing::runner_node()),
                            .alloc_dir = *dir_,
                            .local_state = state,
                            .restart_jitter = [] { return 0.0; }};
    return std::make_unique<TaskRunner>(
        std::move(config),
        [this](const std::string&, const model::TaskState& s) { log_.record(s); });
  }

  TempDir tmp_;
  std::shared_ptr<const model::Allocation> alloc_;
  std::optional<AllocDir> dir_;
  EventLog log_;
};

TEST_F(TaskRunnerTest, RunsBatchTaskToCompletionWithEventsAndLogs) {
  auto runner = make_runner(make_alloc({shell_task("web", "echo hello; echo oops >&2; exit 0")}));
  runner->start();
  ASSERT_TRUE(runner->wait(20s));
  model::TaskState state = runner->state();
  EXPECT_EQ(state.state, model::kTaskStateDead);
  EXPECT_FALSE(state.failed);
  EXPECT_FALSE(state.started_at.empty());
  EXPECT_FALSE(state.finished_at.empty());
  EXPECT_EQ(testing::event_types(state),
            (std::vector<std::string>{"Received", "Task Setup", "Started", "Terminated"}));
  EXPECT_EQ(state.events[3].display_message, "Exit Code: 0");
  EXPECT_EQ(read_file(dir_->logs_dir() + "/web.stdout.0"), "hello\n");
  EXPECT_EQ(read_file(dir_->logs_dir() + "/web.stderr.0"), "oops\n");
  EXPECT_EQ(log_.last(), state);  // the callback saw the final state
}

TEST_F(TaskRunnerTest, RestartsFailingTaskPerPolicyThenFails) {
  auto runner =
      make_runner(make_alloc({shell_task("web", "exit 1")}, "batch", restart_policy(2, 50ms, 1h)));
  runner->start();
  ASSERT_TRUE(runner->wait(30s));
  model::TaskState state = runner->state();
  EXPECT_EQ(state.state, model::kTaskStateDead);
  EXPECT_TRUE(state.failed);
  EXPECT_EQ(state.restarts, 2);
  EXPECT_FALSE(state.last_restart.empty());
  EXPECT_EQ(log_.count("Started"), 3);
  EXPECT_EQ(log_.count("Restarting"), 2);
  ASSERT_EQ(state.events.back().type, "Not Restarting");
  EXPECT_TRUE(state.events.back().fails_task);
  EXPECT_EQ(state.events.back().restart_reason,
            "Exceeded allowed attempts 2 in interval 1h0m0s and mode is \"fail\"");
  auto events = log_.events();
  auto terminated = std::find_if(events.begin(), events.end(),
                                 [](const auto& e) { return e.type == "Terminated"; });
  ASSERT_NE(terminated, events.end());
  EXPECT_EQ(terminated->exit_code, 1);
}

TEST_F(TaskRunnerTest, ModeDelayWaitsOutTheIntervalInsteadOfFailing) {
  auto runner = make_runner(make_alloc({shell_task("web", "exit 1")}, "service",
                                       restart_policy(1, 10ms, 400ms, "delay")));
  runner->start();
  ASSERT_TRUE(eventually([&] {
    for (const auto& e : log_.events()) {
      if (e.restart_reason == "Exceeded allowed attempts, applying a delay") return true;
    }
    return false;
  }));
  EXPECT_EQ(log_.count("Not Restarting"), 0);
  runner->kill("test is over");
  ASSERT_TRUE(runner->wait(20s));
  EXPECT_FALSE(runner->state().failed);
}

TEST_F(TaskRunnerTest, KillingARunningTaskEndsKilled) {
  auto runner = make_runner(make_alloc({shell_task("web", "echo up; exec sleep 60")}, "service"));
  runner->start();
  ASSERT_TRUE(eventually([&] { return runner->state().state == model::kTaskStateRunning; }));
  runner->kill("alloc was stopped");
  ASSERT_TRUE(runner->wait(20s));
  model::TaskState state = runner->state();
  EXPECT_EQ(state.state, model::kTaskStateDead);
  EXPECT_FALSE(state.failed);
  std::vector<std::string> types = testing::event_types(state);
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(types.end() - 3, types.end()),
            (std::vector<std::string>{"Killing", "Terminated", "Killed"}));
  EXPECT_EQ(state.events[state.events.size() - 2].signal, SIGTERM);
  EXPECT_FALSE(runner->handle().has_value());
}

TEST_F(TaskRunnerTest, RequestedRestartDoesNotCountAgainstThePolicy) {
  auto runner = make_runner(
      make_alloc({shell_task("web", "exec sleep 60")}, "service", restart_policy(0, 10ms, 1h)));
  runner->start();
  ASSERT_TRUE(eventually([&] { return runner->handle().has_value(); }));
  int first_pid = runner->handle()->target.pid;
  ASSERT_TRUE(runner->restart().is_ok());
  ASSERT_TRUE(eventually([&] {
    auto h = runner->handle();
    return h && h->target.pid != first_pid && runner->state().state == model::kTaskStateRunning;
  }));
  EXPECT_EQ(log_.count("Restart Signaled"), 1);
  EXPECT_EQ(runner->state().restarts, 1);
  runner->kill("done");
  ASSERT_TRUE(runner->wait(20s));
  EXPECT_FALSE(runner->state().failed);
}

TEST_F(TaskRunnerTest, MissingCommandIsADriverFailureThatFailsTheTask) {
  model::Task task = shell_task("web", "");
  task.config = *model::RawJson::parse(R"({"command":"/nonexistent/binary"})");
  auto runner = make_runner(make_alloc({task}, "service", restart_policy(3, 10ms, 1h)));
  runner->start();
  ASSERT_TRUE(runner->wait(20s));
  model::TaskState state = runner->state();
  EXPECT_TRUE(state.failed);
  EXPECT_EQ(log_.count("Driver Failure"), 1);
  EXPECT_EQ(log_.count("Started"), 0);
  EXPECT_EQ(state.events.back().type, "Not Restarting");
}

TEST_F(TaskRunnerTest, UnknownDriverFailsTheTask) {
  model::Task task = shell_task("web", "true");
  task.driver = "nope";
  auto runner = make_runner(make_alloc({task}));
  runner->start();
  ASSERT_TRUE(runner->wait(20s));
  EXPECT_TRUE(runner->state().failed);
  EXPECT_EQ(log_.count("Driver Failure"), 1);
}

TEST_F(TaskRunnerTest, KillBeforeStartMarksTheTaskDead) {
  auto runner = make_runner(make_alloc({shell_task("web", "exit 0")}));
  runner->kill("never mind");
  ASSERT_TRUE(runner->wait(20s));
  EXPECT_EQ(runner->state().state, model::kTaskStateDead);
  EXPECT_EQ(log_.count("Started"), 0);
}

TEST_F(TaskRunnerTest, ReattachesToTheRunningTaskAfterAnAgentRestart) {
  auto state = LocalState::open(tmp_.path());
  ASSERT_TRUE(state.has_value()) << state.error().message();
  model::Allocation alloc = make_alloc({shell_task("web", "echo first; exec sleep 60")}, "service");
  auto runner = make_runner(alloc, &*state);
  ASSERT_TRUE(state->put_alloc(alloc).is_ok());
  runner->start();
  ASSERT_TRUE(eventually([&] { return runner->handle().has_value(); }));
  int pid = runner->handle()->target.pid;
  runner.reset();  // the agent goes away; the task stays
  ASSERT_EQ(::kill(pid, 0), 0);

  std::vector<std::string> warnings;
  std::vector<SavedAlloc> saved = state->load_all(warnings);
  ASSERT_EQ(saved.size(), 1u);
  ASSERT_TRUE(saved[0].tasks.at("web").handle_json.has_value());
  auto again = make_runner(alloc, &*state);
  again->restore(saved[0].tasks.at("web"));
  again->start();
  ASSERT_TRUE(eventually([&] { return again->handle().has_value(); }));
  EXPECT_EQ(again->handle()->target.pid, pid);
  EXPECT_EQ(again->state().state, model::kTaskStateRunning);
  EXPECT_EQ(log_.count("Started"), 1);  // not started twice
  again->kill("done");
  ASSERT_TRUE(again->wait(20s));
  EXPECT_EQ(again->state().events.back().type, "Killed");
  EXPECT_EQ(read_file(dir_->logs_dir() + "/web.stdout.0"), "first\n");
}

TEST_F(TaskRunnerTest, TaskThatDiedWhileTheAgentWasDownIsRestartedPerPolicy) {
  auto state = LocalState::open(tmp_.path());
  ASSERT_TRUE(state.has_value());
  model::Allocation alloc =
      make_alloc({shell_task("web", "exec sleep 60")}, "service", restart_policy(2, 10ms, 1h));
  auto runner = make_runner(alloc, &*state);
  ASSERT_TRUE(state->put_alloc(alloc).is_ok());
  runner->start();
  ASSERT_TRUE(eventually([&] { return runner->handle().has_value(); }));
  int pid = runner->handle()->target.pid;
  runner.reset();
  ::kill(pid, SIGKILL);

  std::vector<std::string> warnings;
  auto saved = state->load_all(warnings);
  ASSERT_EQ(saved.size(), 1u);
  auto again = make_runner(alloc, &*state);
  again->restore(saved[0].tasks.at("web"));
  again->start();
  ASSERT_TRUE(eventually([&] {
    auto h = again->handle();
    return h && h->target.pid != pid;
  }));
  EXPECT_EQ(again->state().restarts, 1);
  again->kill("done");
  ASSERT_TRUE(again->wait(20s));
}

}  // namespace
}  // namespace caravan::client
