// ProcessDriver's control of a started (or recovered) task, all from the
// TaskHandle: the supervisor's pidfd says when the task ended, its exit status
// file says how, the cgroup says whether the OOM killer did it.
#include <signal.h>
#include <sys/wait.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "drivers/internal/cgroup.h"
#include "drivers/internal/files.h"
#include "drivers/internal/proc.h"
#include "drivers/internal/state_dir.h"
#include "drivers/process_driver.h"

namespace caravan::drivers {
namespace {

using internal::is_running;

constexpr auto kKillGrace = std::chrono::seconds(10);

std::optional<int> read_wait_status(const TaskHandle& h) {
  auto text = internal::read_file(internal::task_exit_status_path(h.state_dir));
  int status = 0;
  if (!text ||
      std::from_chars(text->data(), text->data() + text->size(), status).ec != std::errc()) {
    return std::nullopt;
  }
  return status;
}

ExitResult exit_result(int wait_status, const TaskHandle& h) {
  ExitResult r;
  if (WIFEXITED(wait_status)) {
    r.exit_code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    r.signal = WTERMSIG(wait_status);
  }
  r.oom_killed = internal::cgroup_oom_killed(h.cgroups);
  return r;
}

std::string describe(const TaskHandle& h) {
  return "task \"" + h.task_name + "\" of alloc " + h.alloc_id;
}

// kill(2) on the task: its process group (raw_exec) or its namespace init.
// Only while the supervisor has not reaped it, or it demonstrably still runs, so
// the pid cannot belong to another process.
bool send(const TaskHandle& h, int sig) {
  if (!is_running(h.supervisor) && !is_running(h.target)) {
    return false;
  }
  return ::kill(h.signal_group ? -h.target.pid : h.target.pid, sig) == 0;
}

void kill_everything(const TaskHandle& h) {
  send(h, SIGKILL);
  internal::cgroup_signal_all(h.cgroups, SIGKILL);
}

}  // namespace

Result<std::optional<ExitResult>> ProcessDriver::wait_for(const TaskHandle& h, Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto status = read_wait_status(h)) {
      return std::optional<ExitResult>(exit_result(*status, h));
    }
    auto supervisor = internal::open_pidfd(h.supervisor);
    if (supervisor.has_value()) {
      if (!internal::wait_readable(supervisor->get(),
                                   deadline - std::chrono::steady_clock::now())) {
        return std::optional<ExitResult>();
      }
      continue;  // it exited: its status file is there now
    }
    if (supervisor.error().code() != StatusCode::kNotFound) {
      return supervisor.error();
    }
    // The supervisor writes the file before it exits, so look once more.
    if (auto status = read_wait_status(h)) {
      return std::optional<ExitResult>(exit_result(*status, h));
    }
    // Someone killed the supervisor; the task may still run, but how it ends stays unknown.
    if (auto target = internal::open_pidfd(h.target); target.has_value()) {
      if (!internal::wait_readable(target->get(), deadline - std::chrono::steady_clock::now())) {
        return std::optional<ExitResult>();
      }
    }
    ExitResult lost;
    lost.oom_killed = internal::cgroup_oom_killed(h.cgroups);
    lost.error = "the supervisor (pid " + std::to_string(h.supervisor.pid) + ") of " + describe(h) +
                 " was killed, so the task's exit status is unknown";
    return std::optional<ExitResult>(lost);
  }
}

Result<UniqueFd> ProcessDriver::exit_fd(const TaskHandle& h) {
  return internal::open_pidfd(h.supervisor);
}

Status ProcessDriver::signal(const TaskHandle& h, int sig) {
  if (!send(h, sig)) {
    return Status(StatusCode::kFailedPrecondition,
                  "cannot signal " + describe(h) + ": it has exited");
  }
  return Status::ok();
}

Result<ExitResult> ProcessDriver::stop(const TaskHandle& h, int kill_signal,
                                       Duration kill_timeout) {
  if (auto done = CARAVAN_TRY(wait_for(h, Duration(0)))) {
    return *done;
  }
  send(h, kill_signal);
  if (auto done = CARAVAN_TRY(wait_for(h, kill_timeout))) {
    return *done;
  }
  kill_everything(h);
  if (auto done = CARAVAN_TRY(wait_for(h, kKillGrace))) {
    return *done;
  }
  return internal_error(describe(h) + " still runs 10s after SIGKILL (pid " +
                        std::to_string(h.target.pid) + ", stuck in the kernel?)");
}

Status ProcessDriver::destroy(const TaskHandle& h) {
  if (is_running(h.supervisor) || is_running(h.target)) {
    kill_everything(h);
    (void)wait_for(h, kKillGrace);
  }
  Status removed = internal::remove_cgroups(h.cgroups);
  // Only ever a directory this library named (a handle is data read from disk).
  if (h.state_dir.ends_with(internal::kStateDirName)) {
    std::error_code ec;
    std::filesystem::remove_all(h.state_dir, ec);
  }
  return removed;
}

Result<TaskStatus> ProcessDriver::inspect(const TaskHandle& h) {
  TaskStatus status;
  status.pid = h.target.pid;
  status.exit = CARAVAN_TRY(wait_for(h, Duration(0)));
  status.state = status.exit ? TaskState::kExited : TaskState::kRunning;
  status.memory_usage_bytes = internal::cgroup_memory_usage(h.cgroups);
  return status;
}

Result<TaskHandle> ProcessDriver::recover(std::string_view handle_json) {
  TaskHandle h = CARAVAN_TRY(TaskHandle::from_json(handle_json));
  if (h.driver != name()) {
    return invalid_argument("task handle of driver \"" + h.driver + "\" given to the " + name() +
                            " driver");
  }
  if (is_running(h.supervisor) || read_wait_status(h) || is_running(h.target)) {
    return h;
  }
  return not_found(describe(h) + " is gone: its supervisor (pid " +
                   std::to_string(h.supervisor.pid) +
                   ") no longer runs and left no exit status in " + h.state_dir);
}

}  // namespace caravan::drivers
