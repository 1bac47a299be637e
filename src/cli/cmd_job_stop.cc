// `caravan job stop [options] <job>`: deregisters a job (DELETE /v1/job/:id,
// ?purge=true with -purge) and, unless -detach, monitors the evaluation that
// stops its allocations. A prefix that is not the exact ID asks for
// confirmation first, as nomad does (-yes skips it).
#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/eval_monitor.h"
#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan job stop [options] <job>\n\n"
    "  Stops a running job: its allocations are stopped and the job is marked\n"
    "  stopped (it stays visible, with its versions, until garbage collection;\n"
    "  -purge removes it at once). Unless -detach is given, the evaluation that\n"
    "  stops the allocations is monitored, as `caravan job run` does.\n\n";

constexpr std::string_view kOptions =
    "\nStop Options:\n\n"
    "  -detach\n"
    "    Return right away, printing the evaluation ID.\n\n"
    "  -purge\n"
    "    Remove the job from the system instead of only stopping it.\n\n"
    "  -yes\n"
    "    Do not ask for confirmation when <job> is a prefix of the job's ID.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_job_stop(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool detach = false, purge = false, yes = false, verbose = false;
  flags.add_bool("detach", &detach, "do not monitor");
  flags.add_bool("purge", &purge, "remove the job");
  flags.add_bool("yes", &yes, "no confirmation");
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<job>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  const std::string& typed = call->argument;
  std::optional<nlohmann::json> stub = resolve_or_report(*api, ObjectKind::kJob, typed, io);
  if (!stub) return 1;
  std::string job_id = json_string(*stub, "ID");
  if (job_id != typed && !yes) {
    io.out << fmt::format("Are you sure you want to stop job \"{}\"? [y/N] ", job_id) << std::flush;
    std::string answer;
    std::getline(io.in, answer);
    if (answer != "y" && answer != "Y") {
      io.out << "Cancelling job stop\n";
      return 0;
    }
  }
  Result<nlohmann::json> response =
      api->del(fmt::format("/v1/job/{}{}", url_escape(job_id), purge ? "?purge=true" : ""));
  if (!response) {
    print_api_error(io, "deregistering job", response.error());
    return 1;
  }
  std::string eval_id = json_string(*response, "EvalID");
  if (eval_id.empty()) return 0;  // nothing to schedule (periodic or parameterized job)
  if (detach) {
    io.out << eval_id << "\n";
    return 0;
  }
  return monitor_evaluation(*api, eval_id, io, MonitorOptions{verbose ? 36u : 8u});
}

}  // namespace

const Command kJobStopCommand{
    "job stop",
    "Stop a running job",
    kUsage,
    run_job_stop,
};

}  // namespace caravan::cli
