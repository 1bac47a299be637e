// `caravan status [options] [prefix]`: nomad's catch-all status. Without an
// argument it lists jobs; with an ID or prefix it finds which job, allocation,
// node or evaluation is meant and shows that object's status command.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan status [options] <identifier>\n\n"
    "  Shows the status of any object by its ID or a unique prefix of it: a job,\n"
    "  an allocation, a node or an evaluation. Without an identifier, lists the\n"
    "  jobs, as `caravan job status` does.\n\n";

constexpr std::string_view kOptions =
    "\nStatus Options:\n\n"
    "  -verbose\n"
    "    Show full IDs and more detail, as each object's status command does.\n\n";

int run_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "more detail");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() > 1) {
    io.err << "This command takes either no arguments or one: <identifier>\n\n" << help;
    return 1;
  }
  std::vector<std::string> forwarded = api_flags.as_args();
  if (verbose) forwarded.push_back("-verbose");
  if (positional->empty()) return kJobStatusCommand.run(forwarded, io);

  const std::string& prefix = (*positional)[0];
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::map<ObjectKind, std::vector<std::string>> matches;
  for (ObjectKind kind :
       {ObjectKind::kJob, ObjectKind::kAllocation, ObjectKind::kNode, ObjectKind::kEvaluation,
        ObjectKind::kDeployment}) {
    // UUID-keyed objects need two characters, as their own commands do.
    if (kind != ObjectKind::kJob && prefix.size() < 2) continue;
    Result<nlohmann::json> list =
        api->get(std::string(kind_list_path(kind)) + "?prefix=" + url_escape(prefix));
    if (!list) {
      print_api_error(io, "querying " + std::string(kind_name(kind)) + "s", list.error());
      return 1;
    }
    if (!list->is_array()) continue;
    for (const auto& item : *list) {
      std::string id = json_string(item, "ID");
      if (id.starts_with(prefix)) matches[kind].push_back(id);
    }
  }
  Result<std::pair<ObjectKind, std::string>> target = choose_status_target(prefix, matches);
  if (!target) {
    io.err << target.error().message() << (target.error().message().ends_with("\n") ? "" : "\n");
    return 1;
  }
  forwarded.push_back(target->second);
  switch (target->first) {
    case ObjectKind::kJob:
      return kJobStatusCommand.run(forwarded, io);
    case ObjectKind::kAllocation:
      return kAllocStatusCommand.run(forwarded, io);
    case ObjectKind::kNode:
      return kNodeStatusCommand.run(forwarded, io);
    case ObjectKind::kEvaluation:
      return kEvalStatusCommand.run(forwarded, io);
    case ObjectKind::kDeployment:
      return kDeploymentStatusCommand.run(forwarded, io);
  }
  return 1;
}

}  // namespace

const Command kStatusCommand{
    "status",
    "Display the status output for a resource",
    kUsage,
    run_status,
};

}  // namespace caravan::cli
