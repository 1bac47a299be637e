// `caravan eval list [options]`: the table of evaluations (GET
// /v1/evaluations), optionally only those of one job or with one status.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/listings.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan eval list [options]\n\n"
    "  Lists evaluations: their priority, trigger, job, node, status and whether\n"
    "  placements failed.\n\n";

constexpr std::string_view kOptions =
    "\nEval List Options:\n\n"
    "  -job=<job>\n"
    "    Only evaluations of this job.\n\n"
    "  -status=<status>\n"
    "    Only evaluations with this status (pending, complete, failed, blocked,\n"
    "    canceled).\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_eval_list(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  std::string job, status;
  flags.add_bool("verbose", &verbose, "full IDs");
  flags.add_string("job", &job, "only this job");
  flags.add_string("status", &status, "only this status");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<ApiClient> api = begin_no_argument_command(flags, api_flags, args, help, io, &exit_code);
  if (!api) return exit_code;
  Result<nlohmann::json> evals = api->get("/v1/evaluations");
  if (!evals) {
    print_api_error(io, "querying evaluations", evals.error());
    return 1;
  }
  // Filtered here, so the command works whatever filters the agent supports.
  nlohmann::json shown = nlohmann::json::array();
  if (evals->is_array()) {
    for (const auto& e : *evals) {
      if (!job.empty() && json_string(e, "JobID") != job) continue;
      if (!status.empty() && json_string(e, "Status") != status) continue;
      shown.push_back(e);
    }
  }
  io.out << format_eval_list(shown, verbose);
  return 0;
}

}  // namespace

const Command kEvalListCommand{
    "eval list",
    "List the set of evaluations",
    kUsage,
    run_eval_list,
};

}  // namespace caravan::cli
