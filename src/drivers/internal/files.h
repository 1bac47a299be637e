// Small file helpers for the drivers: whole-file reads and writes with errors that
// name the path (cgroup control files, the exit status file, /proc entries).
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace caravan::drivers::internal {

// The whole file; nullopt if it cannot be opened or read.
std::optional<std::string> read_file(const std::string& path);
// Writes `content` to an existing file (a cgroup control file): one write(2).
Status write_existing_file(const std::string& path, const std::string& content);
bool path_exists(const std::string& path);
// mkdir -p. Errors name the path.
Status make_dirs(const std::string& path);
// "<what>: <strerror(errno)>".
std::string errno_message(const std::string& what);

}  // namespace caravan::drivers::internal
