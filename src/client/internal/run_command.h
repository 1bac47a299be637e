// Runs a helper program (curl, tar, unzip) to completion with no shell,
// capturing what it prints so a failure can be reported with its own words.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace caravan::client::internal {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr interleaved, at most 64 KiB
};

// Runs argv[0] (an absolute path) with argv, stdin from /dev/null, in `cwd`
// when not empty. Errors: Internal when the program cannot be started.
Result<CommandResult> run_command(const std::vector<std::string>& argv,
                                  const std::string& cwd = "");

// The first of `candidates` that is an executable file, or "".
std::string find_executable(const std::vector<std::string>& candidates);

}  // namespace caravan::client::internal
