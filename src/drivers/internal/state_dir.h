// Where a task's supervisor keeps its files: <task_dir>/.caravan holds the exit
// status (written by the supervisor), the task's handle (written by the driver as
// soon as the task runs, see drivers::read_started_handle) and, for isolated
// tasks, the chroot's mount point.
#pragma once

#include <string>

namespace caravan::drivers::internal {

inline constexpr const char* kStateDirName = "/.caravan";

inline std::string task_state_dir(const std::string& task_dir) { return task_dir + kStateDirName; }
inline std::string task_exit_status_path(const std::string& state_dir) {
  return state_dir + "/exit_status";
}

inline std::string task_handle_path(const std::string& state_dir) {
  return state_dir + "/handle.json";
}

}  // namespace caravan::drivers::internal
