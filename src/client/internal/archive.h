// Archive handling for artifacts: recognising archive types by file name (as
// go-getter does) and unpacking them with the system's tar and unzip.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::client::internal {

// "tar", "tar.gz", "tar.bz2", "tar.xz" or "zip" for a name ending in a known
// archive extension (.tgz → tar.gz, .tbz2 → tar.bz2, .txz → tar.xz); "" otherwise.
// A query string or fragment in a URL is ignored.
std::string archive_type_for(std::string_view name);

// True for the types archive_type_for returns (used to check `archive` options).
bool is_archive_type(std::string_view type);

// Unpacks `file` into the existing directory `dest`. GNU tar and unzip refuse
// members with absolute paths or "..", so an archive cannot write outside `dest`.
// Errors: FailedPrecondition when the program is missing, InvalidArgument
// (with the program's output) when unpacking fails.
Status unpack_archive(const std::string& file, std::string_view type, const std::string& dest,
                      const std::string& tar_path, const std::string& unzip_path);

}  // namespace caravan::client::internal
