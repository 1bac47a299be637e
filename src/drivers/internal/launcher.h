// Starts a task through the supervisor chain of drivers/driver.h: prepares every
// string and descriptor in the agent, forks, and reads the children's report pipe
// until the task has exec'd (or a step failed). Used by ProcessDriver::start.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "drivers/driver.h"
#include "drivers/internal/child.h"
#include "drivers/internal/user.h"
#include "drivers/unique_fd.h"

namespace caravan::drivers::internal {

struct MountSpec {
  MountOp::Kind kind = MountOp::Kind::kMkdir;
  std::string source;
  std::string target;
  std::string data;
};

struct Launched {
  ProcessRef supervisor;
  ProcessRef target;
};

struct LaunchRequest {
  std::vector<std::string> argv;
  std::vector<std::string> env;         // "KEY=value"
  std::vector<std::string> exec_paths;  // candidates for argv[0], tried in order
  std::string cwd;                      // inside the chroot when isolated
  std::optional<ResolvedUser> user;     // nullopt: keep the agent's user
  std::string stdout_path, stderr_path;
  std::string status_path;             // where the supervisor records the wait status
  std::vector<UniqueFd> cgroup_procs;  // the task joins these before it runs
  bool isolate = false;
  std::string hostname;
  std::string new_root;
  std::vector<MountSpec> mounts;
  // Called once the supervisor has forked the task and before the task may
  // exec (the start gate, child.h): records the task so that it is never lost.
  // An error stops the task before it runs and is launch()'s error.
  std::function<Status(const Launched&)> before_exec;
};

// Errors: NotFound (no such command), FailedPrecondition (cannot open a log
// destination, chdir, exec permission), Internal (a system call failed), each
// naming the step and path.
Result<Launched> launch(LaunchRequest request);

}  // namespace caravan::drivers::internal
