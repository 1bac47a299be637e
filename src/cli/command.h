// A CLI command: its path ("job validate"), one-line synopsis, help text and
// entry point. The table of all commands lives in commands.cc; each verb is
// implemented in its own cmd_<verb>.cc, as the nomad CLI does.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::cli {

// The streams a command talks to; tests substitute string streams.
struct CommandIo {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  std::string_view path;      // words after `caravan`, e.g. "job validate"
  std::string_view synopsis;  // one line for command listings
  std::string_view help;      // full help: usage line, description, options
  // Receives the arguments after the command path; returns the exit code.
  int (*run)(const std::vector<std::string>& args, CommandIo& io);
};

}  // namespace caravan::cli
