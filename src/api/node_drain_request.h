// The bodies of PUT/POST /v1/node/:id/drain and /v1/node/:id/eligibility, in
// Nomad's shape, read into values the server takes (Server::drain_node,
// Server::set_node_eligibility). Malformed bodies are InvalidArgument errors
// that name the field and what it must be (the endpoint answers 400).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"
#include "model/node.h"

namespace caravan::api {

struct DrainRequest {
  // Null or absent DrainSpec: switch the drain off. Only Deadline and
  // IgnoreSystemJobs are set; the server fills in the times.
  std::optional<model::DrainStrategy> strategy;
  bool mark_eligible = false;
  std::map<std::string, std::string> meta;
};

// {"DrainSpec": {"Deadline": <ns>, "IgnoreSystemJobs": bool} | null,
//  "MarkEligible": bool, "Meta": {"k": "v"}}.
Result<DrainRequest> parse_drain_request(const nlohmann::json& body);

// {"Eligibility": "eligible" | "ineligible"} → the eligibility.
Result<std::string> parse_eligibility_request(const nlohmann::json& body);

}  // namespace caravan::api
