// raw_exec: runs `command` with `args` as the agent's user (or `user`, when the
// agent is root) in the task dir, without isolation; the task gets its own session
// so stop reaches its whole process group.
#pragma once

#include "drivers/process_driver.h"

namespace caravan::drivers {

class RawExecDriver final : public ProcessDriver {
 public:
  explicit RawExecDriver(DriverOptions options = {})
      : ProcessDriver(Isolation::kNone, std::move(options)) {}

  std::string name() const override { return "raw_exec"; }
  // Always detected and healthy: it needs nothing but fork and exec.
  Fingerprint fingerprint() const override;
  Status validate_config(const model::RawJson& config) const override;

 protected:
  Result<std::vector<std::string>> task_argv(const model::RawJson& config) const override;
};

}  // namespace caravan::drivers
