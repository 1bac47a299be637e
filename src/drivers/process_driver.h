// ProcessDriver: the part of raw_exec, exec and java that is the same: starting a
// command through the supervisor chain (drivers/driver.h), waiting, signalling,
// stopping, destroying and recovering from a TaskHandle. A subclass says how its
// `config` becomes an argv and whether the task is isolated (namespaces + chroot + cgroups).
#pragma once

#include <string>
#include <vector>

#include "drivers/driver.h"
#include "drivers/driver_options.h"

namespace caravan::drivers {

class ProcessDriver : public Driver {
 public:
  enum class Isolation {
    kNone,    // raw_exec: the agent's view of the host, in its own session
    kChroot,  // exec, java: pid/mount/ipc/uts namespaces, chroot, cgroup limits
  };

  Result<TaskHandle> start(const TaskSpec& spec) final;
  Result<std::optional<ExitResult>> wait_for(const TaskHandle& handle, Duration timeout) final;
  Result<UniqueFd> exit_fd(const TaskHandle& handle) final;
  Status signal(const TaskHandle& handle, int sig) final;
  Result<ExitResult> stop(const TaskHandle& handle, int kill_signal, Duration kill_timeout) final;
  Status destroy(const TaskHandle& handle) final;
  Result<TaskStatus> inspect(const TaskHandle& handle) final;
  Result<TaskHandle> recover(std::string_view handle_json) final;

 protected:
  ProcessDriver(Isolation isolation, DriverOptions options)
      : isolation_(isolation), options_(std::move(options)) {}

  // The task's argv from its validated `config`; argv[0] is looked up in the
  // task's PATH. Errors: InvalidArgument naming the field.
  virtual Result<std::vector<std::string>> task_argv(const model::RawJson& config) const = 0;

  // OK when this host can run isolated tasks (root, namespaces, cgroups); else
  // FailedPrecondition saying what is missing. Also describes the cgroups found.
  Result<std::string> check_isolation() const;

  const DriverOptions& options() const { return options_; }

 private:
  Isolation isolation_;
  DriverOptions options_;
};

}  // namespace caravan::drivers
