#include "drivers/registry.h"

#include "core/strings.h"
#include "drivers/exec/exec_driver.h"
#include "drivers/java/java_driver.h"
#include "drivers/raw_exec/raw_exec_driver.h"

namespace caravan::drivers {

std::vector<std::string> builtin_driver_names() { return {"exec", "java", "raw_exec"}; }

Result<DriverPtr> make_driver(std::string_view name, const DriverOptions& options) {
  if (name == "raw_exec") {
    return DriverPtr(std::make_unique<RawExecDriver>(options));
  }
  if (name == "exec") {
    return DriverPtr(std::make_unique<ExecDriver>(options));
  }
  if (name == "java") {
    return DriverPtr(std::make_unique<JavaDriver>(options));
  }
  std::string suggestion = suggest_name(name, builtin_driver_names());
  return not_found("unknown task driver \"" + std::string(name) + "\"" +
                   (suggestion.empty() ? "; available: " + join(builtin_driver_names(), ", ")
                                       : "; did you mean \"" + suggestion + "\"?"));
}

}  // namespace caravan::drivers
