// The `caravan deployment` commands (nomad's verbs and flags): list, status,
// promote, fail, pause and resume. `status -monitor` follows the deployment
// (deployment_monitor.h); the writes monitor the evaluation they create unless
// -detach is given.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/deployment_format.h"
#include "cli/deployment_monitor.h"
#include "cli/deployment_write.h"
#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kListUsage =
    "Usage: caravan deployment list [options]\n\n"
    "  Lists the deployments: the rollouts of job versions under their update\n"
    "  block.\n\n";
constexpr std::string_view kVerboseOption =
    "\nOptions:\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_list(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  std::string help = std::string(kListUsage) + std::string(kApiFlagsHelp) + std::string(kVerboseOption);
  std::optional<ApiClient> api =
      begin_no_argument_command(flags, api_flags, args, help, io, &exit_code);
  if (!api) return exit_code;
  Result<nlohmann::json> list = api->get("/v1/deployments");
  if (!list) {
    print_api_error(io, "retrieving deployments", list.error());
    return 1;
  }
  io.out << format_deployment_list(*list, verbose);
  return 0;
}

constexpr std::string_view kStatusUsage =
    "Usage: caravan deployment status [options] <deployment>\n\n"
    "  Shows a deployment: its status and, per task group, how many allocations\n"
    "  are desired, placed, healthy and unhealthy, the canaries and the progress\n"
    "  deadline. <deployment> is an ID or a unique prefix of one.\n\n"
    "  With -monitor, follows the deployment until it succeeds or fails, as\n"
    "  `caravan job run` does: a view redrawn in place on a terminal, a line per\n"
    "  change otherwise; exit 0 when it succeeded, 1 when it failed (even when\n"
    "  its rollback succeeded) or was cancelled. Leaving the monitor with ctrl+c\n"
    "  is safe: the deployment goes on.\n\n";
constexpr std::string_view kStatusOptions =
    "\nOptions:\n\n"
    "  -monitor\n"
    "    Follow the deployment until it ends.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false, monitor = false;
  flags.add_bool("verbose", &verbose, "full IDs");
  flags.add_bool("monitor", &monitor, "follow the deployment until it ends");
  int exit_code = 0;
  std::string help = std::string(kStatusUsage) + std::string(kApiFlagsHelp) + std::string(kStatusOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<deployment>", io, &exit_code);
  if (!call) return exit_code;
  std::optional<nlohmann::json> d =
      resolve_or_report(call->api, ObjectKind::kDeployment, call->argument, io);
  if (!d) return 1;
  if (monitor) {
    DeploymentMonitorOptions options;
    options.id_length = verbose ? 36u : 8u;
    options.tty = output_is_terminal(io);
    return monitor_deployment(call->api, json_string(*d, "ID"), io, options);
  }
  io.out << format_deployment_status(*d, verbose);
  return 0;
}

// What a deployment write needs: its path under /v1/deployment/, its body and
// the words of its success line.
struct DeploymentWrite {
  std::string_view usage;
  std::string_view path;  // "promote", "fail", "pause"
  std::string_view done;  // "promoted", "failed", ...
  nlohmann::json body;
  bool group_flag = false;  // -group may be repeated (promote)
};

int run_write(DeploymentWrite write, const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool detach = false, verbose = false;
  std::vector<std::string> groups;
  flags.add_bool("detach", &detach, "return after submitting");
  flags.add_bool("verbose", &verbose, "full IDs");
  if (write.group_flag) flags.add_string_list("group", &groups, "task group to promote");
  int exit_code = 0;
  std::string help = std::string(write.usage) + std::string(kApiFlagsHelp) +
                     "\nOptions:\n\n  -detach\n    Return after submitting, without monitoring "
                     "the evaluation.\n\n  -verbose\n    Show full IDs.\n\n" +
                     (write.group_flag ? "  -group <name>\n    Promote only this task group "
                                         "(repeatable); by default every group.\n\n"
                                       : "");
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<deployment>", io, &exit_code);
  if (!call) return exit_code;
  std::optional<nlohmann::json> d =
      resolve_or_report(call->api, ObjectKind::kDeployment, call->argument, io);
  if (!d) return 1;
  nlohmann::json body = write.body;
  if (write.group_flag) {
    body["All"] = groups.empty();
    body["Groups"] = groups;
  }
  return submit_deployment_write(call->api, json_string(*d, "ID"), write.path, write.done,
                                 std::move(body), detach, verbose, io);
}

int run_promote(const std::vector<std::string>& args, CommandIo& io) {
  return run_write({"Usage: caravan deployment promote [options] <deployment>\n\n"
                    "  Promotes the healthy canaries of a deployment: the rolling update\n"
                    "  continues and the canaries leave their canary tags.\n\n",
                    "promote", "promoted", nlohmann::json::object(), true},
                   args, io);
}
int run_fail(const std::vector<std::string>& args, CommandIo& io) {
  return run_write({"Usage: caravan deployment fail [options] <deployment>\n\n"
                    "  Marks a running deployment failed; with auto_revert, the job rolls\n"
                    "  back to its last stable version.\n\n",
                    "fail", "failed", nlohmann::json::object()},
                   args, io);
}
int run_pause(const std::vector<std::string>& args, CommandIo& io) {
  return run_write({"Usage: caravan deployment pause [options] <deployment>\n\n"
                    "  Pauses a deployment: no new allocations of the rollout are placed\n"
                    "  until it is resumed.\n\n",
                    "pause", "paused", {{"Pause", true}}},
                   args, io);
}
int run_resume(const std::vector<std::string>& args, CommandIo& io) {
  return run_write({"Usage: caravan deployment resume [options] <deployment>\n\n"
                    "  Resumes a paused deployment.\n\n",
                    "pause", "resumed", {{"Pause", false}}},
                   args, io);
}

}  // namespace

const Command kDeploymentListCommand{"deployment list", "List all deployments", kListUsage,
                                     run_list};
const Command kDeploymentStatusCommand{"deployment status", "Display the status of a deployment",
                                       kStatusUsage, run_status};
const Command kDeploymentPromoteCommand{"deployment promote", "Promote canaries in a deployment",
                                        "Usage: caravan deployment promote [options] <deployment>\n",
                                        run_promote};
const Command kDeploymentFailCommand{"deployment fail", "Manually fail a deployment",
                                     "Usage: caravan deployment fail [options] <deployment>\n",
                                     run_fail};
const Command kDeploymentPauseCommand{"deployment pause", "Pause a deployment",
                                      "Usage: caravan deployment pause [options] <deployment>\n",
                                      run_pause};
const Command kDeploymentResumeCommand{"deployment resume", "Resume a paused deployment",
                                       "Usage: caravan deployment resume [options] <deployment>\n",
                                       run_resume};

}  // namespace caravan::cli
