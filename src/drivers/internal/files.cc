#include "drivers/internal/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace caravan::drivers::internal {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return out.str();
}

Status write_existing_file(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return internal_error(errno_message("cannot open " + path));
  }
  ssize_t n = ::write(fd, content.data(), content.size());
  int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(content.size())) {
    errno = saved;
    return internal_error(errno_message("cannot write \"" + content + "\" to " + path));
  }
  return Status::ok();
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

Status make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return internal_error("cannot create directory " + path + ": " + ec.message());
  }
  return Status::ok();
}

std::string errno_message(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace caravan::drivers::internal
