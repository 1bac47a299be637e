// The task driver seam: one interface (modelled on Nomad's task driver plugin API)
// behind which raw_exec, exec and java run a task's processes. The client's task
// runner calls it: fingerprint → validate_config → start → wait/signal/stop →
// destroy, and after an agent restart recover() from the handle it persisted.
// Tasks outlive the agent: see "How a task is supervised" below.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/status.h"
#include "drivers/unique_fd.h"
#include "model/raw_json.h"

namespace caravan::drivers {

// How a task is supervised (shared by every driver in this library):
//
//   agent ──fork──▶ (intermediate, exits at once) ──fork──▶ supervisor S ──fork──▶ task
//
// S is a small forked process in its own session, reparented to init, so neither
// `kill -9` of the agent nor a signal to the agent's process group reaches it or the
// task. S waits for its child and writes the raw wait status to
// <task_dir>/.caravan/exit_status (write + rename), then exits. The agent never
// waits on a child: it watches S through a pidfd (or /proc), and reads the exit
// status file, whether it started the task or recovered it after a restart. Every
// pid in a TaskHandle is paired with its start time from /proc/<pid>/stat, so a
// recycled pid is never mistaken for the task.
// With isolation (exec, java) S's child is the pid namespace's init: it builds the
// chroot, forks the task, forwards signals to it, reaps orphans and hands the
// task's status back to S.

// The driver-level description of one task, already interpolated by the caller.
struct TaskSpec {
  std::string alloc_id;
  std::string task_name;
  model::RawJson config;                   // the task's driver `config` block
  std::map<std::string, std::string> env;  // the complete environment (PATH defaults if unset)
  // <alloc>/<task>: must contain local/, secrets/ and tmp/. raw_exec runs in it;
  // exec and java see local/, secrets/, tmp/ as /local, /secrets, /tmp.
  std::string task_dir;
  // <alloc>/alloc, shared by the group's tasks (/alloc in exec); the caller makes it
  // writable for every task's user (Nomad: mode 0777). The driver chowns the task's
  // local/, secrets/ and tmp/ to `user` when it is not root.
  std::string alloc_dir;
  std::string user;       // "" = the agent's user (raw_exec) or "nobody" (exec, java)
  int cpu_mhz = 0;        // cgroup cpu shares (exec, java); 0 = no setting
  int memory_mb = 0;      // memory limit, or the soft limit when memory_max_mb is set
  int memory_max_mb = 0;  // hard memory limit if > 0
  int64_t pids_max = 0;   // cgroup pids.max; 0 = unlimited
  // Where stdout and stderr go. The driver opens the paths (O_APPEND|O_CREAT for
  // files; FIFOs made by the caller's log collector are opened read-write so opening
  // never blocks). "" = /dev/null. Log rotation is the caller's business.
  std::string stdout_path;
  std::string stderr_path;
};

// A pid and the start time (clock ticks since boot, /proc/<pid>/stat field 22)
// that identifies that very process.
struct ProcessRef {
  int pid = 0;
  uint64_t start_ticks = 0;
  bool operator==(const ProcessRef&) const = default;
};

// Everything needed to control a task, now or after an agent restart. A value:
// the task runner persists to_json() and hands it to Driver::recover().
struct TaskHandle {
  std::string driver;
  std::string alloc_id;
  std::string task_name;
  ProcessRef supervisor;             // S: writes the exit status
  ProcessRef target;                 // receives signals
  bool signal_group = false;         // signal target's process group (raw_exec) or target alone
  std::string state_dir;             // <task_dir>/.caravan: exit_status, chroot mount point
  std::vector<std::string> cgroups;  // one directory per cgroup hierarchy; first = memory
  int64_t started_at_unix_ms = 0;

