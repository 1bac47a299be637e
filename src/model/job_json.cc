#include "model/job_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/internal/job_fields.h"
#include "model/internal/json_codec.h"

namespace caravan::model {
namespace {

int indent_for(JsonStyle style) { return style == JsonStyle::kPretty ? 4 : -1; }

}  // namespace

std::string encode_job(const Job& job, JsonStyle style) {
  return internal::dump_json(internal::to_json_value(job), indent_for(style));
}

std::string encode_job_request(const Job& job, JsonStyle style) {
  nlohmann::ordered_json request = nlohmann::ordered_json::object();
  request["Job"] = internal::to_json_value(job);
  return internal::dump_json(request, indent_for(style));
}

Result<Job> decode_job(std::string_view json, std::vector<std::string>* unknown_fields) {
  Result<nlohmann::json> parsed = internal::parse_json(json);
  if (!parsed) return parsed.error();
  const nlohmann::json& top = *parsed;
  if (!top.is_object()) {
    return invalid_argument(fmt::format(
        "a job in JSON must be an object, {{\"Job\": {{...}}}} or {{\"ID\": ...}}, not {}",
        top.type_name()));
  }
  // The register request wraps the job; a bare job has no "Job" key.
  auto wrapped = top.find("Job");
  const nlohmann::json& body = wrapped != top.end() ? *wrapped : top;
  if (!body.is_object()) {
    return invalid_argument(fmt::format("Job: expected an object, got {}", body.type_name()));
  }
  Job job;
  internal::JsonDecoder decoder("Job", unknown_fields);
  try {
    decoder.read(body, job);
  } catch (const nlohmann::json::exception& e) {  // a bug in the type checks above
    return internal_error(fmt::format("decoding a job from JSON: {}", e.what()));
  }
  if (!decoder.ok()) return decoder.status();
  return job;
}

}  // namespace caravan::model
