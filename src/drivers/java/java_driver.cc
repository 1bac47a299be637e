#include "drivers/java/java_driver.h"

#include <unistd.h>

#include <chrono>
#include <sstream>

#include "drivers/internal/config_reader.h"
#include "drivers/internal/exec_search.h"
#include "drivers/internal/run_command.h"

namespace caravan::drivers {
namespace {

using internal::ConfigField;

constexpr ConfigField kFields[] = {
    {"jar_path", ConfigField::Kind::kString},   {"class", ConfigField::Kind::kString},
    {"class_path", ConfigField::Kind::kString}, {"jvm_options", ConfigField::Kind::kStringList},
    {"args", ConfigField::Kind::kStringList},
};

}  // namespace

std::map<std::string, std::string> parse_java_version(const std::string& output) {
  // openjdk version "17.0.15" 2025-04-15
  // OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)
  // OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)
  std::map<std::string, std::string> attributes;
  std::istringstream lines(output);
  std::string line;
  std::vector<std::string> kept;
  while (std::getline(lines, line)) {
    if (!line.starts_with("Picked up")) {  // JAVA_TOOL_OPTIONS notices
      kept.push_back(line);
    }
  }
  if (kept.empty()) {
    return attributes;
  }
  auto open = kept[0].find('"');
  auto close = open == std::string::npos ? open : kept[0].find('"', open + 1);
  if (close == std::string::npos) {
    return attributes;
  }
  attributes["driver.java"] = "1";
  attributes["driver.java.version"] = kept[0].substr(open + 1, close - open - 1);
  if (kept.size() > 1) {
    attributes["driver.java.runtime"] = kept[1];
  }
  if (kept.size() > 2) {
    attributes["driver.java.vm"] = kept[2];
  }
  return attributes;
}

Fingerprint JavaDriver::fingerprint() const {
  Fingerprint f;
  std::string java;
  for (const auto& candidate : internal::exec_candidates("java", options().default_path)) {
    if (::access(candidate.c_str(), X_OK) == 0) {
      java = candidate;
      break;
    }
  }
  if (java.empty()) {
    f.health_description = "no java binary in " + options().default_path +
                           ": install a JRE (apt-get install default-jre-headless)";
    return f;
  }
  auto version = internal::run_command({java, "-version"}, std::chrono::seconds(30));
  if (!version.has_value() || version->exit_code != 0) {
    f.health_description = java + " -version failed: " +
                           (version.has_value() ? version->output : version.error().message());
    return f;
  }
  f.attributes = parse_java_version(version->output);
  if (f.attributes.empty()) {
    f.health_description =
        "cannot read the version from `" + java + " -version`: " + version->output;
    return f;
  }
  auto isolation = check_isolation();
  if (!isolation.has_value()) {
    f.attributes.clear();
    f.health_description = isolation.error().message();
    return f;
  }
  f.detected = true;
  f.healthy = true;
  f.health_description = "Healthy (" + *isolation + ")";
  return f;
}

Status JavaDriver::validate_config(const model::RawJson& config) const {
  return task_argv(config).status();
}

Result<std::vector<std::string>> JavaDriver::task_argv(const model::RawJson& config) const {
  CARAVAN_RETURN_IF_ERROR(internal::check_config_fields(name(), config, kFields));
  std::string jar = internal::config_string(config, "jar_path");
  std::string main_class = internal::config_string(config, "class");
  std::string class_path = internal::config_string(config, "class_path");
  if (jar.empty() == main_class.empty()) {
    return internal::config_error(
        name(), jar.empty() ? "set either \"jar_path\" (a jar with a Main-Class) or \"class\""
                            : "set only one of \"jar_path\" and \"class\", not both");
  }
  if (!jar.empty() && !class_path.empty()) {
    return internal::config_error(name(),
                                  "\"class_path\" applies to \"class\" only; with "
                                  "\"jar_path\" put the class path in the jar's manifest");
  }
  std::vector<std::string> argv = {"java"};
  for (auto& option : internal::config_strings(config, "jvm_options")) {
    argv.push_back(std::move(option));
  }
  if (!jar.empty()) {
    argv.insert(argv.end(), {"-jar", jar});
  } else {
    if (!class_path.empty()) {
      argv.insert(argv.end(), {"-cp", class_path});
    }
    argv.push_back(main_class);
  }
  for (auto& arg : internal::config_strings(config, "args")) {
    argv.push_back(std::move(arg));
  }
  return argv;
}

}  // namespace caravan::drivers
