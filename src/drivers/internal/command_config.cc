#include "drivers/internal/command_config.h"

#include "drivers/internal/config_reader.h"

namespace caravan::drivers::internal {
namespace {

constexpr ConfigField kFields[] = {
    {"command", ConfigField::Kind::kString},
    {"args", ConfigField::Kind::kStringList},
};

}  // namespace

Result<std::vector<std::string>> command_argv(std::string_view driver,
                                              const model::RawJson& config) {
  CARAVAN_RETURN_IF_ERROR(check_config_fields(driver, config, kFields));
  std::string command = config_string(config, "command");
  if (command.empty()) {
    return config_error(driver,
                        "field \"command\" is required: the program to run, e.g. "
                        "command = \"/bin/sh\"");
  }
  std::vector<std::string> argv = {command};
  for (auto& arg : config_strings(config, "args")) {
    argv.push_back(std::move(arg));
  }
  return argv;
}

}  // namespace caravan::drivers::internal