  std::string to_json() const;
  // Errors: InvalidArgument naming the missing or malformed field.
  static Result<TaskHandle> from_json(std::string_view text);
  bool operator==(const TaskHandle&) const = default;
};

// The handle of the task last started in `task_dir`, as the driver recorded it
// (<task_dir>/.caravan/handle.json) the moment the task ran: what the task runner
// re-attaches to when an agent killed during start() never saved the handle
// itself. nullopt when no task was started there.
std::optional<std::string> read_started_handle(const std::string& task_dir);

// The exit code of a task whose agent died between forking it and recording
// it: the task never ran (see the start gate in drivers/internal/child.h).
inline constexpr int kExitNeverStarted = 125;

struct ExitResult {
  int exit_code = 0;        // when the task exited normally
  int signal = 0;           // when a signal ended it (e.g. 9 after stop's SIGKILL)
  bool oom_killed = false;  // the cgroup's OOM killer fired
  std::string error;        // set when the exit status could not be learnt
  bool successful() const { return exit_code == 0 && signal == 0 && !oom_killed && error.empty(); }
  bool operator==(const ExitResult&) const = default;
};

enum class TaskState { kRunning, kExited };

struct TaskStatus {
  TaskState state = TaskState::kRunning;
  int pid = 0;                     // host pid of the signalled process
  std::optional<ExitResult> exit;  // set when kExited
  int64_t memory_usage_bytes = 0;  // from the cgroup; 0 without one
};

// What a node reports about a driver (Nomad's DriverInfo + node attributes).
struct Fingerprint {
  bool detected = false;  // false: the scheduler must not place tasks of this driver here
  bool healthy = false;
  std::string health_description;                 // why it is undetected or unhealthy, and the fix
  std::map<std::string, std::string> attributes;  // "driver.java.version" = "17.0.15"
};

// A task driver. Instances hold no per-task state (the TaskHandle carries it), so
// a fresh instance controls tasks started by another. Methods block (start: until
// the task exec'd; stop: up to kill_timeout); call them off the event loop.
class Driver {
 public:
  virtual ~Driver() = default;

  // "raw_exec", "exec", "java".
  virtual std::string name() const = 0;

  // Probes the host (binaries, root, cgroups). Never fails: problems are reported in it.
  virtual Fingerprint fingerprint() const = 0;

  // Checks a `config` block. Errors: InvalidArgument naming the bad field.
  virtual Status validate_config(const model::RawJson& config) const = 0;

  // Starts the task and returns once it has exec'd. Errors: InvalidArgument (bad
  // config), FailedPrecondition (host cannot do it: no cgroups, not root, unknown
  // user), NotFound (command not found), Internal (a system call failed).
  virtual Result<TaskHandle> start(const TaskSpec& spec) = 0;

  // Waits up to `timeout` (0 = just look) for the task to end. nullopt: still running.
  virtual Result<std::optional<ExitResult>> wait_for(const TaskHandle& handle,
                                                     Duration timeout) = 0;

  // A file descriptor that becomes readable when the task ends (for asio's
  // posix::stream_descriptor::async_wait); then call wait_for(handle, 0).
  // Errors: NotFound when the supervisor is already gone (wait_for answers at once).
  virtual Result<UniqueFd> exit_fd(const TaskHandle& handle) = 0;

  // Sends `sig` to the task. Errors: FailedPrecondition when it has exited.
  virtual Status signal(const TaskHandle& handle, int sig) = 0;

  // Sends `kill_signal`, waits up to `kill_timeout`, then SIGKILLs the whole task
  // (process group or pid namespace + cgroup) and waits for the exit.
  virtual Result<ExitResult> stop(const TaskHandle& handle, int kill_signal,
                                  Duration kill_timeout) = 0;

  // Kills whatever still runs, removes cgroups and the state dir. Idempotent.
  virtual Status destroy(const TaskHandle& handle) = 0;

  virtual Result<TaskStatus> inspect(const TaskHandle& handle) = 0;

  // Re-attaches to a task from TaskHandle::to_json() after an agent restart.
  // Returns the handle if the task runs or left an exit status (wait_for reports
  // it). Errors: NotFound when it is gone without a trace; InvalidArgument for bad JSON.
  virtual Result<TaskHandle> recover(std::string_view handle_json) = 0;
};

using DriverPtr = std::unique_ptr<Driver>;

}  // namespace caravan::drivers
