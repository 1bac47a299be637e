#include "state/internal/json_reader.h"

#include <fmt/format.h>

namespace caravan::state::internal {

ObjectReader::ObjectReader(const nlohmann::json& json, std::string path)
    : json_(json), path_(std::move(path)) {
  if (!json_.is_object()) {
    status_ = invalid_argument(
        fmt::format("{}: expected an object, got {}", path_, json_.type_name()));
  }
}

const nlohmann::json* ObjectReader::get(const char* key) const {
  if (!ok()) return nullptr;
  auto it = json_.find(key);
  if (it == json_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string ObjectReader::string(const char* key) {
  const nlohmann::json* field = get(key);
  if (field == nullptr) return {};
  if (!field->is_string()) {
    fail_type(key, "a string", *field);
    return {};
  }
  return field->get<std::string>();
}

bool ObjectReader::boolean(const char* key) {
  const nlohmann::json* field = get(key);
  if (field == nullptr) return false;
  if (!field->is_boolean()) {
    fail_type(key, "a boolean", *field);
    return false;
  }
  return field->get<bool>();
}

int64_t ObjectReader::integer(const char* key) {
  const nlohmann::json* field = get(key);
  if (field == nullptr) return 0;
  if (!field->is_number_integer()) {
    fail_type(key, "an integer", *field);
    return 0;
  }
  return field->get<int64_t>();
}

std::vector<std::string> ObjectReader::strings(const char* key) {
  return list<std::string>(key, [](const nlohmann::json& json, const std::string& path)
                                    -> Result<std::string> {
    if (!json.is_string()) {
      return invalid_argument(
          fmt::format("{}: expected a string, got {}", path, json.type_name()));
    }
    return json.get<std::string>();
  });
}

void ObjectReader::fail(Status status) {
  if (ok()) status_ = std::move(status);
}

void ObjectReader::fail_type(const char* key, const char* expected, const nlohmann::json& got) {
  fail(invalid_argument(
      fmt::format("{}.{}: expected {}, got {}", path_, key, expected, got.type_name())));
}

}  // namespace caravan::state::internal
