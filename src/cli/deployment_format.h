// The text of the deployment commands, as nomad prints it: `deployment list`
// rows and the `deployment status` view (ID, job, version, status, description
// and the per-group table: promoted, desired, canaries, placed, healthy,
// unhealthy, progress deadline). Pure functions of the API's JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace caravan::cli {

// The table of `deployment list` / `job deployments` (a JSON array of deployments).
std::string format_deployment_list(const nlohmann::json& deployments, bool verbose);

// `deployment status`: the key/value block and the "Deployed" table.
std::string format_deployment_status(const nlohmann::json& deployment, bool verbose);

// Only the "Deployed" table of one deployment (what `job status` and the
// `job run` monitor show).
std::string format_deployed_groups(const nlohmann::json& deployment);

}  // namespace caravan::cli
