#include "client/internal/host_info.h"

#include <algorithm>
#include <cstdlib>

#include "core/strings.h"

namespace caravan::client::internal {

namespace {

// Calls f(key, value) for each "key <sep> value" line, both trimmed.
template <class F>
void for_each_pair(std::string_view text, char sep, F f) {
  for (const std::string& line : split(text, '\n')) {
    size_t pos = line.find(sep);
    if (pos == std::string::npos) continue;
    f(trim(std::string_view(line).substr(0, pos)), trim(std::string_view(line).substr(pos + 1)));
  }
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_octal(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      std::string digits(s.substr(i + 1, 3));
      if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        out += static_cast<char>(std::strtol(digits.c_str(), nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

CpuInfo parse_cpuinfo(std::string_view text) {
  CpuInfo info;
  for_each_pair(text, ':', [&](std::string_view key, std::string_view value) {
    if (key == "processor") {
      ++info.processors;
    } else if (key == "model name" && info.model_name.empty()) {
      info.model_name = value;
    } else if (key == "cpu MHz") {
      info.mhz = std::max(info.mhz, std::strtod(std::string(value).c_str(), nullptr));
    }
  });
  return info;
}

int64_t parse_meminfo_total(std::string_view text) {
  int64_t total = 0;
  for_each_pair(text, ':', [&](std::string_view key, std::string_view value) {
    if (key != "MemTotal") return;
    int64_t amount = std::strtoll(std::string(value).c_str(), nullptr, 10);
    total = value.ends_with("kB") ? amount * 1024 : amount;
  });
  return total;
}

std::map<std::string, std::string> parse_os_release(std::string_view text) {
  std::map<std::string, std::string> out;
  for_each_pair(text, '=', [&](std::string_view key, std::string_view value) {
    if (key.empty() || key.front() == '#') return;
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    out[std::string(key)] = value;
  });
  return out;
}

std::string mount_source_for(std::string_view mountinfo, std::string_view path) {
  // Fields: id parent major:minor root mount-point options [optional...] - fstype source super
  std::string best_source;
  size_t best_length = 0;
  for (const std::string& line : split(mountinfo, '\n')) {
    std::vector<std::string> fields = split(line, ' ');
    auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 3) continue;
    std::string mount_point = unescape_octal(fields[4]);
    bool contains = mount_point == "/" || path == mount_point ||
                    (path.starts_with(mount_point) && path.size() > mount_point.size() &&
                     path[mount_point.size()] == '/');
    if (contains && mount_point.size() >= best_length) {  // later mounts shadow earlier ones
      best_length = mount_point.size();
      best_source = unescape_octal(*(dash + 2));
    }
  }
  return best_source;
}

std::string go_arch(std::string_view machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine == "i386" || machine == "i686") return "386";
  if (machine.starts_with("armv")) return "arm";
  return std::string(machine);
}

}  // namespace caravan::client::internal
