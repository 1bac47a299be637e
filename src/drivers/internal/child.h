// The forked side of starting a task: the intermediate process, the supervisor,
// the pid namespace's init and the task itself (see "How a task is supervised" in
// drivers/driver.h). The agent may be multi-threaded, so this code only makes
// system calls on data the parent prepared in a ChildPlan: no allocation, no locks.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace caravan::drivers::internal {

// One step of building the chroot, run in order inside the new mount namespace.
struct MountOp {
  enum class Kind : int32_t { kMkdir, kTouch, kSymlink, kBind, kBindReadOnly, kTmpfs, kProc };
  Kind kind = Kind::kMkdir;
  const char* source = nullptr;  // kBind*: host path; kSymlink: link text
  const char* target = nullptr;  // absolute path under ChildPlan::new_root
  const char* data = nullptr;    // kTmpfs: mount options
};

// Steps that can fail in a child; reported to the parent with errno.
enum class ChildStep : int32_t {
  kSetsid,
  kFork,
  kUnshare,
  kJoinCgroup,
  kSethostname,
  kMountPrivate,
  kMountRoot,
  kMountOp,
  kPivotRoot,
  kChdir,
  kSetgroups,
  kSetgid,
  kSetuid,
  kExec,
  kStatusPipe,
  kMoveFds,
};
const char* child_step_name(ChildStep step);

// Messages on the report pipe (one write each, smaller than PIPE_BUF, so atomic).
struct ChildReport {
  enum class Kind : int32_t { kStarted, kError };
  Kind kind = Kind::kStarted;
  ChildStep step = ChildStep::kSetsid;  // kError
  int32_t index = -1;                   // kError of kMountOp/kExec: which op or candidate
  int32_t error = 0;                    // kError: errno
  int64_t supervisor_pid = 0;           // kStarted
  uint64_t supervisor_start = 0;
  int64_t target_pid = 0;
  uint64_t target_start = 0;
};

// Fixed fd numbers in the supervisor and below.
inline constexpr int kReportFd = 3;
// The start gate: the task reads one byte from it just before exec. The agent
// writes it only once it has recorded the task's handle; if the agent dies
// first, the task sees EOF and exits with kExitNeverStarted (driver.h) unrun.
inline constexpr int kGoFd = 4;
inline constexpr int kFirstCgroupFd = 5;

struct ChildPlan {
  // Descriptors in the parent; the intermediate moves them to 0, 1, 2,
  // kReportFd, kGoFd and kFirstCgroupFd.. and closes every other one.
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, report_fd = -1, go_fd = -1;
  const int* cgroup_fds = nullptr;
  int cgroup_fd_count = 0;

  const char* status_path = nullptr;      // the supervisor writes the wait status here
  const char* status_tmp_path = nullptr;  // ... via this file and rename(2)

  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* const* exec_paths = nullptr;  // tried in order (PATH search done by the parent)
  int exec_path_count = 0;
  const char* cwd = nullptr;

  bool change_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
  const gid_t* groups = nullptr;
  int group_count = 0;

  bool isolate = false;  // new pid, mount, ipc and uts namespaces + chroot
  const char* hostname = nullptr;
  const char* new_root = nullptr;  // an empty directory: the tmpfs root is mounted on it
  const MountOp* mounts = nullptr;
  int mount_count = 0;
};

// Runs in the process fork() just returned 0 to. Never returns.
[[noreturn]] void run_intermediate(const ChildPlan& plan);

}  // namespace caravan::drivers::internal
