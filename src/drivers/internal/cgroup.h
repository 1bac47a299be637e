// Linux control groups for isolated tasks: detects what the host offers (cgroup v2
// with controllers, or v1 hierarchies as on hybrid hosts), creates a task's cgroups
// with memory/cpu/pids limits, and later reads OOM kills and usage, kills every
// member and removes them. Paths live on in TaskHandle::cgroups across restarts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "drivers/unique_fd.h"

namespace caravan::drivers::internal {

enum class CgroupVersion { kV1, kV2 };

// The usable cgroup hierarchies of this host.
struct CgroupSystem {
  CgroupVersion version = CgroupVersion::kV2;
  // v2: the unified mount, e.g. /sys/fs/cgroup. v1: one mount per controller.
  std::string unified;
  std::string memory, cpu, pids;

  // Reads /proc/self/mountinfo. FailedPrecondition explaining what is missing
  // (no memory controller in any hierarchy, ...) and how to fix it.
  static Result<CgroupSystem> detect();
  std::string describe() const;  // "cgroup v1 (memory, cpu, pids)"
};

struct CgroupLimits {
  int64_t memory_bytes = 0;       // hard limit; 0 = none
  int64_t memory_soft_bytes = 0;  // soft limit / reservation; 0 = none
  int cpu_shares = 0;             // v1 cpu.shares (v2 converts to cpu.weight); 0 = default
  int64_t pids_max = 0;           // 0 = unlimited
};

// The cgroups of one task (one directory per hierarchy; the memory one first).
// Removes them on destruction unless release()d into a TaskHandle.
class TaskCgroups {
 public:
  // Creates <hierarchy>/<relative> and applies `limits`. Errors name the file
  // that could not be written.
  static Result<TaskCgroups> create(const CgroupSystem& system, const std::string& relative,
                                    const CgroupLimits& limits);
  TaskCgroups(TaskCgroups&&) = default;
  TaskCgroups& operator=(TaskCgroups&&) = default;
  ~TaskCgroups();

  const std::vector<std::string>& dirs() const { return dirs_; }
  // cgroup.procs of each directory, opened for writing: a forked child writes "0"
  // to each to join before it runs anything.
  Result<std::vector<UniqueFd>> open_procs_files() const;
  std::vector<std::string> release();

 private:
  explicit TaskCgroups(std::vector<std::string> dirs) : dirs_(std::move(dirs)) {}
  std::vector<std::string> dirs_;
};

// Whether the memory cgroup (dirs[0]) recorded an OOM kill.
bool cgroup_oom_killed(const std::vector<std::string>& dirs);
int64_t cgroup_memory_usage(const std::vector<std::string>& dirs);
// Sends `sig` to every process in the cgroups (cgroup.kill on v2 for SIGKILL).
void cgroup_signal_all(const std::vector<std::string>& dirs, int sig);
// SIGKILLs what is left and removes the directories, waiting up to a few seconds
// for the kernel to empty them. Errors name the directory that stays busy.
Status remove_cgroups(const std::vector<std::string>& dirs);

}  // namespace caravan::drivers::internal
