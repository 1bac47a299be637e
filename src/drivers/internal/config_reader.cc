#include "drivers/internal/config_reader.h"

#include "core/strings.h"

namespace caravan::drivers::internal {

Status config_error(std::string_view driver, const std::string& message) {
  return invalid_argument("the " + std::string(driver) + " driver's config: " + message);
}

Status check_config_fields(std::string_view driver, const model::RawJson& config,
                           std::span<const ConfigField> fields) {
  if (!config.has_value()) {
    return config_error(driver, "the task has no `config` block");
  }
  auto members = config.as_object();
  if (!members) {
    return config_error(driver, "`config` must be a block (a JSON object), got " + config.text());
  }
  std::vector<std::string> names;
  for (const auto& f : fields) {
    names.emplace_back(f.name);
  }
  for (const auto& [key, value] : *members) {
    const ConfigField* field = nullptr;
    for (const auto& f : fields) {
      if (f.name == key) {
        field = &f;
      }
    }
    if (field == nullptr) {
      std::string suggestion = suggest_name(key, names);
      return config_error(driver,
                          "unknown field \"" + key + "\"" +
                              (suggestion.empty() ? "; known fields: " + join(names, ", ")
                                                  : "; did you mean \"" + suggestion + "\"?"));
    }
    if (!value.has_value()) {
      continue;  // null: as if absent
    }
    if (field->kind == ConfigField::Kind::kString && !value.as_string()) {
      return config_error(driver, "field \"" + key + "\" must be a string, got " + value.text());
    }
    if (field->kind == ConfigField::Kind::kStringList && !value.as_string_list()) {
      return config_error(driver,
                          "field \"" + key + "\" must be a list of strings, got " + value.text());
    }
  }
  return Status::ok();
}

std::string config_string(const model::RawJson& config, std::string_view key) {
  return config.get(key).as_string().value_or("");
}

std::vector<std::string> config_strings(const model::RawJson& config, std::string_view key) {
  return config.get(key).as_string_list().value_or(std::vector<std::string>{});
}

}  // namespace caravan::drivers::internal
