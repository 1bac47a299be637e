// `caravan node eligibility -enable|-disable <node>`: whether the scheduler may
// place new work on a node (PUT /v1/node/:id/eligibility). Allocations already
// there keep running; a draining node cannot be made eligible.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/node_support.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan node eligibility [options] <node>\n\n"
    "  Toggles the scheduling eligibility of a client node. An ineligible node\n"
    "  gets no new allocations; those it runs are left alone. <node> is a node ID\n"
    "  or a unique prefix of one (or -self).\n\n";

constexpr std::string_view kOptions =
    "\nNode Eligibility Options:\n\n"
    "  -enable\n"
    "    Make the node eligible for new work.\n\n"
    "  -disable\n"
    "    Make the node ineligible for new work.\n\n"
    "  -self\n"
    "    The node of the agent the command talks to.\n\n";

int run_node_eligibility(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool enable = false, disable = false, self = false;
  flags.add_bool("enable", &enable, "eligible");
  flags.add_bool("disable", &disable, "ineligible");
  flags.add_bool("self", &self, "the local node");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (enable == disable) {
    io.err << "Either the '-enable' or '-disable' flag must be set\n\n" << help;
    return 1;
  }
  if (positional->size() != (self ? 0u : 1u)) {
    io.err << "This command takes one argument: <node> (or -self)\n\n" << help;
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::optional<std::string> node_id =
      resolve_node_id(*api, self, self ? std::string() : (*positional)[0], io);
  if (!node_id) return 1;
  const char* eligibility = enable ? "eligible" : "ineligible";
  Result<nlohmann::json> response = api->put("/v1/node/" + url_escape(*node_id) + "/eligibility",
                                             nlohmann::json{{"Eligibility", eligibility}});
  if (!response) {
    print_api_error(io, "updating scheduling eligibility", response.error());
    return 1;
  }
  io.out << "Node \"" << *node_id << "\" scheduling eligibility set: " << eligibility << "\n";
  return 0;
}

}  // namespace

const Command kNodeEligibilityCommand{
    "node eligibility",
    "Toggle scheduling eligibility for a given node",
    kUsage,
    run_node_eligibility,
};

}  // namespace caravan::cli
