#include "core/temp_file.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace caravan {
namespace {

std::string temp_pattern(std::string_view prefix) {
  const char* dir = std::getenv("TMPDIR");
  return fmt::format("{}/{}-XXXXXX", dir != nullptr && *dir ? dir : "/tmp", prefix);
}

}  // namespace

Result<TempFile> TempFile::create(std::string_view prefix, std::string_view contents) {
  std::string pattern = temp_pattern(prefix);
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    return internal_error(fmt::format("cannot create a temporary file {}: {}", pattern, std::strerror(errno)));
  }
  TempFile file(std::string(name.data()));
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      return internal_error(fmt::format("cannot write {}: {}", file.path(), std::strerror(err)));
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  return file;
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempFile::~TempFile() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

Result<std::string> make_temp_dir(std::string_view prefix) {
  std::string pattern = temp_pattern(prefix);
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    return internal_error(
        fmt::format("cannot create a temporary directory {}: {}", pattern, std::strerror(errno)));
  }
  return std::string(name.data());
}

Result<TempDir> TempDir::create(std::string_view prefix) {
  Result<std::string> path = make_temp_dir(prefix);
  if (!path) return path.error();
  return TempDir(std::move(path).value());
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace caravan
