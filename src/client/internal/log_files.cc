#include "client/internal/log_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace caravan::client::internal {

Result<std::vector<LogFile>> list_log_files(const std::string& dir, const std::string& base_name) {
  namespace fs = std::filesystem;
  std::vector<LogFile> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return out;
    return internal_error("cannot list log directory " + dir + ": " + ec.message());
  }
  std::string prefix = base_name + ".";
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    std::string name = it->path().filename().string();
    if (!name.starts_with(prefix) || name.size() == prefix.size() ||
        name.size() > prefix.size() + 9) {
      continue;
    }
    std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      continue;
    }
    std::error_code size_ec;
    auto size = fs::file_size(it->path(), size_ec);
    if (size_ec) continue;  // rotated away meanwhile
    out.push_back({std::stoi(digits), it->path().string(), static_cast<int64_t>(size)});
  }
  std::sort(out.begin(), out.end(),
            [](const LogFile& a, const LogFile& b) { return a.index < b.index; });
  return out;
}

}  // namespace caravan::client::internal
