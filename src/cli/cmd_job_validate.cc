// `caravan job validate [options] <path|->`: checks a job file's syntax, types
// and Nomad's validation rules locally. Exit 0 when valid, 1 otherwise.
#include <ostream>

#include "cli/command_support.h"
#include "cli/commands.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan job validate [options] <path>\n\n"
    "  Checks the job file at <path> (\"-\" reads standard input) for syntax\n"
    "  errors, unknown arguments, type errors and Nomad's validation rules.\n"
    "  Errors name file:line:column. Exits 0 when the job is valid, 1 otherwise.\n\n"
    "Validate Options:\n\n";

std::string help_text() { return std::string(kHelp) + std::string(kJobFileFlagsHelp); }

int run_job_validate(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  JobFileFlags job_flags;
  job_flags.register_flags(flags);
  int exit_code = 0;
  const std::string help = help_text();
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() != 1) {
    io.err << "This command takes one argument: <path>\n\n" << help;
    return 1;
  }
  std::optional<model::Job> job = load_job_file((*positional)[0], job_flags, io);
  if (!job) {
    io.err << "Job validation failed.\n";
    return 1;
  }
  io.out << "Job validation successful\n";
  return 0;
}

}  // namespace

const Command kJobValidateCommand{
    "job validate",
    "Check a job file for errors",
    kHelp,
    run_job_validate,
};

}  // namespace caravan::cli
