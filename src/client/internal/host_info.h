// Parsers for the host files the fingerprinters read (/proc/cpuinfo,
// /proc/meminfo, /etc/os-release, /proc/self/mountinfo). Pure functions of the
// text so they can be tested with the contents of other machines.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace caravan::client::internal {

struct CpuInfo {
  int processors = 0;  // "processor" entries (logical cores)
  std::string model_name;
  double mhz = 0;  // the highest "cpu MHz"; 0 when absent (e.g. many ARM kernels)
};
CpuInfo parse_cpuinfo(std::string_view text);

// MemTotal in bytes; 0 when absent.
int64_t parse_meminfo_total(std::string_view text);

// KEY=value pairs with quotes removed ("ID", "VERSION_ID", ...).
std::map<std::string, std::string> parse_os_release(std::string_view text);

// The mount source (device, e.g. "/dev/vda1" or "overlay") of the mount point
// holding `path` (an absolute, symlink-free path): the longest mount point that
// prefixes it. "" when none matches.
std::string mount_source_for(std::string_view mountinfo, std::string_view path);

// Go's GOARCH name for a `uname -m` machine: x86_64 → amd64, aarch64 → arm64, ...
std::string go_arch(std::string_view machine);

}  // namespace caravan::client::internal
