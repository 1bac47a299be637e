// The built-in drivers by name: what the client's fingerprinter iterates and what
// a task's `driver = "..."` resolves to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "drivers/driver.h"
#include "drivers/driver_options.h"

namespace caravan::drivers {

// "exec", "java", "raw_exec".
std::vector<std::string> builtin_driver_names();

// Errors: NotFound naming the unknown driver (with a "did you mean").
Result<DriverPtr> make_driver(std::string_view name, const DriverOptions& options = {});

}  // namespace caravan::drivers
