// `caravan job run [options] <path|->`: parses a job file locally, registers it
// (POST /v1/jobs, with EnforceIndex under -check-index) and, unless -detach,
// monitors the evaluation it created and then the deployment the evaluation
// started, if any. Exit 0 when placed (and the deployment succeeded), 2 on
// placement failures, 1 on a failed deployment or errors — nomad's codes.
#include <fmt/format.h>

#include <charconv>
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/deployment_monitor.h"
#include "cli/eval_monitor.h"
#include "cli/text_format.h"
#include "model/job_json.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan job run [options] <path>\n\n"
    "  Starts a new job or updates an existing one from the job file at <path>\n"
    "  (\"-\" reads standard input). The file is parsed and validated locally, then\n"
    "  submitted to the agent.\n\n"
    "  Unless -detach is given, the command then monitors the evaluation the\n"
    "  submission created and shows the scheduler's decisions until placement is\n"
    "  done. When the evaluation started a deployment (service jobs do: without an\n"
    "  update block the default one applies), it then follows the deployment until\n"
    "  it succeeds or fails: per task group the allocations desired, placed,\n"
    "  healthy and unhealthy, the canaries and the progress deadline; a view\n"
    "  redrawn in place on a terminal, a line per change otherwise. A failed\n"
    "  deployment that rolls back (auto_revert) is followed by the rollback's\n"
    "  deployment. Canaries waiting for `caravan deployment promote` are watched\n"
    "  until the progress deadline.\n"
    "  Leaving the monitor at any time with ctrl+c is safe: the evaluation and the\n"
    "  deployment go on without it.\n\n"
    "  Exit codes: 0 when the job was placed (and its deployment, if any,\n"
    "  succeeded), 2 when some allocations could not be placed (unsatisfiable\n"
    "  constraints, exhausted resources), 1 when the deployment failed (even when\n"
    "  its rollback succeeded) or was cancelled, and on any other error.\n\n";

constexpr std::string_view kOptions =
    "\nRun Options:\n\n"
    "  -check-index=<index>\n"
    "    Submit only if the job's modify index on the server equals <index> (0 for a\n"
    "    job that must not exist yet); `caravan job plan` prints the index to use.\n\n"
    "  -detach\n"
    "    Return right after submitting, printing the evaluation ID: neither the\n"
    "    evaluation nor the deployment is monitored.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

std::string help_text() {
  return std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions) +
         std::string(kJobFileFlagsHelp);
}

int run_job_run(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  JobFileFlags job_flags;
  job_flags.register_flags(flags);
  bool detach = false, verbose = false;
  std::string check_index;
  flags.add_bool("detach", &detach, "return after submitting");
  flags.add_bool("verbose", &verbose, "show full IDs");
  flags.add_string("check-index", &check_index, "submit only at this job modify index");
  int exit_code = 0;
  const std::string help = help_text();
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() != 1) {
    io.err << "This command takes one argument: <path>\n\n" << help;
    return 1;
  }
  int64_t enforce_index = -1;
  if (!check_index.empty()) {
    auto [ptr, ec] =
        std::from_chars(check_index.data(), check_index.data() + check_index.size(), enforce_index);
    if (ec != std::errc() || ptr != check_index.data() + check_index.size() || enforce_index < 0) {
      io.err << fmt::format(
                    "Error: invalid value \"{}\" for -check-index: a job modify index "
                    "(a whole number, 0 or more) is required\n\n",
                    check_index)
             << help;
      return 1;
    }
  }

  std::optional<model::Job> job = load_job_file((*positional)[0], job_flags, io);
  if (!job) return 1;
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;

  nlohmann::json request;
  request["Job"] = nlohmann::json::parse(model::encode_job(*job));
  if (enforce_index >= 0) {
    request["EnforceIndex"] = true;
    request["JobModifyIndex"] = enforce_index;
  }
  Result<nlohmann::json> response = api->post("/v1/jobs", request);
  if (!response) {
    print_api_error(io, "submitting job", response.error());
    if (enforce_index >= 0 && response.error().code() == StatusCode::kFailedPrecondition) {
      io.err << "Job not updated\n";
    }
    return 1;
  }
  std::string warnings = json_string(*response, "Warnings");
  if (!warnings.empty()) io.out << "Job Warnings:\n" << warnings << "\n\n";
  std::string eval_id = json_string(*response, "EvalID");
  if (eval_id.empty()) {
    // Periodic and parameterized jobs create no evaluation at registration.
    io.out << "Job registration successful\n";
    return 0;
  }
  if (detach) {
    io.out << "Job registration successful\nEvaluation ID: " << eval_id << "\n";
    return 0;
  }
  const size_t id_length = verbose ? 36u : 8u;
  int placed = monitor_evaluation(*api, eval_id, io, MonitorOptions{id_length});
  if (placed != 0) return placed;
  std::optional<std::string> deployment =
      registered_deployment(*api, eval_id, job->id, json_int(*response, "JobModifyIndex"),
                            json_int(*response, "EvalCreateIndex"));
  if (!deployment) return 0;
  DeploymentMonitorOptions options;
  options.id_length = id_length;
  options.tty = output_is_terminal(io);
  return monitor_deployment(*api, *deployment, io, options);
}

}  // namespace

const Command kJobRunCommand{
    "job run",
    "Run a new job or update an existing job",
    kUsage,
    run_job_run,
};

}  // namespace caravan::cli
