#include "drivers/internal/exec_search.h"

#include "core/strings.h"

namespace caravan::drivers::internal {

std::vector<std::string> exec_candidates(const std::string& command, const std::string& path) {
  if (command.find('/') != std::string::npos) {
    return {command};
  }
  std::vector<std::string> out;
  for (const auto& dir : split(path, ':')) {
    out.push_back((dir.empty() ? std::string(".") : dir) + "/" + command);
  }
  return out;
}

}  // namespace caravan::drivers::internal
