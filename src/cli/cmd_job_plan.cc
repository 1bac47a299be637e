// `caravan job plan [options] <path|->`: a dry run of a job submission. Sends
// the job to POST /v1/job/:id/plan with Diff, prints the annotated diff, the
// scheduler's dry-run result and the `job run -check-index` line. Exit codes as
// nomad's: 0 no allocations created or destroyed, 1 some would be, 255 error.
#include <fmt/format.h>

#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/job_diff_json.h"
#include "cli/plan_format.h"
#include "cli/text_format.h"
#include "model/job_json.h"
#include "model/model_json.h"

namespace caravan::cli {
namespace {

constexpr int kPlanError = 255;

constexpr std::string_view kUsage =
    "Usage: caravan job plan [options] <path>\n\n"
    "  Shows what submitting the job file at <path> (\"-\" reads standard input)\n"
    "  would change, without changing anything: the difference to the job the\n"
    "  server holds, and whether the scheduler could place every allocation.\n"
    "  It also prints the job modify index to pass to `caravan job run\n"
    "  -check-index`, so the job is only submitted if nobody changed it since.\n\n"
    "  Exit codes: 0 when no allocations would be created or destroyed, 1 when\n"
    "  some would be, 255 on errors.\n\n";

constexpr std::string_view kOptions =
    "\nPlan Options:\n\n"
    "  -diff\n"
    "    Show the difference to the job on the server. Default true; -diff=false\n"
    "    hides it.\n\n"
    "  -verbose\n"
    "    Also show unchanged fields next to the changed ones.\n\n";

std::string help_text() {
  return std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions) +
         std::string(kJobFileFlagsHelp);
}

int run_job_plan(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  JobFileFlags job_flags;
  job_flags.register_flags(flags);
  bool diff = true, verbose = false;
  flags.add_bool("diff", &diff, "show the diff");
  flags.add_bool("verbose", &verbose, "show unchanged fields");
  int exit_code = 0;
  const std::string help = help_text();
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code == 0 ? 0 : kPlanError;
  if (positional->size() != 1) {
    io.err << "This command takes one argument: <path>\n\n" << help;
    return kPlanError;
  }
  const std::string& path = (*positional)[0];
  std::optional<model::Job> job = load_job_file(path, job_flags, io);
  if (!job) return kPlanError;
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return kPlanError;

  nlohmann::json request;
  request["Job"] = nlohmann::json::parse(model::encode_job(*job));
  request["Diff"] = true;
  request["PolicyOverride"] = false;
  Result<nlohmann::json> response =
      api->post(fmt::format("/v1/job/{}/plan", url_escape(job->id)), request);
  if (!response) {
    print_api_error(io, "during plan", response.error());
    return kPlanError;
  }
  Result<PlanOutput> output = format_plan_response(*response, path, diff, verbose);
  if (!output) {
    io.err << "Error during plan: " << output.error().message() << "\n";
    return kPlanError;
  }
  io.out << output->text;
  return output->changes ? 1 : 0;
}

}  // namespace

const Command kJobPlanCommand{
    "job plan",
    "Dry-run a job update to determine its effects",
    kUsage,
    run_job_plan,
};

}  // namespace caravan::cli
