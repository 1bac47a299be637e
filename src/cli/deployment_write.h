// Submitting a deployment write (promote, fail, pause) and monitoring the
// evaluation it creates: shared by the `deployment` commands and `job promote`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/api_client.h"
#include "cli/command.h"

namespace caravan::cli {

// POSTs `body` (with DeploymentID added) to /v1/deployment/<path>/<id>, prints
// `Deployment "<id>" <done>` and, unless `detach`, monitors the evaluation.
// Returns the exit code.
int submit_deployment_write(ApiClient& api, const std::string& id, std::string_view path,
                            std::string_view done, nlohmann::json body, bool detach, bool verbose,
                            CommandIo& io);

}  // namespace caravan::cli
