// exec with real namespaces and cgroups (the agent runs as root on these hosts):
// the task's view (own pid namespace, hostname, chroot with /local, /alloc, no
// host /root, user nobody), an OOM kill under a memory limit, signal forwarding
// through the namespace's init, and cleanup of the cgroups.
#include "drivers/exec/exec_driver.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "drivers/internal/cgroup.h"
#include "unit/drivers/driver_test_util.h"

namespace caravan::drivers {
namespace {

using testing::eventually;
using testing::HandleGuard;
using testing::TempAlloc;
using testing::wait_exit;

// These tests need a host that can isolate tasks; if it cannot, say why and fail.
void require_isolation() {
  Fingerprint f = ExecDriver().fingerprint();
  ASSERT_TRUE(f.detected) << "the exec driver is not usable on this host: " << f.health_description;
}

TEST(ExecDriver, FingerprintDetectsRootAndCgroups) {
  Fingerprint f = ExecDriver().fingerprint();
  ASSERT_TRUE(f.detected) << f.health_description;
  EXPECT_TRUE(f.healthy);
  EXPECT_EQ(f.attributes.at("driver.exec"), "1");
  EXPECT_NE(f.health_description.find("cgroup v"), std::string::npos) << f.health_description;
}

TEST(ExecDriver, TaskSeesItsOwnNamespacesAndChroot) {
  require_isolation();
  TempAlloc alloc("isolated");
  std::filesystem::create_directories("/root");  // exists on the host, must not inside
  ExecDriver driver;
  auto handle = driver.start(
      alloc.shell("echo pid=$$; hostname; id -un; "
                  "test -d /local && echo local=yes; test -d /secrets && echo secrets=yes; "
                  "test -e /root && echo root=visible || echo root=hidden; "
                  "echo shared > /alloc/from-task; echo mine > /local/file; "
                  "ls /proc | grep -c '^[0-9]'"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ExitResult exit = wait_exit(driver, *handle);
  EXPECT_TRUE(exit.successful()) << exit.exit_code << " " << alloc.err();
  // pid 1 is the namespace's init, the task is pid 2; /proc shows only init,
  // the shell and its ls/grep children.
  EXPECT_EQ(alloc.out(), "pid=2\nisolated\nnobody\nlocal=yes\nsecrets=yes\nroot=hidden\n4\n");
  EXPECT_EQ(testing::read_text(alloc.alloc_dir() + "/from-task"), "shared\n");
  EXPECT_EQ(testing::read_text(alloc.task_dir() + "/local/file"), "mine\n");
  EXPECT_EQ(alloc.err(), "");
}

TEST(ExecDriver, MemoryLimitOomKillsTaskAndSaysSo) {
  require_isolation();
  TempAlloc alloc("hungry");
  ExecDriver driver;
  TaskSpec spec = alloc.spec(
      R"({"command":"/bin/dd","args":["if=/dev/zero","of=/dev/null","bs=200M","count=1"]})");
  spec.memory_mb = 32;
  auto handle = driver.start(spec);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ExitResult exit = wait_exit(driver, *handle);
  EXPECT_TRUE(exit.oom_killed) << "exit " << exit.exit_code << " signal " << exit.signal << " "
                               << alloc.err();
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_FALSE(exit.successful());
}

TEST(ExecDriver, WithinItsLimitsTheTaskIsNotOomKilled) {
  require_isolation();
  TempAlloc alloc("modest");
  ExecDriver driver;
  TaskSpec spec = alloc.spec(
      R"({"command":"/bin/dd","args":["if=/dev/zero","of=/dev/null","bs=1M","count=8"]})");
  spec.memory_mb = 64;
  spec.cpu_mhz = 500;
  spec.pids_max = 64;
  auto handle = driver.start(spec);
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  HandleGuard guard(driver, *handle);
  ASSERT_EQ(handle->cgroups.size(),
            internal::CgroupSystem::detect()->version == internal::CgroupVersion::kV1 ? 3u : 1u);
  ExitResult exit = wait_exit(driver, *handle);
  EXPECT_TRUE(exit.successful()) << exit.exit_code << " " << alloc.err();
}

TEST(ExecDriver, StopForwardsKillSignalThroughInitAndDestroyRemovesCgroups) {
  require_isolation();
  TempAlloc alloc("sleeper");
  ExecDriver driver;
  auto handle = driver.start(alloc.spec(R"({"command":"sleep","args":["60"]})"));
  ASSERT_TRUE(handle.has_value()) << handle.status().to_string();
  ASSERT_FALSE(handle->cgroups.empty());
  for (const auto& dir : handle->cgroups) {
    EXPECT_TRUE(std::filesystem::exists(dir)) << dir;
  }
  auto status = driver.inspect(*handle);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->state, TaskState::kRunning);
  auto exit = driver.stop(*handle, SIGTERM, std::chrono::seconds(20));
  ASSERT_TRUE(exit.has_value()) << exit.status().to_string();
  EXPECT_EQ(exit->signal, SIGTERM);  // the task got it, not the SIGKILL fallback
  ASSERT_TRUE(driver.destroy(*handle).is_ok());
  for (const auto& dir : handle->cgroups) {
    EXPECT_FALSE(std::filesystem::exists(dir)) << dir;
  }
  EXPECT_FALSE(std::filesystem::exists(handle->state_dir));
  EXPECT_TRUE(driver.destroy(*handle).is_ok());  // idempotent
}

TEST(ExecDriver, UnknownUserIsRejectedBeforeStarting) {
  require_isolation();
  TempAlloc alloc;
  TaskSpec spec = alloc.shell("exit 0");
  spec.user = "no-such-user-xyz";
  auto handle = ExecDriver().start(spec);
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(handle.status().message().find("\"no-such-user-xyz\" does not exist"),
            std::string::npos);
}

TEST(ExecDriver, CommandMissingInsideChrootIsNotFound) {
  require_isolation();
  TempAlloc alloc;
  ExecDriver driver;
  auto handle = driver.start(alloc.spec(R"({"command":"/opt/not-in-the-chroot"})"));
  ASSERT_FALSE(handle.has_value());
  EXPECT_EQ(handle.status().code(), StatusCode::kNotFound) << handle.status().to_string();
  EXPECT_NE(handle.status().message().find("inside the task's chroot"), std::string::npos);
}

}  // namespace
}  // namespace caravan::drivers
