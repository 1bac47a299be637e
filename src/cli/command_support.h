// Helpers every command shares: parsing its flags with uniform help and error
// output, and reading a job file (HCL or JSON, `-` for stdin) with the common
// `-var` / `-var-file` flags, printing diagnostics the same way everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "cli/flags.h"
#include "jobspec/jobspec.h"

namespace caravan::cli {

// Parses `args` with `flags`. On `-h` prints `help` and sets *exit_code = 0; on a
// flag error prints it with the help and sets *exit_code = 1; either way returns
// nullopt. Otherwise returns the positional arguments.
std::optional<std::vector<std::string>> parse_command_flags(FlagSet& flags,
                                                            const std::vector<std::string>& args,
                                                            std::string_view help, CommandIo& io,
                                                            int* exit_code);

// Long-running commands (agent, ingress) take SIGINT/SIGTERM synchronously:
// block them before starting any thread (threads inherit the mask), then wait.
void block_termination_signals();
void wait_for_termination_signal();

// The input flags of commands that read a job file.
struct JobFileFlags {
  std::vector<std::string> vars;       // -var 'name=value'
  std::vector<std::string> var_files;  // -var-file path
  bool json = false;                   // -json: the input is JSON (auto-detected anyway)

  void register_flags(FlagSet& flags);
  jobspec::ParseOptions options() const;
};

// Help text for the flags registered by JobFileFlags.
extern const std::string_view kJobFileFlagsHelp;

// Reads `path` ("-" = io.in) and parses it as a job; prints warnings and errors
// (file:line:col with a source snippet) to io.err. Returns the job, or nullopt
// when reading or parsing failed.
std::optional<model::Job> load_job_file(const std::string& path, const JobFileFlags& flags,
                                        CommandIo& io);

// Reads a whole file, or io.in for "-". Errors name the path.
Result<std::string> read_input(const std::string& path, CommandIo& io);

}  // namespace caravan::cli
