// ProcessDriver::start and the host checks it needs; the control of running tasks
// is in process_driver_control.cc.
#include "drivers/process_driver.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include "core/atomic_file.h"
#include "drivers/internal/cgroup.h"
#include "drivers/internal/chroot.h"
#include "drivers/internal/exec_search.h"
#include "drivers/internal/files.h"
#include "drivers/internal/launcher.h"
#include "drivers/internal/state_dir.h"
#include "drivers/internal/user.h"

namespace caravan::drivers {
namespace {

using internal::errno_message;
using internal::path_exists;

constexpr int64_t kMiB = 1024 * 1024;

// Removes a failed start's state dir (its exit status belongs to no handle).
class StateDirGuard {
 public:
  explicit StateDirGuard(std::string dir) : dir_(std::move(dir)) {}
  ~StateDirGuard() {
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }
  void dismiss() { dir_.clear(); }

 private:
  std::string dir_;
};

Status check_task_dirs(const TaskSpec& spec, bool isolated) {
  if (spec.alloc_id.empty() || spec.task_name.empty()) {
    return invalid_argument("the task spec needs an alloc_id and a task_name");
  }
  std::vector<std::string> needed = {spec.task_dir + "/local", spec.task_dir + "/secrets",
                                     spec.task_dir + "/tmp"};
  if (isolated) {
    needed.push_back(spec.alloc_dir);
  }
  for (const auto& dir : needed) {
    if (!std::filesystem::is_directory(dir)) {
      return Status(
          StatusCode::kFailedPrecondition,
          "task directory " + dir +
              " does not exist: the alloc dir must be built "
              "(<alloc>/alloc, <alloc>/<task>/{local,secrets,tmp}) before the task starts");
    }
  }
  return Status::ok();
}

internal::CgroupLimits limits_of(const TaskSpec& spec) {
  internal::CgroupLimits limits;
  int hard_mb = spec.memory_max_mb > 0 ? spec.memory_max_mb : spec.memory_mb;
  limits.memory_bytes = int64_t{hard_mb} * kMiB;
  if (spec.memory_max_mb > 0 && spec.memory_mb > 0) {
    limits.memory_soft_bytes = int64_t{spec.memory_mb} * kMiB;
  }
  limits.cpu_shares = spec.cpu_mhz;
  limits.pids_max = spec.pids_max;
  return limits;
}

// A task running as another user must be able to write its own dirs.
Status give_task_dirs_to(const TaskSpec& spec, const internal::ResolvedUser& user) {
  for (const char* sub : {"/local", "/secrets", "/tmp"}) {
    std::string dir = spec.task_dir + sub;
    if (::chown(dir.c_str(), user.uid, user.gid) != 0) {
      return internal_error(errno_message("cannot give " + dir + " to user " + user.name));
    }
  }
  return Status::ok();
}

}  // namespace

Result<std::string> ProcessDriver::check_isolation() const {
  if (::geteuid() != 0) {
    return Status(StatusCode::kFailedPrecondition,
                  "the " + name() +
                      " driver needs the agent to run as root (namespaces, "
                      "chroot and cgroups)");
  }
  if (!path_exists("/proc/self/ns/pid") || !path_exists("/proc/self/ns/mnt")) {
    return Status(StatusCode::kFailedPrecondition,
                  "the kernel lacks pid or mount namespaces (no /proc/self/ns/pid)");
  }
  auto system = CARAVAN_TRY(internal::CgroupSystem::detect());
  return system.describe();
}

Result<TaskHandle> ProcessDriver::start(const TaskSpec& spec) {
  bool isolated = isolation_ == Isolation::kChroot;
  std::vector<std::string> argv = CARAVAN_TRY(task_argv(spec.config));
  CARAVAN_RETURN_IF_ERROR(check_task_dirs(spec, isolated));

  internal::LaunchRequest request;
  request.argv = argv;
  std::string path_env = options_.default_path;
  for (const auto& [key, value] : spec.env) {
    request.env.push_back(key + "=" + value);
    if (key == "PATH") {
      path_env = value;
    }
  }
  if (!spec.env.contains("PATH")) {
    request.env.push_back("PATH=" + path_env);
  }
  request.exec_paths = internal::exec_candidates(argv[0], path_env);
  request.stdout_path = spec.stdout_path;
  request.stderr_path = spec.stderr_path;

  std::string user = spec.user.empty() && isolated ? "nobody" : spec.user;
  if (!user.empty()) {
    request.user = CARAVAN_TRY(internal::resolve_user(user));
    if (::geteuid() != 0 && request.user->uid != ::geteuid()) {
      return Status(StatusCode::kFailedPrecondition,
                    "cannot run the task as user \"" + user +
                        "\": the agent is not root; remove `user` or run the agent as root");
    }
  }

  std::string state_dir = internal::task_state_dir(spec.task_dir);
  // A task an earlier agent started here and was killed before recording must
  // not run beside this one (the task runner re-attaches to it when it can).
  if (std::optional<std::string> leftover = read_started_handle(spec.task_dir)) {
    if (Result<TaskHandle> old = recover(*leftover); old.has_value()) (void)destroy(*old);
  }
  std::error_code ec;
  std::filesystem::remove_all(state_dir, ec);  // an earlier run's exit status is stale
  CARAVAN_RETURN_IF_ERROR(internal::make_dirs(state_dir));
  StateDirGuard guard(state_dir);
  request.status_path = internal::task_exit_status_path(state_dir);

  std::optional<internal::TaskCgroups> cgroups;
  if (isolated) {
    CARAVAN_TRY(check_isolation());
    auto system = CARAVAN_TRY(internal::CgroupSystem::detect());
    cgroups = CARAVAN_TRY(internal::TaskCgroups::create(
        system, options_.cgroup_parent + "/" + spec.alloc_id + "." + spec.task_name,
        limits_of(spec)));
    request.cgroup_procs = CARAVAN_TRY(cgroups->open_procs_files());
    request.isolate = true;
    request.hostname = spec.task_name.substr(0, 63);
    request.new_root = state_dir + "/root";
    CARAVAN_RETURN_IF_ERROR(internal::make_dirs(request.new_root));
    request.mounts = internal::chroot_mounts(request.new_root, spec.task_dir, spec.alloc_dir);
    request.cwd = "/";  // Nomad's exec: the task dir is the chroot's root
    if (request.user && request.user->uid != 0) {
      CARAVAN_RETURN_IF_ERROR(give_task_dirs_to(spec, *request.user));
    }
  } else {
    request.cwd = spec.task_dir;
  }

  auto handle_of = [&](const internal::Launched& launched) {
    TaskHandle handle;
    handle.driver = name();
    handle.alloc_id = spec.alloc_id;
    handle.task_name = spec.task_name;
    handle.supervisor = launched.supervisor;
    handle.target = launched.target;
    handle.signal_group = !isolated;  // the init of an isolated task forwards to the task's group
    handle.state_dir = state_dir;
    if (cgroups) {
      handle.cgroups = cgroups->dirs();
    }
    handle.started_at_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    return handle;
  };
  // Recorded before the task may run (the start gate in internal/child.h), so
  // an agent killed at any moment of start() leaves either no task or one its
  // successor re-attaches to — never a second copy.
  TaskHandle handle;
  request.before_exec = [&](const internal::Launched& launched) {
    handle = handle_of(launched);
    return write_file_atomic(internal::task_handle_path(state_dir), handle.to_json(), 0600);
  };
  Result<internal::Launched> launched = internal::launch(std::move(request));
  if (!launched) return launched.error();
  guard.dismiss();
  if (cgroups) {
    cgroups->release();
  }
  return handle;
}

}  // namespace caravan::drivers
