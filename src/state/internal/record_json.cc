#include "state/internal/record_json.h"

#include <memory>

#include "core/msgpack_writer.h"
#include "model/model_json.h"
#include "state/internal/json_reader.h"

namespace caravan::state::internal {
namespace {

void put_optional_bool(nlohmann::ordered_json& out, const char* key,
                       const std::optional<bool>& value) {
  out[key] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

std::optional<bool> optional_bool(ObjectReader& reader, const char* key) {
  if (reader.get(key) == nullptr) return std::nullopt;
  return reader.boolean(key);
}

}  // namespace

void append_alloc_msgpack(std::string& out, const model::Allocation& alloc) {
  if (alloc.job == nullptr) return model::append_msgpack(out, alloc);
  model::append_msgpack(out, alloc, "Job", 1);
  MsgpackWriter writer(out);
  writer.string("JobVersion");
  writer.integer(alloc.job->version);
}

Result<model::Allocation> alloc_from_json(const nlohmann::json& json, const std::string& path) {
  model::Allocation alloc = CARAVAN_TRY(model::from_json<model::Allocation>(json, path));
  ObjectReader reader(json, path);
  if (reader.get("JobVersion") != nullptr) {
    auto stub = std::make_shared<model::Job>();
    stub->namespace_name = alloc.namespace_name;
    stub->id = alloc.job_id;
    stub->version = reader.integer("JobVersion");
    alloc.job = std::move(stub);
  }
  CARAVAN_RETURN_IF_ERROR(reader.status());
  return alloc;
}

nlohmann::ordered_json desired_transition_to_json(const model::DesiredTransition& transition) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  put_optional_bool(out, "Migrate", transition.migrate);
  put_optional_bool(out, "Reschedule", transition.reschedule);
  put_optional_bool(out, "ForceReschedule", transition.force_reschedule);
  return out;
}

Result<model::DesiredTransition> desired_transition_from_json(const nlohmann::json& json,
                                                              const std::string& path) {
  ObjectReader reader(json, path);
  model::DesiredTransition transition;
  transition.migrate = optional_bool(reader, "Migrate");
  transition.reschedule = optional_bool(reader, "Reschedule");
  transition.force_reschedule = optional_bool(reader, "ForceReschedule");
  CARAVAN_RETURN_IF_ERROR(reader.status());
  return transition;
}

nlohmann::ordered_json node_event_to_json(const model::NodeEvent& event) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["Message"] = event.message;
  out["Subsystem"] = event.subsystem;
  out["Details"] = event.details;
  out["Timestamp"] = event.timestamp;
  out["CreateIndex"] = event.create_index;
  return out;
}

Result<model::NodeEvent> node_event_from_json(const nlohmann::json& json,
                                              const std::string& path) {
  ObjectReader reader(json, path);
  model::NodeEvent event;
  event.message = reader.string("Message");
  event.subsystem = reader.string("Subsystem");
  if (const nlohmann::json* details = reader.get("Details")) {
    if (!details->is_object()) {
      reader.fail_type("Details", "an object", *details);
    } else {
      for (const auto& [key, value] : details->items()) {
        if (!value.is_string()) {
          reader.fail_type("Details", "an object of strings", value);
          break;
        }
        event.details[key] = value.get<std::string>();
      }
    }
  }
  event.timestamp = reader.integer("Timestamp");
  event.create_index = reader.integer("CreateIndex");
  CARAVAN_RETURN_IF_ERROR(reader.status());
  return event;
}

}  // namespace caravan::state::internal
