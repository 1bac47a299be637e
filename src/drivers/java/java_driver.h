// java: runs a jar (`jar_path`) or a main class (`class`, `class_path`) with
// `jvm_options` and `args` under the exec driver's isolation. Detected when a
// `java` binary answers `java -version` and the host can isolate tasks.
#pragma once

#include <map>
#include <string>

#include "drivers/process_driver.h"

namespace caravan::drivers {

class JavaDriver final : public ProcessDriver {
 public:
  explicit JavaDriver(DriverOptions options = {})
      : ProcessDriver(Isolation::kChroot, std::move(options)) {}

  std::string name() const override { return "java"; }
  // Attributes driver.java, driver.java.version, driver.java.runtime, driver.java.vm.
  Fingerprint fingerprint() const override;
  Status validate_config(const model::RawJson& config) const override;

 protected:
  // ["java", jvm_options..., "-jar", jar_path | "-cp", class_path, class, args...]
  Result<std::vector<std::string>> task_argv(const model::RawJson& config) const override;
};

// Parses `java -version` output. Exposed for tests.
std::map<std::string, std::string> parse_java_version(const std::string& output);

}  // namespace caravan::drivers
