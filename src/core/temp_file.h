// TempFile: a file in $TMPDIR (default /tmp) holding given contents, removed
// when the object goes away. For handing text to APIs that read files.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan {

class TempFile {
 public:
  // Creates "<tmpdir>/<prefix>-XXXXXX" with `contents` (mode 0600).
  static Result<TempFile> create(std::string_view prefix, std::string_view contents);
  TempFile(TempFile&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace caravan
