// exec: runs `command` with `args` isolated as Nomad's exec driver does: own pid,
// mount, ipc and uts namespaces, a chroot of read-only host system dirs plus
// /local, /secrets, /tmp, /alloc, as `user` (default "nobody"), limited by cgroups.
#pragma once

#include "drivers/process_driver.h"

namespace caravan::drivers {

class ExecDriver final : public ProcessDriver {
 public:
  explicit ExecDriver(DriverOptions options = {})
      : ProcessDriver(Isolation::kChroot, std::move(options)) {}

  std::string name() const override { return "exec"; }
  // Detected when the agent is root and cgroups (v1 or v2) offer memory, cpu and pids.
  Fingerprint fingerprint() const override;
  Status validate_config(const model::RawJson& config) const override;

 protected:
  Result<std::vector<std::string>> task_argv(const model::RawJson& config) const override;
};

}  // namespace caravan::drivers
