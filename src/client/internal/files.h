// File helpers shared by the client's units (alloc dirs, templates, artifacts,
// fingerprinting, logs): read and write whole files and make directories,
// returning Status values that name the path and the OS error.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::client::internal {

// The whole file. Errors: NotFound when it does not exist, Internal otherwise.
Result<std::string> read_file(const std::string& path);

// Writes `data` to a temporary file beside `path` and renames it over `path`,
// so readers never see a half-written file; then sets `mode`.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

// mkdir -p, then chmod `mode` on the last component (independent of the umask).
Status make_dir(const std::string& path, mode_t mode);

// "<what> <path>: <strerror(errno)>" as an Internal status, for failed syscalls.
Status errno_status(std::string_view what, const std::string& path);

}  // namespace caravan::client::internal
