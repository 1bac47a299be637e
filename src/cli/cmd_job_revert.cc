// `caravan job revert [options] <job> <version>`: registers an earlier
// version of the job again (POST /v1/job/:id/revert) and monitors the
// evaluation, as nomad's command.
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
    "Usage: caravan job revert [options] <job> <version>\n\n"
    "  Reverts the job to an earlier version: that version's specification is\n"
    "  registered again as a new version. `caravan job history <job>` lists the\n"
    "  versions. Unless -detach is given, the command monitors the evaluation.\n\n";

constexpr std::string_view kOptions =
    "\nRevert Options:\n\n"
    "  -detach\n"
    "    Return after submitting.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_job_revert(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool detach = false, verbose = false;
  flags.add_bool("detach", &detach, "return after submitting");
  flags.add_bool("verbose", &verbose, "full IDs");
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  int exit_code = 0;
  std::optional<std::vector<std::string>> positional =
      parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() != 2) {
    io.err << "This command takes two arguments: <job> <version>\n\n" << help;
    return 1;
  }
  int64_t version = 0;
  try {
    size_t used = 0;
    version = std::stoll((*positional)[1], &used);
    if (used != (*positional)[1].size() || version < 0) throw std::invalid_argument("version");
  } catch (const std::exception&) {
    io.err << "The version must be a whole number, got \"" << (*positional)[1] << "\"\n";
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::optional<nlohmann::json> job = resolve_or_report(*api, ObjectKind::kJob, (*positional)[0], io);
  if (!job) return 1;
  std::string job_id = json_string(*job, "ID");
  Result<nlohmann::json> answer = api->post("/v1/job/" + url_escape(job_id) + "/revert",
                                            {{"JobID", job_id}, {"JobVersion", version}});
  if (!answer) {
    print_api_error(io, "reverting job", answer.error());
    return 1;
  }
  std::string eval_id = json_string(*answer, "EvalID");
  if (detach || eval_id.empty()) {
    io.out << "Evaluation ID: " << eval_id << "\n";
    return 0;
  }
  MonitorOptions options;
  options.id_length = verbose ? 36 : 8;
  return monitor_evaluation(*api, eval_id, io, options);
}

}  // namespace

const Command kJobRevertCommand{"job revert", "Revert to a prior version of the job", kUsage,
                                run_job_revert};

}  // namespace caravan::cli
