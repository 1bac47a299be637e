// `caravan job status [options] [job]`: without a job, the table of all jobs
// (GET /v1/jobs); with a job ID or prefix, nomad's detail view: the job, its
// summary per task group, placement failures and allocations.
#include <fmt/format.h>

#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/listings.h"
#include "cli/prefix_match.h"
#include "cli/status_format.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan job status [options] <job>\n\n"
    "  Shows information about jobs. Without <job>, lists every job with its type,\n"
    "  priority, status and submit date. With a job ID (or a unique prefix of one),\n"
    "  shows the job, the state of its allocations per task group, why placements\n"
    "  failed, and its allocations.\n\n";

constexpr std::string_view kOptions =
    "\nStatus Options:\n\n"
    "  -verbose\n"
    "    Show full IDs, absolute times and the job's evaluations.\n\n";

int run_job_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs and evaluations");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() > 1) {
    io.err << "This command takes either no arguments or one: <job>\n\n" << help;
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;

  if (positional->empty()) {
    Result<nlohmann::json> jobs = api->get("/v1/jobs");
    if (!jobs) {
      print_api_error(io, "querying jobs", jobs.error());
      return 1;
    }
    io.out << format_job_list(*jobs);
    return 0;
  }
  std::optional<nlohmann::json> stub = resolve_or_report(*api, ObjectKind::kJob, (*positional)[0], io);
  if (!stub) return 1;
  const std::string base = "/v1/job/" + url_escape(json_string(*stub, "ID"));
  JobStatusData data;
  struct Fetch {
    const char* suffix;
    const char* doing;
    nlohmann::json* into;
  };
  for (const Fetch& f : {Fetch{"", "querying job", &data.job},
                         Fetch{"/summary", "querying job summary", &data.summary},
                         Fetch{"/allocations", "querying job allocations", &data.allocs},
                         Fetch{"/evaluations", "querying job evaluations", &data.evals},
                         Fetch{"/deployment", "querying job deployment", &data.deployment}}) {
    Result<nlohmann::json> doc = api->get(base + f.suffix);
    if (!doc) {
      print_api_error(io, f.doing, doc.error());
      return 1;
    }
    *f.into = std::move(doc).value();
  }
  io.out << format_job_status(data, verbose, now_unix_nanos());
  return 0;
}

}  // namespace

const Command kJobStatusCommand{
    "job status",
    "Display status information about a job",
    kUsage,
    run_job_status,
};

}  // namespace caravan::cli
