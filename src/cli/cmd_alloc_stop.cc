// `caravan alloc stop [options] <alloc>`: stops one allocation (POST
// /v1/allocation/:id/stop); the scheduler replaces it if its job still wants
// it. Unless -detach, monitors the evaluation that follows.
#include <ostream>

#include "cli/alloc_support.h"
#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/eval_monitor.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan alloc stop [options] <allocation>\n\n"
    "  Stops an allocation. The scheduler then places a replacement if the job\n"
    "  still asks for it, which makes this a way to move or restart a misbehaving\n"
    "  allocation from scratch. Unless -detach is given, the resulting evaluation\n"
    "  is monitored.\n\n";

constexpr std::string_view kOptions =
    "\nStop Options:\n\n"
    "  -detach\n"
    "    Return right away, printing the evaluation ID.\n\n"
    "  -verbose\n"
    "    Show full IDs.\n\n";

int run_alloc_stop(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool detach = false, verbose = false;
  flags.add_bool("detach", &detach, "do not monitor");
  flags.add_bool("verbose", &verbose, "full IDs");
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp) + std::string(kOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<allocation>", io, &exit_code);
  if (!call) return exit_code;
  ApiClient* api = &call->api;
  std::optional<nlohmann::json> alloc = fetch_allocation(*api, call->argument, io);
  if (!alloc) return 1;
  Result<nlohmann::json> response =
      api->post("/v1/allocation/" + url_escape(json_string(*alloc, "ID")) + "/stop",
                nlohmann::json::object());
  if (!response) {
    print_api_error(io, "stopping allocation", response.error());
    return 1;
  }
  std::string eval_id = json_string(*response, "EvalID");
  if (eval_id.empty()) return 0;
  if (detach) {
    io.out << eval_id << "\n";
    return 0;
  }
  return monitor_evaluation(*api, eval_id, io, MonitorOptions{verbose ? 36u : 8u});
}

}  // namespace

const Command kAllocStopCommand{
    "alloc stop",
    "Stop and reschedule a running allocation",
    kUsage,
    run_alloc_stop,
};

}  // namespace caravan::cli
