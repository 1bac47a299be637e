#include "drivers/raw_exec/raw_exec_driver.h"

#include "drivers/internal/command_config.h"

namespace caravan::drivers {

Fingerprint RawExecDriver::fingerprint() const {
  Fingerprint f;
  f.detected = true;
  f.healthy = true;
  f.health_description = "Healthy";
  f.attributes["driver.raw_exec"] = "1";
  return f;
}

Status RawExecDriver::validate_config(const model::RawJson& config) const {
  return task_argv(config).status();
}

Result<std::vector<std::string>> RawExecDriver::task_argv(const model::RawJson& config) const {
  return internal::command_argv(name(), config);
}

}  // namespace caravan::drivers
