// Short-ID prefix resolution, as nomad's commands accept "8ba85cef" for an
// allocation or "web" for a job: ask the list endpoint with ?prefix=, then pick
// the one match. An exact ID wins over longer IDs sharing the prefix; no match
// or several matches are errors worded as nomad's, the latter listing the
// candidates in the kind's usual table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/api_client.h"
#include "core/status.h"

namespace caravan::cli {

enum class ObjectKind { kJob, kAllocation, kNode, kEvaluation, kDeployment };

// "job", "allocation", "node", "evaluation", "deployment".
std::string_view kind_name(ObjectKind kind);
// The list endpoint: "/v1/jobs", "/v1/allocations", "/v1/nodes", "/v1/evaluations".
std::string_view kind_list_path(ObjectKind kind);

// Picks the object `prefix` names among `candidates` (the JSON array the list
// endpoint returned; entries whose ID does not start with `prefix` are ignored,
// so an agent that ignores ?prefix= still works). Errors, ready to print:
//   kNotFound:        No job(s) with prefix or id "x" found
//   kInvalidArgument: Prefix matched multiple jobs\n\n<table of the matches>
//   kInvalidArgument: Alloc ID must contain at least two characters.
// `now` dates the relative times in an allocation table.
Result<nlohmann::json> pick_prefix_match(ObjectKind kind, std::string_view prefix,
                                         const nlohmann::json& candidates, int64_t now);

// Queries the list endpoint with ?prefix= and picks the match. Query failures
// come back worded "Error querying jobs: <why>" (or the connection error).
Result<nlohmann::json> resolve_prefix(ApiClient& api, ObjectKind kind, std::string_view prefix);

// resolve_prefix, printing the error to io.err; nullopt then (the command exits 1).
std::optional<nlohmann::json> resolve_or_report(ApiClient& api, ObjectKind kind,
                                                std::string_view prefix, CommandIo& io);

// `caravan status <prefix>`: given the IDs each kind matched, the one object
// meant. An exact ID that only one kind has wins; otherwise exactly one kind
// must have matched exactly one ID. Errors, ready to print:
//   kNotFound:        No matches found for id "x"
//   kInvalidArgument: Multiple matches found for id "x"\n\nJobs:\nweb\nweb-2\n...
Result<std::pair<ObjectKind, std::string>> choose_status_target(
    std::string_view prefix, const std::map<ObjectKind, std::vector<std::string>>& matches);

}  // namespace caravan::cli
