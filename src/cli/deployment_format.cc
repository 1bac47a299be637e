#include "cli/deployment_format.h"

#include <fmt/format.h>

#include "cli/text_format.h"

namespace caravan::cli {

std::string format_deployment_list(const nlohmann::json& deployments, bool verbose) {
  if (!deployments.is_array() || deployments.empty()) return "No deployments found\n";
  std::vector<Row> rows{{"ID", "Job ID", "Job Version", "Status", "Description"}};
  for (const nlohmann::json& d : deployments) {
    std::string id = json_string(d, "ID");
    rows.push_back({verbose ? id : short_id(id), json_string(d, "JobID"),
                    std::to_string(json_int(d, "JobVersion")), json_string(d, "Status"),
                    json_string(d, "StatusDescription")});
  }
  return format_list(rows);
}

std::string format_deployed_groups(const nlohmann::json& deployment) {
  const nlohmann::json& groups = json_member(deployment, "TaskGroups");
  if (!groups.is_object() || groups.empty()) return "";
  bool canaries = false, auto_revert = false;
  for (const auto& [name, g] : groups.items()) {
    canaries = canaries || json_int(g, "DesiredCanaries") > 0;
    auto_revert = auto_revert || json_bool(g, "AutoRevert");
  }
  Row header{"Task Group"};
  if (auto_revert) header.push_back("Auto Revert");
  if (canaries) header.push_back("Promoted");
  header.insert(header.end(), {"Desired"});
  if (canaries) header.push_back("Canaries");
  header.insert(header.end(), {"Placed", "Healthy", "Unhealthy", "Progress Deadline"});
  std::vector<Row> rows{header};
  for (const auto& [name, g] : groups.items()) {
    Row row{name};
    if (auto_revert) row.push_back(json_bool(g, "AutoRevert") ? "true" : "false");
    if (canaries) {
      row.push_back(json_int(g, "DesiredCanaries") > 0 ? (json_bool(g, "Promoted") ? "true" : "false")
                                                       : "N/A");
    }
    row.push_back(std::to_string(json_int(g, "DesiredTotal")));
    if (canaries) row.push_back(std::to_string(json_int(g, "DesiredCanaries")));
    row.push_back(std::to_string(json_int(g, "PlacedAllocs")));
    row.push_back(std::to_string(json_int(g, "HealthyAllocs")));
    row.push_back(std::to_string(json_int(g, "UnhealthyAllocs")));
    int64_t by = json_int(g, "RequireProgressBy");
    row.push_back(by > 0 ? format_time(by) : "N/A");
    rows.push_back(std::move(row));
  }
  return format_list(rows);
}

std::string format_deployment_status(const nlohmann::json& deployment, bool verbose) {
  std::string id = json_string(deployment, "ID");
  std::string out = format_kv({{"ID", verbose ? id : short_id(id)},
                               {"Job ID", json_string(deployment, "JobID")},
                               {"Job Version", std::to_string(json_int(deployment, "JobVersion"))},
                               {"Status", json_string(deployment, "Status")},
                               {"Description", json_string(deployment, "StatusDescription")}});
  std::string groups = format_deployed_groups(deployment);
  if (!groups.empty()) out += "\nDeployed\n" + groups;
  return out;
}

}  // namespace caravan::cli
