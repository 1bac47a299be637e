// `caravan node status [options] [node]`: without a node, the table of client
// nodes (GET /v1/nodes); with a node ID prefix (or -self, the node of the agent
// being asked), the node's detail: drivers, events, allocated resources,
// attributes (-verbose) and allocations.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/listings.h"
#include "cli/node_support.h"
#include "cli/status_format.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan node status [options] <node>\n\n"
    "  Shows information about client nodes. Without <node>, lists every node\n"
    "  with its pool, datacenter, drain state, eligibility and status. With a node\n"
    "  ID (or a unique prefix of one), shows that node in detail.\n\n";

constexpr std::string_view kOptions =
    "\nNode Status Options:\n\n"
    "  -self\n"
    "    Show the node of the agent the command talks to.\n\n"
    "  -verbose\n"
    "    Show full IDs, addresses, versions, driver details, attributes and meta.\n\n";

int run_node_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool self = false, verbose = false;
  flags.add_bool("self", &self, "the local node");
  flags.add_bool("verbose", &verbose, "details");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() > 1 || (self && !positional->empty())) {
    io.err << "This command takes either no arguments or one: <node> (or -self)\n\n" << help;
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;

  if (positional->empty() && !self) {
    Result<nlohmann::json> nodes = api->get("/v1/nodes");
    if (!nodes) {
      print_api_error(io, "querying node status", nodes.error());
      return 1;
    }
    io.out << format_node_list(*nodes, verbose);
    return 0;
  }
  std::optional<std::string> node_id =
      resolve_node_id(*api, self, self ? std::string() : (*positional)[0], io);
  if (!node_id) return 1;
  const std::string base = "/v1/node/" + url_escape(*node_id);
  Result<nlohmann::json> node = api->get(base);
  if (!node) {
    print_api_error(io, "querying node info", node.error());
    return 1;
  }
  Result<nlohmann::json> allocs = api->get(base + "/allocations");
  if (!allocs) {
    print_api_error(io, "querying node allocations", allocs.error());
    return 1;
  }
  io.out << format_node_status(*node, *allocs, verbose, now_unix_nanos());
  return 0;
}

}  // namespace

const Command kNodeStatusCommand{
    "node status",
    "Display status information about nodes",
    kUsage,
    run_node_status,
};

}  // namespace caravan::cli
