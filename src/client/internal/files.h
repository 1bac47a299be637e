// File helpers shared by the client's units (alloc dirs, templates, artifacts,
// fingerprinting, logs): read and write whole files and make directories,
// returning Status values that name the path and the OS error.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/atomic_file.h"
#include "core/status.h"

namespace caravan::client::internal {

// The whole file. Errors: NotFound when it does not exist, Internal otherwise.
Result<std::string> read_file(const std::string& path);

using caravan::write_file_atomic;  // core/atomic_file.h

// mkdir -p, then chmod `mode` on the last component (independent of the umask).
Status make_dir(const std::string& path, mode_t mode);

// "<what> <path>: <strerror(errno)>" as an Internal status, for failed syscalls.
Status errno_status(std::string_view what, const std::string& path);

}  // namespace caravan::client::internal
