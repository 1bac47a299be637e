#include "api/node_drain_request.h"

#include <fmt/format.h>

namespace caravan::api {
namespace {

// The member `key` of `object` (null when absent or null).
const nlohmann::json* member(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

Status wrong_type(std::string_view field, std::string_view want) {
  return invalid_argument(fmt::format("\"{}\" must be {}", field, want));
}

}  // namespace

Result<DrainRequest> parse_drain_request(const nlohmann::json& body) {
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  DrainRequest out;
  if (const nlohmann::json* spec = member(body, "DrainSpec")) {
    if (!spec->is_object()) {
      return wrong_type("DrainSpec",
                        "an object {\"Deadline\": <ns>, \"IgnoreSystemJobs\": bool} or null");
    }
    model::DrainStrategy strategy;
    if (const nlohmann::json* deadline = member(*spec, "Deadline")) {
      if (!deadline->is_number_integer()) {
        return wrong_type("DrainSpec.Deadline",
                          "an integer of nanoseconds (0 = no deadline, -1 = force now)");
      }
      strategy.deadline = Duration(std::chrono::nanoseconds(deadline->get<int64_t>()));
    }
    if (const nlohmann::json* ignore = member(*spec, "IgnoreSystemJobs")) {
      if (!ignore->is_boolean()) return wrong_type("DrainSpec.IgnoreSystemJobs", "true or false");
      strategy.ignore_system_jobs = ignore->get<bool>();
    }
    out.strategy = strategy;
  }
  if (const nlohmann::json* mark = member(body, "MarkEligible")) {
    if (!mark->is_boolean()) return wrong_type("MarkEligible", "true or false");
    out.mark_eligible = mark->get<bool>();
  }
  if (const nlohmann::json* meta = member(body, "Meta")) {
    if (!meta->is_object()) return wrong_type("Meta", "an object of strings");
    for (const auto& [key, value] : meta->items()) {
      if (!value.is_string()) return wrong_type("Meta." + key, "a string");
      out.meta[key] = value.get<std::string>();
    }
  }
  return out;
}

Result<std::string> parse_eligibility_request(const nlohmann::json& body) {
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  const nlohmann::json* value = member(body, "Eligibility");
  std::string eligibility = value != nullptr && value->is_string() ? value->get<std::string>() : "";
  if (eligibility != model::kNodeEligible && eligibility != model::kNodeIneligible) {
    return wrong_type("Eligibility", "\"eligible\" or \"ineligible\"");
  }
  return eligibility;
}

}  // namespace caravan::api
