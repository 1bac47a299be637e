// `caravan job promote [options] <job>`: promotes the canaries of the job's
// latest deployment (POST /v1/deployment/promote/:id), as nomad's command.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/deployment_write.h"
#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan job promote [options] <job>\n\n"
    "  Promotes the healthy canaries of the job's latest deployment, so the\n"
    "  rolling update continues. Unless -detach is given, the command then\n"
    "  monitors the evaluation it created.\n\n";

constexpr std::string_view kOptions =
    "\nPromote Options:\n\n"
    "  -group <name>\n"
    "    Promote only this task group (repeatable); by default every group.\n\n"
    "  -detach\n"
    "    Return after submitting.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_job_promote(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool detach = false, verbose = false;
  std::vector<std::string> groups;
  flags.add_bool("detach", &detach, "return after submitting");
  flags.add_bool("verbose", &verbose, "full IDs");
  flags.add_string_list("group", &groups, "task group to promote");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<job>", io, &exit_code);
  if (!call) return exit_code;
  std::optional<nlohmann::json> job = resolve_or_report(call->api, ObjectKind::kJob, call->argument, io);
  if (!job) return 1;
  std::string job_id = json_string(*job, "ID");
  Result<nlohmann::json> d = call->api.get("/v1/job/" + url_escape(job_id) + "/deployment");
  if (!d) {
    print_api_error(io, "retrieving deployment", d.error());
    return 1;
  }
  if (!d->is_object()) {
    io.err << "Job \"" << job_id << "\" has no deployment to promote\n";
    return 1;
  }
  nlohmann::json body{{"All", groups.empty()}, {"Groups", groups}};
  return submit_deployment_write(call->api, json_string(*d, "ID"), "promote", "promoted",
                                 std::move(body), detach, verbose, io);
}

}  // namespace

const Command kJobPromoteCommand{"job promote", "Promote a job's canaries", kUsage,
                                 run_job_promote};

}  // namespace caravan::cli
