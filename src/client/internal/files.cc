#include "client/internal/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>


namespace caravan::client::internal {

Status errno_status(std::string_view what, const std::string& path) {
  return internal_error(std::string(what) + " " + path + ": " + std::strerror(errno));
}

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return not_found("file " + path + " does not exist");
    return errno_status("cannot open", path);
  }
  std::string out;
  char buf[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = errno_status("cannot read", path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status make_dir(const std::string& path, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return internal_error("cannot create directory " + path + ": " + ec.message());
  if (::chmod(path.c_str(), mode) != 0) return errno_status("cannot chmod", path);
  return Status::ok();
}

}  // namespace caravan::client::internal
