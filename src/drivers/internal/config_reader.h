// Checks a driver's free-form `config` block (model::RawJson) against the fields
// the driver knows, with messages that name the field and suggest a spelling, as
// Nomad's HCL spec does: `unknown field "comand" in the exec driver's config; did you mean
// "command"?`
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/raw_json.h"

namespace caravan::drivers::internal {

struct ConfigField {
  enum class Kind { kString, kStringList };
  std::string_view name;
  Kind kind = Kind::kString;
};

// InvalidArgument when `config` is not an object, has an unknown key, or a value
// of the wrong type.
Status check_config_fields(std::string_view driver, const model::RawJson& config,
                           std::span<const ConfigField> fields);

// config[key] as a string ("" when absent) / a list of strings (empty when absent).
// Call after check_config_fields.
std::string config_string(const model::RawJson& config, std::string_view key);
std::vector<std::string> config_strings(const model::RawJson& config, std::string_view key);

// "the <driver> driver's config: <message>" as InvalidArgument.
Status config_error(std::string_view driver, const std::string& message);

}  // namespace caravan::drivers::internal
