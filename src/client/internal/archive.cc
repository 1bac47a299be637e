#include "client/internal/archive.h"

#include <unistd.h>

#include <utility>

#include "client/internal/run_command.h"
#include "core/strings.h"

namespace caravan::client::internal {

namespace {

constexpr std::pair<std::string_view, std::string_view> kSuffixes[] = {
    {".tar.gz", "tar.gz"}, {".tgz", "tar.gz"}, {".tar.bz2", "tar.bz2"}, {".tbz2", "tar.bz2"},
    {".tar.xz", "tar.xz"}, {".txz", "tar.xz"}, {".tar", "tar"},         {".zip", "zip"}};

}  // namespace

std::string archive_type_for(std::string_view name) {
  name = name.substr(0, name.find_first_of("?#"));
  for (const auto& [suffix, type] : kSuffixes) {
    if (name.ends_with(suffix)) return std::string(type);
  }
  return "";
}

bool is_archive_type(std::string_view type) {
  for (const auto& entry : kSuffixes) {
    if (entry.second == type) return true;
  }
  return false;
}

Status unpack_archive(const std::string& file, std::string_view type, const std::string& dest,
                      const std::string& tar_path, const std::string& unzip_path) {
  bool zip = type == "zip";
  const std::string& tool = zip ? unzip_path : tar_path;
  if (tool.empty() || ::access(tool.c_str(), X_OK) != 0) {
    return failed_precondition("unpacking a ." + std::string(type) + " archive needs " +
                               (zip ? "unzip" : "tar") + " at " + (tool.empty() ? "?" : tool) +
                               "; install it (apt-get install " + (zip ? "unzip" : "tar") +
                               ") or set archive = \"false\"");
  }
  std::vector<std::string> argv;
  if (zip) {
    argv = {tool, "-q", "-o", file, "-d", dest};
  } else {
    // GNU tar detects the compression itself when reading a file.
    argv = {tool, "-x", "-f", file, "-C", dest, "--no-same-owner"};
  }
  CommandResult result = CARAVAN_TRY(run_command(argv));
  if (result.exit_code != 0) {
    return invalid_argument("cannot unpack " + std::string(type) +
                            " archive: " + (zip ? "unzip" : "tar") + " exited with " +
                            std::to_string(result.exit_code) + ": " +
                            std::string(trim(result.output)));
  }
  return Status::ok();
}

}  // namespace caravan::client::internal
