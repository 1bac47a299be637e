// `caravan job allocs [options] <job>`: the table of a job's allocations
// (GET /v1/job/:id/allocations).
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/listings.h"
#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan job allocs [options] <job>\n\n"
    "  Lists the allocations of a job: where each runs, the job version it runs,\n"
    "  and its desired and actual status.\n\n";

constexpr std::string_view kOptions =
    "\nAllocs Options:\n\n"
    "  -verbose\n"
    "    Show full IDs, evaluation IDs, node names and absolute times.\n\n";

int run_job_allocs(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<job>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  std::optional<nlohmann::json> stub = resolve_or_report(*api, ObjectKind::kJob, call->argument, io);
  if (!stub) return 1;
  Result<nlohmann::json> allocs =
      api->get("/v1/job/" + url_escape(json_string(*stub, "ID")) + "/allocations");
  if (!allocs) {
    print_api_error(io, "retrieving allocations", allocs.error());
    return 1;
  }
  io.out << format_alloc_list(*allocs, verbose, now_unix_nanos());
  return 0;
}

}  // namespace

const Command kJobAllocsCommand{
    "job allocs",
    "List allocations for a job",
    kUsage,
    run_job_allocs,
};

}  // namespace caravan::cli
