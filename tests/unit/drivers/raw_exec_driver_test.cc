// raw_exec with real processes: exit codes and output, env and cwd, stop with a
// task that ignores SIGTERM, custom kill signals, and re-attaching from a
// serialised handle in a fresh driver (an agent restart).
#include "drivers/raw_exec/raw_exec_driver.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "drivers/internal/proc.h"
#include "unit/drivers/driver_test_util.h"

namespace caravan::drivers {
namespace {

using testing::eventually;
using testing::HandleGuard;
using testing::TempAlloc;
using testing::wait_exit;

TEST(RawExecDriver, FingerprintIsAlwaysDetected) {
  Fingerprint f = RawExecDriver().fingerprint();
  EXPECT_TRUE(f.detected);
  EXPECT_TRUE(f.healthy);
  EXPECT_EQ(f.attributes.at("driver.raw_exec"), "1");
}

TEST(RawExecDriver, ReportsExitCodeAndCapturesOutput) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(alloc.shell("echo hi; echo err >&2; exit 3"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ExitResult exit = wait_exit(driver, *handle);
  EXPECT_EQ(exit.exit_code, 3);
  EXPECT_EQ(exit.signal, 0);
  EXPECT_FALSE(exit.oom_killed);
  EXPECT_FALSE(exit.successful());
  EXPECT_EQ(alloc.out(), "hi\n");
  EXPECT_EQ(alloc.err(), "err\n");
}

TEST(RawExecDriver, PassesEnvAndRunsInTaskDir) {
  TempAlloc alloc;
  RawExecDriver driver;
  TaskSpec spec = alloc.shell("echo \"$GREETING\"; pwd; echo \"$PATH\"");
  spec.env = {{"GREETING", "hello world"}};
  auto handle = driver.start(spec);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  EXPECT_TRUE(wait_exit(driver, *handle).successful());
  EXPECT_EQ(alloc.out(),
            "hello world\n" + alloc.task_dir() + "\n" + DriverOptions().default_path + "\n");
}

TEST(RawExecDriver, StopSigkillsTaskThatIgnoresSigterm) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(alloc.shell("trap '' TERM; echo ready; sleep 60"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ASSERT_TRUE(eventually([&] { return alloc.out() == "ready\n"; }));
  auto begin = std::chrono::steady_clock::now();
  auto exit = driver.stop(*handle, SIGTERM, std::chrono::milliseconds(300));
  ASSERT_TRUE(exit.has_value()) << exit.status().to_string();
  EXPECT_EQ(exit->signal, SIGKILL);
  EXPECT_GE(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(300));
}

TEST(RawExecDriver, StopSendsTheTasksKillSignal) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(
      alloc.shell("trap 'echo got-int; exit 42' INT; echo ready; while :; do sleep 0.1; done"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ASSERT_TRUE(eventually([&] { return alloc.out() == "ready\n"; }));
  auto exit = driver.stop(*handle, SIGINT, std::chrono::seconds(20));
  ASSERT_TRUE(exit.has_value()) << exit.status().to_string();
  EXPECT_EQ(exit->exit_code, 42);
  EXPECT_EQ(alloc.out(), "ready\ngot-int\n");
}

TEST(RawExecDriver, SignalReachesTaskAndExitFdWakes) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle =
      driver.start(alloc.shell("trap 'exit 9' USR1; echo ready; while :; do sleep 0.1; done"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ASSERT_TRUE(eventually([&] { return alloc.out() == "ready\n"; }));
  auto fd = driver.exit_fd(*handle);
  ASSERT_TRUE(fd.has_value()) << fd.status().to_string();
  EXPECT_FALSE(internal::wait_readable(fd->get(), std::chrono::milliseconds(0)));
  ASSERT_TRUE(driver.signal(*handle, SIGUSR1).is_ok());
  EXPECT_TRUE(internal::wait_readable(fd->get(), std::chrono::seconds(10)));
  EXPECT_EQ(wait_exit(driver, *handle).exit_code, 9);
  EXPECT_EQ(driver.signal(*handle, SIGUSR1).code(), StatusCode::kFailedPrecondition);
}

TEST(RawExecDriver, RecoverAfterAgentRestartSeesRunningTaskThenItsExit) {
  TempAlloc alloc;
  std::string json;
  {
    RawExecDriver first_agent;
    auto handle = first_agent.start(
        alloc.shell("echo ready; while [ ! -e local/go ]; do sleep 0.05; done; exit 7"));
    ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
    json = handle->to_json();
  }  // the first agent is gone; the task is not
  ASSERT_TRUE(eventually([&] { return alloc.out() == "ready\n"; }));

  RawExecDriver second_agent;
  auto handle = second_agent.recover(json);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(second_agent, *handle);
  auto status = second_agent.inspect(*handle);
  ASSERT_TRUE(status.has_value()) << status.status().to_string();
  EXPECT_EQ(status->state, TaskState::kRunning);
  EXPECT_EQ(status->pid, handle->target.pid);
  std::ofstream(alloc.task_dir() + "/local/go") << "";
  ExitResult exit = wait_exit(second_agent, *handle);
  EXPECT_EQ(exit.exit_code, 7);
  EXPECT_TRUE(exit.error.empty()) << exit.error;
}

TEST(RawExecDriver, TaskSurvivesSigkillOfTheAgentProcess) {
  TempAlloc alloc;
  std::string handle_file = alloc.alloc_dir() + "/handle.json";
  pid_t agent = ::fork();
  ASSERT_GE(agent, 0);
  if (agent == 0) {  // the "agent": starts the task, persists the handle, dies hard
    RawExecDriver driver;
    auto handle = driver.start(alloc.shell("while [ ! -e local/go ]; do sleep 0.05; done; exit 5"));
    if (handle.has_value()) {
      std::ofstream(handle_file) << handle->to_json();
    }
    ::raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(agent, &status, 0), agent);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  RawExecDriver restarted;
  auto handle = restarted.recover(testing::read_text(handle_file));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(restarted, *handle);
  auto running = restarted.wait_for(*handle, std::chrono::milliseconds(0));
  ASSERT_TRUE(running.has_value());
  EXPECT_FALSE(running->has_value());
  std::ofstream(alloc.task_dir() + "/local/go") << "";
  EXPECT_EQ(wait_exit(restarted, *handle).exit_code, 5);
}

TEST(RawExecDriver, RecoverOfDestroyedTaskIsNotFound) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(alloc.shell("exit 0"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  EXPECT_TRUE(wait_exit(driver, *handle).successful());
  std::string json = handle->to_json();
  ASSERT_TRUE(driver.destroy(*handle).is_ok());
  auto recovered = RawExecDriver().recover(json);
  ASSERT_FALSE(recovered.has_value());
  EXPECT_EQ(recovered.status().code(), StatusCode::kNotFound);
  EXPECT_NE(recovered.status().message().find("is gone"), std::string::npos);
}

TEST(RawExecDriver, KilledSupervisorMakesExitStatusUnknownButStopStillWorks) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(alloc.shell("echo ready; sleep 60"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ASSERT_TRUE(eventually([&] { return alloc.out() == "ready\n"; }));
  ASSERT_EQ(::kill(handle->supervisor.pid, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return !internal::is_running(handle->supervisor); }));
  auto running = driver.wait_for(*handle, std::chrono::milliseconds(0));
  ASSERT_TRUE(running.has_value());
  EXPECT_FALSE(running->has_value());  // the task itself still runs
  auto exit = driver.stop(*handle, SIGTERM, std::chrono::seconds(5));
  ASSERT_TRUE(exit.has_value()) << exit.status().to_string();
  EXPECT_NE(exit->error.find("exit status is unknown"), std::string::npos) << exit->error;
}

TEST(RawExecDriver, MissingCommandIsNotFound) {
  TempAlloc alloc;
  RawExecDriver driver;
  auto handle = driver.start(alloc.spec(R"({"command":"no-such-command-xyz"})"));
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.status().code(), StatusCode::kNotFound);
  EXPECT_NE(handle.status().message().find("\"no-such-command-xyz\" not found"), std::string::npos)
      << handle.status().message();
  EXPECT_FALSE(std::filesystem::exists(alloc.task_dir() + "/.caravan"));
}

TEST(RawExecDriver, MissingTaskDirIsReported) {
  TempAlloc alloc;
  TaskSpec spec = alloc.shell("exit 0");
  spec.task_dir += "-missing";
  auto handle = RawExecDriver().start(spec);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handle.status().message().find("-missing/local does not exist"), std::string::npos)
      << handle.status().message();
}

TEST(RawExecDriver, WritesToCallerFifo) {
  TempAlloc alloc;
  std::string fifo = alloc.alloc_dir() + "/out.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The log collector holds the read end before the task starts (data written to a
  // FIFO nobody has open is lost when the last writer closes).
  UniqueFd reader(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(reader.valid());
  TaskSpec spec = alloc.shell("echo via-fifo");
  spec.stdout_path = fifo;
  RawExecDriver driver;
  auto handle = driver.start(spec);  // opens the FIFO read-write: never blocks
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  EXPECT_TRUE(wait_exit(driver, *handle).successful());
  ASSERT_TRUE(internal::wait_readable(reader.get(), std::chrono::seconds(10)));
  char buffer[64] = {};
  EXPECT_EQ(::read(reader.get(), buffer, sizeof buffer - 1), 9);
  EXPECT_STREQ(buffer, "via-fifo\n");
}

}  // namespace
}  // namespace caravan::drivers
