// The `config` block raw_exec and exec share: `command` (required) and `args`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/raw_json.h"

namespace caravan::drivers::internal {

// [command, args...]. Errors: InvalidArgument naming the field.
Result<std::vector<std::string>> command_argv(std::string_view driver,
                                              const model::RawJson& config);

}  // namespace caravan::drivers::internal
