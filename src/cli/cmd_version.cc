// `caravan version`: prints the version, as `nomad version` does.
#include <ostream>

#include "cli/command_support.h"
#include "cli/commands.h"

#ifndef CARAVAN_VERSION
#define CARAVAN_VERSION "0.0.0-dev"
#endif

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan version\n\n  Prints the version of this caravan binary.\n";

int run_version(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  int exit_code = 0;
  auto positional = parse_command_flags(flags, args, kHelp, io, &exit_code);
  if (!positional) return exit_code;
  if (!positional->empty()) {
    io.err << "This command takes no arguments\n\n" << kHelp;
    return 1;
  }
  io.out << "Caravan v" CARAVAN_VERSION "\n";
  return 0;
}

}  // namespace

const Command kVersionCommand{
    "version",
    "Print the caravan version",
    kHelp,
    run_version,
};

}  // namespace caravan::cli
