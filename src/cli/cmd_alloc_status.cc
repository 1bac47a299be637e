// `caravan alloc status [options] <alloc>`: nomad's detail view of one
// allocation (GET /v1/allocation/:id): where it runs, its statuses, addresses,
// and per task the resources, restarts and recent events.
#include <ostream>

#include "cli/alloc_support.h"
#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/status_format.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan alloc status [options] <allocation>\n\n"
    "  Shows an allocation: its job, node and statuses, its addresses, and for\n"
    "  each task its state, resources, restarts and recent events. <allocation>\n"
    "  is an allocation ID or a unique prefix of one (at least two characters).\n\n";

constexpr std::string_view kOptions =
    "\nAlloc Status Options:\n\n"
    "  -verbose\n"
    "    Show full IDs, absolute times and the placement metrics.\n\n";

int run_alloc_status(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<allocation>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  std::optional<nlohmann::json> alloc = fetch_allocation(*api, call->argument, io);
  if (!alloc) return 1;
  io.out << format_alloc_status(*alloc, verbose, now_unix_nanos());
  return 0;
}

}  // namespace

const Command kAllocStatusCommand{
    "alloc status",
    "Display allocation status information and metadata",
    kUsage,
    run_alloc_status,
};

}  // namespace caravan::cli
