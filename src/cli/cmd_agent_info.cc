// `caravan agent-info [options]`: the agent's runtime statistics from GET
// /v1/agent/self ("stats": section → key → value), printed as nomad does.
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: caravan agent-info [options]\n\n"
    "  Shows the statistics of the agent the command talks to: its client,\n"
    "  server and runtime sections, one `key = value` per line.\n\n";

// The text of the stats object: each section, then "  key = value" sorted.
std::string format_agent_stats(const nlohmann::json& stats) {
  std::string out;
  if (!stats.is_object()) return out;
  for (const auto& [name, values] : stats.items()) {  // nlohmann::json keeps keys sorted
    out += name + "\n";
    if (!values.is_object()) continue;
    for (const auto& [key, value] : values.items()) {
      out += "  " + key + " = " + json_text(value) + "\n";
    }
  }
  return out;
}

int run_agent_info(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  int exit_code = 0;
  const std::string help = std::string(kUsage) + std::string(kApiFlagsHelp);
  std::optional<ApiClient> api = begin_no_argument_command(flags, api_flags, args, help, io, &exit_code);
  if (!api) return exit_code;
  Result<nlohmann::json> self = api->get("/v1/agent/self");
  if (!self) {
    print_api_error(io, "querying agent info", self.error());
    return 1;
  }
  io.out << format_agent_stats(json_member(*self, "stats"));
  return 0;
}

}  // namespace

const Command kAgentInfoCommand{
    "agent-info",
    "Display status information about the local agent",
    kUsage,
    run_agent_info,
};

}  // namespace caravan::cli
