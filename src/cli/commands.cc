#include "cli/commands.h"

#include <algorithm>
#include <iostream>
#include <fmt/format.h>

#include "core/strings.h"

namespace caravan::cli {
namespace {

const Command* const kCommands[] = {
    &kJobRunCommand,      &kJobPlanCommand,      &kJobStatusCommand,  &kJobStopCommand,
    &kJobHistoryCommand,  &kJobAllocsCommand,    &kJobInitCommand,    &kJobValidateCommand,
    &kJobInspectCommand,  &kJobFmtCommand,       &kAllocStatusCommand, &kAllocLogsCommand,
    &kAllocStopCommand,   &kAllocRestartCommand, &kNodeStatusCommand, &kNodeDrainCommand,
    &kNodeEligibilityCommand, &kEvalStatusCommand,
    &kEvalListCommand,    &kStatusCommand,       &kAgentInfoCommand,  &kFmtCommand,
    &kVersionCommand,     &kAgentCommand,      &kSystemGcCommand,   &kServiceListCommand,
    &kServiceInfoCommand, &kIngressCommand,
    &kJobPromoteCommand, &kJobRevertCommand, &kDeploymentListCommand, &kDeploymentStatusCommand,
    &kDeploymentPromoteCommand, &kDeploymentFailCommand, &kDeploymentPauseCommand,
    &kDeploymentResumeCommand,
};

std::vector<Command> make_table() {
  std::vector<Command> table;
  for (const Command* c : kCommands) table.push_back(*c);
  return table;
}

size_t word_count(std::string_view path) {
  return static_cast<size_t>(std::count(path.begin(), path.end(), ' ')) + 1;
}

// The command whose path matches the most leading words of args.
const Command* match(const std::vector<std::string>& args, size_t* consumed) {
  const Command* best = nullptr;
  for (const Command& c : all_commands()) {
    size_t n = word_count(c.path);
    if (n > args.size()) continue;
    std::vector<std::string> words(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(n));
    if (join(words, " ") == c.path && (best == nullptr || n > word_count(best->path))) {
      best = &c;
    }
  }
  if (best != nullptr) *consumed = word_count(best->path);
  return best;
}

// Help listing of every command under `prefix` ("" for all).
void print_listing(std::string_view prefix, std::ostream& out) {
  if (prefix.empty()) {
    out << "Usage: caravan [-version] [-help] <command> [args]\n\n"
           "caravan is one binary for a workload orchestrator, a service catalog and an\n"
           "ingress gateway. Its commands follow the nomad CLI.\n\n";
  } else {
    out << fmt::format("Usage: caravan {} <subcommand> [options] [args]\n\n", prefix);
  }
  out << "Commands:\n";
  for (const Command& c : all_commands()) {
    if (!prefix.empty() && !c.path.starts_with(std::string(prefix) + " ")) continue;
    out << fmt::format("    {:<16} {}\n", c.path, c.synopsis);
  }
}

}  // namespace

std::span<const Command> all_commands() {
  static const std::vector<Command> table = make_table();
  return table;
}

int run_command(const std::vector<std::string>& args, CommandIo& io) {
  if (args.empty() || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
    print_listing("", args.empty() ? io.err : io.out);
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "-version" || args[0] == "--version" || args[0] == "-v") {
    return kVersionCommand.run({}, io);
  }
  size_t consumed = 0;
  const Command* command = match(args, &consumed);
  if (command == nullptr) {
    // A group word alone ("caravan job") lists its subcommands.
    for (const Command& c : all_commands()) {
      if (c.path.starts_with(args[0] + " ")) {
        bool asked = args.size() > 1 && (args[1] == "-h" || args[1] == "--help");
        if (args.size() > 1 && !asked) {
          io.err << fmt::format("Unknown command 'caravan {} {}'.\n\n", args[0], args[1]);
        }
        print_listing(args[0], asked ? io.out : io.err);
        return asked ? 0 : 1;
      }
    }
    std::vector<std::string> names;
    for (const Command& c : all_commands()) names.emplace_back(c.path.substr(0, c.path.find(' ')));
    std::string hint = suggest_name(args[0], names);
    io.err << fmt::format("Unknown command '{}'.{}\nRun 'caravan -help' for the list of commands.\n",
                          args[0], hint.empty() ? "" : fmt::format(" Did you mean '{}'?", hint));
    return 1;
  }
  std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(consumed), args.end());
  return command->run(rest, io);
}

int run_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  CommandIo io{std::cin, std::cout, std::cerr};
  return run_command(args, io);
}

}  // namespace caravan::cli
