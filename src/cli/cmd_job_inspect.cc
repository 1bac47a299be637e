// `caravan job inspect [options] <path|->`: prints a job file as Nomad's JSON
// job format, with defaults applied (what the server would store). Until the
// agent exists it reads local files; later a job ID will be looked up on the
// server, as `nomad job inspect` does.
#include <ostream>

#include "cli/command_support.h"
#include "cli/commands.h"
#include "model/job_json.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan job inspect [options] <path>\n\n"
    "  Parses the job file at <path> (\"-\" reads standard input), applies Nomad's\n"
    "  defaults and prints the job as Nomad's JSON job format, wrapped as the\n"
    "  register request body {\"Job\": {...}} that `curl -d @job.json\n"
    "  localhost:4646/v1/jobs` accepts.\n\n"
    "Inspect Options:\n\n"
    "  -bare\n"
    "    Print the bare job object instead of {\"Job\": ...}.\n\n";

int run_job_inspect(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  JobFileFlags job_flags;
  job_flags.register_flags(flags);
  bool bare = false;
  flags.add_bool("bare", &bare, "print the bare job object");
  int exit_code = 0;
  const std::string help = std::string(kHelp) + std::string(kJobFileFlagsHelp);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() != 1) {
    io.err << "This command takes one argument: <path>\n\n" << help;
    return 1;
  }
  std::optional<model::Job> job = load_job_file((*positional)[0], job_flags, io);
  if (!job) return 1;
  io.out << (bare ? model::encode_job(*job, model::JsonStyle::kPretty)
                  : model::encode_job_request(*job, model::JsonStyle::kPretty))
         << "\n";
  return 0;
}

}  // namespace

const Command kJobInspectCommand{
    "job inspect",
    "Print a job file as Nomad JSON",
    kHelp,
    run_job_inspect,
};

}  // namespace caravan::cli
