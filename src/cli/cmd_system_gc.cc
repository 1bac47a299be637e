// `caravan system gc [options]`: garbage collects now (PUT /v1/system/gc), as
// `nomad system gc` does — terminal evaluations and allocations and finished
// jobs go whatever their age (server/garbage_collector.h has the rules).
#include <ostream>

#include "cli/api_client.h"
#include "cli/commands.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan system gc [options]\n\n"
    "  Runs the server's garbage collection now: terminal evaluations with their\n"
    "  finished allocations, and stopped or dead jobs with nothing left running,\n"
    "  are removed whatever their age.\n\n";

int run_system_gc(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp);
  std::optional<ApiClient> api = begin_no_argument_command(flags, api_flags, args, help, io, &exit_code);
  if (!api) return exit_code;
  Result<nlohmann::json> collected = api->put("/v1/system/gc", nlohmann::json::object());
  if (!collected) {
    print_api_error(io, "running garbage collection", collected.error());
    return 1;
  }
  return 0;
}

}  // namespace

const Command kSystemGcCommand{
    "system gc",
    "Run the garbage collection of the server now",
    kUsage,
    run_system_gc,
};

}  // namespace caravan::cli
