// Runs a short host command and captures its output (stdout and stderr merged),
// for fingerprints such as `java -version`. posix_spawn, so safe in a threaded agent.
#pragma once

#include <string>
#include <vector>

#include "core/duration.h"
#include "core/status.h"

namespace caravan::drivers::internal {

struct CommandOutput {
  int exit_code = -1;  // -1 when it died of a signal
  std::string output;
};

// `argv[0]` must be a path. Errors: NotFound when it does not exist, Unavailable
// when it did not finish within `timeout` (it is killed).
Result<CommandOutput> run_command(const std::vector<std::string>& argv, Duration timeout);

}  // namespace caravan::drivers::internal
