// `caravan eval status [options] <eval>`: one evaluation (GET
// /v1/evaluation/:id) with the allocations it placed and why placements failed.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/prefix_match.h"
#include "cli/status_format.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan eval status [options] <evaluation>\n\n"
    "  Shows an evaluation: what triggered it, its status, the allocations it\n"
    "  placed and, when placements failed, why. <evaluation> is an evaluation ID\n"
    "  or a unique prefix of one (at least two characters).\n\n";

constexpr std::string_view kOptions =
    "\nEval Status Options:\n\n"
    "  -verbose\n"
    "    Show full IDs and absolute times.\n\n";

int run_eval_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<evaluation>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  std::optional<nlohmann::json> stub = resolve_or_report(*api, ObjectKind::kEvaluation, call->argument, io);
  if (!stub) return 1;
  const std::string base = "/v1/evaluation/" + url_escape(json_string(*stub, "ID"));
  Result<nlohmann::json> eval = api->get(base);
  if (!eval) {
    print_api_error(io, "querying evaluation", eval.error());
    return 1;
  }
  Result<nlohmann::json> allocs = api->get(base + "/allocations");
  if (!allocs) {
    print_api_error(io, "querying evaluation allocations", allocs.error());
    return 1;
  }
  io.out << format_eval_status(*eval, *allocs, verbose, now_unix_nanos());
  return 0;
}

}  // namespace

const Command kEvalStatusCommand{
    "eval status",
    "Display evaluation status and placement failure reasons",
    kUsage,
    run_eval_status,
};

}  // namespace caravan::cli
