// What the node commands (status, drain, eligibility) share: the node of the
// agent the CLI talks to (-self) and turning the <node> argument (an ID or a
// unique prefix) into the node's full ID.
#pragma once

#include <optional>
#include <string>

#include "cli/api_client.h"
#include "cli/command.h"
#include "core/status.h"

namespace caravan::cli {

// The node ID of the agent itself, from /v1/agent/self (stats.client.node_id).
// FailedPrecondition when that agent runs no client.
Result<std::string> local_node_id(ApiClient& api);

// The full ID of the node meant: the local one with `self`, else the one
// `prefix` names. Prints the error to io.err and returns nullopt on failure.
std::optional<std::string> resolve_node_id(ApiClient& api, bool self, const std::string& prefix,
                                           CommandIo& io);

}  // namespace caravan::cli
