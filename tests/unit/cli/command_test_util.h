// Helpers for the CLI unit tests: runs a caravan command in-process with
// captured standard output and error, as a user would see them.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace caravan::cli {

struct Captured {
  int code;
  std::string out;
  std::string err;
};

// `caravan <args...>` with empty standard input.
inline Captured run(const std::vector<std::string>& args) {
  std::istringstream in;
  std::ostringstream out, err;
  CommandIo io{in, out, err};
  int code = run_command(args, io);
  return {code, out.str(), err.str()};
}

}  // namespace caravan::cli
