// write_file_atomic: replace a file's contents so that a reader (or a restart
// after kill -9 or power loss) sees either the old file or the whole new one,
// never a half-written one. For state files: the client's saved allocations,
// task handles, rendered templates.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan {

// Writes `data` to a temporary file beside `path`, fsyncs it, sets `mode` and
// renames it over `path`. Errors (Internal) name the file and the OS error.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode);

}  // namespace caravan
