// TempFile: a file in $TMPDIR (default /tmp) holding given contents, removed
// when the object goes away. For handing text to APIs that read files.
// TempDir: a fresh directory there, removed with everything in it when the
// object goes away (dev-mode data dirs, tests, benchmarks).
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

// Creates "<tmpdir>/<prefix>-XXXXXX" (mode 0700) and returns its path; the
// caller owns it.
Result<std::string> make_temp_dir(std::string_view prefix);

class TempDir {
 public:
  static Result<TempDir> create(std::string_view prefix);
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace caravan
