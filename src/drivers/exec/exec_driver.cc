#include "drivers/exec/exec_driver.h"

#include "drivers/internal/command_config.h"

namespace caravan::drivers {

Fingerprint ExecDriver::fingerprint() const {
  Fingerprint f;
  auto isolation = check_isolation();
  if (!isolation.has_value()) {
    f.health_description = isolation.error().message();
    return f;
  }
  f.detected = true;
  f.healthy = true;
  f.health_description = "Healthy (" + *isolation + ")";
  f.attributes["driver.exec"] = "1";
  return f;
}

Status ExecDriver::validate_config(const model::RawJson& config) const {
  return task_argv(config).status();
}

Result<std::vector<std::string>> ExecDriver::task_argv(const model::RawJson& config) const {
  return internal::command_argv(name(), config);
}

}  // namespace caravan::drivers
