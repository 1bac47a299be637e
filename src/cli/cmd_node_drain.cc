// `caravan node drain [options] <node>`: starts (-enable) or stops (-disable)
// the drain of a client node (PUT /v1/node/:id/drain), then, unless -detach,
// monitors it until every allocation has left the node. -monitor only watches
// a drain already running.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/drain_monitor.h"
#include "cli/drain_request.h"
#include "cli/node_support.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan node drain [options] <node>\n\n"
    "  Toggles the drain mode of a client node. A draining node gets no new work\n"
    "  (it becomes ineligible and stays so after the drain completes) and its\n"
    "  allocations move to other nodes: service allocations per their group's\n"
    "  migrate block, batch ones at the deadline, system ones last. <node> is a\n"
    "  node ID or a unique prefix of one (or -self).\n\n";

constexpr std::string_view kOptions =
    "\nNode Drain Options:\n\n"
    "  -enable\n"
    "    Enable draining for the node.\n\n"
    "  -disable\n"
    "    Disable draining for the node; it becomes eligible again.\n\n"
    "  -deadline <duration>\n"
    "    Force-stop what remains after this long (default 1h).\n\n"
    "  -no-deadline\n"
    "    Never force-stop: batch allocations may run to completion.\n\n"
    "  -force\n"
    "    Stop every allocation right away (deadline now).\n\n"
    "  -ignore-system\n"
    "    Leave system job allocations running.\n\n"
    "  -keep-ineligible\n"
    "    With -disable: keep the node ineligible.\n\n"
    "  -detach\n"
    "    Return right away instead of monitoring the drain.\n\n"
    "  -monitor\n"
    "    Monitor a drain already set; changes nothing.\n\n"
    "  -m <message>\n"
    "    A message kept with the drain (LastDrain.Meta.message).\n\n"
    "  -meta <key>=<value>\n"
    "    Metadata kept with the drain; repeatable.\n\n"
    "  -self\n"
    "    The node of the agent the command talks to.\n\n"
    "  -yes\n"
    "    Do not ask for confirmation (caravan never asks; accepted for nomad's scripts).\n\n";

int run_node_drain(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  DrainFlags drain;
  bool detach = false, self = false, yes = false;
  flags.add_bool("enable", &drain.enable, "enable the drain");
  flags.add_bool("disable", &drain.disable, "disable the drain");
  flags.add_string("deadline", &drain.deadline, "deadline");
  flags.add_bool("no-deadline", &drain.no_deadline, "no deadline");
  flags.add_bool("force", &drain.force, "force now");
  flags.add_bool("ignore-system", &drain.ignore_system, "ignore system jobs");
  flags.add_bool("keep-ineligible", &drain.keep_ineligible, "stay ineligible");
  flags.add_bool("monitor", &drain.monitor, "only monitor");
  flags.add_string("m", &drain.message, "message");
  flags.add_string_list("meta", &drain.meta, "metadata");
  flags.add_bool("detach", &detach, "do not monitor");
  flags.add_bool("self", &self, "the local node");
  flags.add_bool("yes", &yes, "no confirmation");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  auto positional = parse_command_flags(flags, args, help, io, &exit_code);
  if (!positional) return exit_code;
  if (positional->size() != (self ? 0u : 1u)) {
    io.err << "This command takes one argument: <node> (or -self)\n\n" << help;
    return 1;
  }
  if (drain.monitor && detach) {
    io.err << "-monitor and -detach exclude each other\n";
    return 1;
  }
  Result<nlohmann::json> body = drain_request_body(drain);
  if (!body) {
    io.err << body.error().message() << "\n\n" << help;
    return 1;
  }
  std::optional<ApiClient> api = connect_api(api_flags, io);
  if (!api) return 1;
  std::optional<std::string> node_id =
      resolve_node_id(*api, self, self ? std::string() : (*positional)[0], io);
  if (!node_id) return 1;
  if (drain.monitor) return monitor_drain(*api, *node_id, io);

  Result<nlohmann::json> response = api->put("/v1/node/" + url_escape(*node_id) + "/drain", *body);
  if (!response) {
    print_api_error(io, "updating drain specification", response.error());
    return 1;
  }
  if (drain.disable) {
    io.out << "Node \"" << *node_id << "\" drain strategy unset\n";
    return 0;
  }
  if (detach) {
    io.out << "Node \"" << *node_id << "\" drain strategy set\n";
    return 0;
  }
  return monitor_drain(*api, *node_id, io);
}

}  // namespace

const Command kNodeDrainCommand{
    "node drain",
    "Toggle drain mode on a given node",
    kUsage,
    run_node_drain,
};

}  // namespace caravan::cli
