// `caravan service list` (GET /v1/services) and `caravan service info <name>`
// (GET /v1/service/:name): the catalog's services with their tags, and one
// service's instances with their address, allocation, node, health and tags.
#include <algorithm>
#include <ostream>

#include "cli/api_client.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "cli/text_format.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kListUsage =
    "Usage: caravan service list [options]\n\n"
    "  Lists the services registered in the catalog with their tags.\n\n";

constexpr std::string_view kInfoUsage =
    "Usage: caravan service info [options] <service>\n\n"
    "  Lists the instances of one service: address, job, allocation, node,\n"
    "  health (the aggregate of its checks) and tags.\n\n";

constexpr std::string_view kInfoOptions =
    "\nService Info Options:\n\n"
    "  -verbose\n"
    "    Show full IDs and every check with its output.\n\n";

std::string join(const nlohmann::json& list, std::string_view separator) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += separator;
    out += item.get<std::string>();
  }
  return out;
}

// Consul's aggregate of the instance's checks.
std::string health(const nlohmann::json& instance) {
  const nlohmann::json& checks = json_member(instance, "Checks");
  bool warning = false;
  if (checks.is_array()) {
    for (const auto& check : checks) {
      std::string status = json_string(check, "Status");
      if (status == "critical") return "critical";
      if (status == "warning") warning = true;
    }
  }
  return warning ? "warning" : "passing";
}

int run_service_list(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  int exit_code = 0;
  const std::string help = std::string(kListUsage) + std::string(kApiFlagsHelp);
  std::optional<ApiClient> api = begin_no_argument_command(flags, api_flags, args, help, io, &exit_code);
  if (!api) return exit_code;
  Result<nlohmann::json> listing = api->get("/v1/services");
  if (!listing) {
    print_api_error(io, "listing services", listing.error());
    return 1;
  }
  std::vector<Row> rows{{"Service Name", "Tags"}};
  if (listing->is_array()) {
    for (const auto& ns : *listing) {
      const nlohmann::json& services = json_member(ns, "Services");
      if (!services.is_array()) continue;
      for (const auto& service : services) {
        rows.push_back({json_string(service, "ServiceName"),
                        "[" + join(json_member(service, "Tags"), ",") + "]"});
      }
    }
  }
  if (rows.size() == 1) {
    io.out << "No services found\n";
    return 0;
  }
  io.out << format_list(rows);
  return 0;
}

// "canary", or for a draining instance what the ingresses still send it:
// "draining: 2 requests, 3 connections, 5 sessions".
std::string traffic(const nlohmann::json& instance) {
  std::string out = json_member(instance, "Canary") == true ? "canary" : "";
  if (json_member(instance, "Draining") != true) return out;
  const nlohmann::json& t = json_member(instance, "Traffic");
  out += out.empty() ? "draining" : ", draining";
  if (!t.is_object()) return out;
  return out + ": " + std::to_string(json_int(t, "ActiveRequests")) + " requests, " +
         std::to_string(json_int(t, "Connections")) + " connections, " +
         std::to_string(json_int(t, "Sessions")) + " sessions" +
         (json_int(t, "IngressesBehind") > 0 ? " (some ingresses not yet reporting)" : "");
}

int run_service_info(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  ApiFlags api_flags;
  api_flags.register_flags(flags);
  bool verbose = false;
  flags.add_bool("verbose", &verbose, "full IDs and checks");
  int exit_code = 0;
  const std::string help =
      std::string(kInfoUsage) + std::string(kApiFlagsHelp) + std::string(kInfoOptions);
  std::optional<SingleObjectCall> call =
      begin_single_object_command(flags, api_flags, args, help, "<service>", io, &exit_code);
  if (!call) return exit_code;
  Result<nlohmann::json> instances = call->api.get("/v1/service/" + url_escape(call->argument));
  if (!instances) {
    print_api_error(io, "listing service instances", instances.error());
    return 1;
  }
  if (!instances->is_array() || instances->empty()) {
    io.err << "No service registrations found for \"" << call->argument << "\"\n";
    return 1;
  }
  auto id = [&](const nlohmann::json& object, std::string_view key) {
    std::string value = json_string(object, key);
    return verbose ? value : short_id(value);
  };
  // A "Traffic" column only when some instance is a canary or draining.
  bool shifting = std::any_of(instances->begin(), instances->end(), [](const nlohmann::json& i) {
    return json_member(i, "Canary") == true || json_member(i, "Draining") == true;
  });
  std::vector<Row> rows{{"Job ID", "Address", "Alloc ID", "Node ID", "Health", "Tags"}};
  if (shifting) rows[0].push_back("Traffic");
  for (const auto& instance : *instances) {
    rows.push_back({json_string(instance, "JobID"),
                    json_string(instance, "Address") + ":" + std::to_string(json_int(instance, "Port")),
                    id(instance, "AllocID"), id(instance, "NodeID"), health(instance),
                    "[" + join(json_member(instance, "Tags"), ",") + "]"});
    if (shifting) rows.back().push_back(traffic(instance));
  }
  io.out << format_list(rows);
  if (!verbose) return 0;
  std::vector<Row> checks{{"Instance", "Check", "Type", "Status", "Output"}};
  for (const auto& instance : *instances) {
    const nlohmann::json& list = json_member(instance, "Checks");
    if (!list.is_array()) continue;
    for (const auto& check : list) {
      checks.push_back({json_string(instance, "ID"), json_string(check, "Name"),
                        json_string(check, "Type"), json_string(check, "Status"),
                        json_string(check, "Output")});
    }
  }
  if (checks.size() > 1) io.out << "\nChecks\n" << format_list(checks);
  return 0;
}

}  // namespace

const Command kServiceListCommand{
    "service list",
    "List the services in the catalog",
    kListUsage,
    run_service_list,
};

const Command kServiceInfoCommand{
    "service info",
    "Show the instances of a service and their health",
    kInfoUsage,
    run_service_info,
};

}  // namespace caravan::cli
