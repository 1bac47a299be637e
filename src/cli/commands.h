// The command table of the caravan binary and the entry point main() calls:
// finds the command named by the leading words of argv ("job validate"),
// prints help listings, and runs it.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/command.h"

namespace caravan::cli {

// Every command, in the order help listings show them.
std::span<const Command> all_commands();

// Runs the command named in `args` (argv without the program name).
int run_command(const std::vector<std::string>& args, CommandIo& io);

int run_main(int argc, char** argv);

// The individual commands (one cmd_*.cc file each).
extern const Command kVersionCommand;
extern const Command kJobInitCommand;
extern const Command kJobValidateCommand;
extern const Command kJobInspectCommand;
extern const Command kJobFmtCommand;
extern const Command kFmtCommand;
extern const Command kJobRunCommand;
extern const Command kJobPlanCommand;
extern const Command kJobStatusCommand;
extern const Command kJobStopCommand;
extern const Command kJobHistoryCommand;
extern const Command kJobPromoteCommand;
extern const Command kJobRevertCommand;
extern const Command kJobAllocsCommand;
extern const Command kAllocStatusCommand;
extern const Command kAllocLogsCommand;
extern const Command kAllocStopCommand;
extern const Command kAllocRestartCommand;
extern const Command kNodeStatusCommand;
extern const Command kNodeDrainCommand;
extern const Command kNodeEligibilityCommand;
extern const Command kEvalStatusCommand;
extern const Command kEvalListCommand;
extern const Command kDeploymentListCommand;
extern const Command kDeploymentStatusCommand;
extern const Command kDeploymentPromoteCommand;
extern const Command kDeploymentFailCommand;
extern const Command kDeploymentPauseCommand;
extern const Command kDeploymentResumeCommand;
extern const Command kServiceListCommand;
extern const Command kServiceInfoCommand;
extern const Command kIngressCommand;
extern const Command kStatusCommand;
extern const Command kAgentInfoCommand;
extern const Command kSystemGcCommand;
extern const Command kAgentCommand;

}  // namespace caravan::cli
