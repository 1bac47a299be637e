// Where the task's command may live: the PATH search execvp would do, done in the
// agent so the forked child only tries execve on prepared paths.
#pragma once

#include <string>
#include <vector>

namespace caravan::drivers::internal {

// `command` itself if it holds a '/', else <dir>/<command> for each PATH entry.
std::vector<std::string> exec_candidates(const std::string& command, const std::string& path);

}  // namespace caravan::drivers::internal
