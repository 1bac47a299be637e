#include "cli/command_support.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <fmt/format.h>

#include "core/strings.h"

namespace caravan::cli {

std::optional<std::vector<std::string>> parse_command_flags(FlagSet& flags,
                                                            const std::vector<std::string>& args,
                                                            std::string_view help, CommandIo& io,
                                                            int* exit_code) {
  Result<std::vector<std::string>> positional = flags.parse(args);
  if (!positional) {
    io.err << "Error: " << positional.error().message() << "\n\n" << help;
    *exit_code = 1;
    return std::nullopt;
  }
  if (flags.help_requested()) {
    io.out << help;
    *exit_code = 0;
    return std::nullopt;
  }
  return std::move(positional).value();
}

const std::string_view kJobFileFlagsHelp =
    "  -var 'key=value'\n"
    "    Sets the value of the input variable 'key'. Repeatable; later values win.\n\n"
    "  -var-file=path\n"
    "    Reads input variable values from an HCL file of `key = value` lines.\n"
    "    Repeatable; applied in order, before -var.\n\n"
    "  -json\n"
    "    Treat the input as Nomad's JSON job format (detected automatically when the\n"
    "    file starts with '{').\n\n"
    "  Variables are also read from the environment as NOMAD_VAR_<name>.\n";

void JobFileFlags::register_flags(FlagSet& flags) {
  flags.add_string_list("var", &vars, "set an input variable (name=value)");
  flags.add_string_list("var-file", &var_files, "read input variables from a file");
  flags.add_bool("json", &json, "the input is JSON");
}

jobspec::ParseOptions JobFileFlags::options() const {
  jobspec::ParseOptions options;
  options.var_args = vars;
  options.var_files = var_files;
  return options;
}

Result<std::string> read_input(const std::string& path, CommandIo& io) {
  if (path == "-") {
    return std::string((std::istreambuf_iterator<char>(io.in)), std::istreambuf_iterator<char>());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return invalid_argument(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

std::optional<model::Job> load_job_file(const std::string& path, const JobFileFlags& flags,
                                        CommandIo& io) {
  Result<std::string> text = read_input(path, io);
  if (!text) {
    io.err << "Error: " << text.error().message() << "\n";
    return std::nullopt;
  }
  std::string name = path == "-" ? "<stdin>" : path;
  if (flags.json && !trim(*text).starts_with("{")) {
    io.err << fmt::format("Error: {}: -json was given but the input is not a JSON object\n", name);
    return std::nullopt;
  }
  jobspec::ParseResult parsed = jobspec::parse_job(std::move(text).value(), name, flags.options());
  if (!parsed.diagnostics.empty()) io.err << parsed.format_diagnostics();
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.job);
}

void block_termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void wait_for_termination_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  sigwait(&set, &signal_number);
}

}  // namespace caravan::cli
