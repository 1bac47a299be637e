// The numbered files of one task log (<base>.0, <base>.1, ...) as the rotating
// writer and the reader see them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace caravan::client::internal {

struct LogFile {
  int index = 0;
  std::string path;
  int64_t size = 0;
};

// The files "<dir>/<base_name>.<N>" present now, by increasing N. A missing
// directory yields none. Errors: Internal when the directory cannot be listed.
Result<std::vector<LogFile>> list_log_files(const std::string& dir, const std::string& base_name);

}  // namespace caravan::client::internal
