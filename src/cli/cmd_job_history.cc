// `caravan job history [options] <job>`: the job's stored versions (GET
// /v1/job/:id/versions), newest first; -p adds the diff between each version
// and the one before it.
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
    "Usage: caravan job history [options] <job>\n\n"
    "  Lists the versions of a job the server keeps, newest first, with whether\n"
    "  each was stable and when it was submitted.\n\n";

constexpr std::string_view kOptions =
    "\nHistory Options:\n\n"
    "  -p\n"
    "    Show the differences between each version and the previous one.\n\n";

int run_job_history(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool diffs = false;
  flags.add_bool("p", &diffs, "show diffs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<job>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  std::optional<nlohmann::json> stub = resolve_or_report(*api, ObjectKind::kJob, call->argument, io);
  if (!stub) return 1;
  Result<nlohmann::json> versions =
      api->get("/v1/job/" + url_escape(json_string(*stub, "ID")) + "/versions");
  if (!versions) {
    print_api_error(io, "retrieving job versions", versions.error());
    return 1;
  }
  Result<std::string> text = format_job_history(*versions, diffs);
  if (!text) {
    io.err << "Error reading job versions: " << text.error().message() << "\n";
    return 1;
  }
  io.out << *text;
  return 0;
}

}  // namespace

const Command kJobHistoryCommand{
    "job history",
    "Display all tracked versions of a job",
    kUsage,
    run_job_history,
};

}  // namespace caravan::cli
