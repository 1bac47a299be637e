#include "drivers/internal/chroot.h"

#include <sys/stat.h>
#include <unistd.h>

namespace caravan::drivers::internal {
namespace {

using Kind = MountOp::Kind;

constexpr const char* kSystemDirs[] = {"/bin",   "/sbin",   "/lib", "/lib32",
                                       "/lib64", "/libx32", "/usr", "/etc"};
constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom", "tty"};

}  // namespace

std::vector<MountSpec> chroot_mounts(const std::string& new_root, const std::string& task_dir,
                                     const std::string& alloc_dir) {
  std::vector<MountSpec> ops;
  auto dir = [&](const std::string& path) {
    ops.push_back({Kind::kMkdir, "", new_root + path, ""});
  };
  auto bind = [&](Kind kind, const std::string& source, const std::string& path) {
    ops.push_back({kind, source, new_root + path, ""});
  };
  for (const char* path : kSystemDirs) {
    struct stat st;
    if (::lstat(path, &st) != 0) {
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      char link[4096];
      ssize_t n = ::readlink(path, link, sizeof link - 1);
      if (n > 0) {
        ops.push_back(
            {Kind::kSymlink, std::string(link, static_cast<size_t>(n)), new_root + path, ""});
      }
    } else if (S_ISDIR(st.st_mode)) {
      dir(path);
      bind(Kind::kBindReadOnly, path, path);
    }
  }
  dir("/dev");
  ops.push_back({Kind::kTmpfs, "", new_root + "/dev", "mode=755,size=64k"});
  for (const char* device : kDevices) {
    std::string path = std::string("/dev/") + device;
    if (::access(path.c_str(), F_OK) == 0) {
      ops.push_back({Kind::kTouch, "", new_root + path, ""});
      bind(Kind::kBind, path, path);
    }
  }
  ops.push_back({Kind::kSymlink, "/proc/self/fd", new_root + "/dev/fd", ""});
  ops.push_back({Kind::kSymlink, "/proc/self/fd/0", new_root + "/dev/stdin", ""});
  ops.push_back({Kind::kSymlink, "/proc/self/fd/1", new_root + "/dev/stdout", ""});
  ops.push_back({Kind::kSymlink, "/proc/self/fd/2", new_root + "/dev/stderr", ""});
  dir("/dev/shm");
  ops.push_back({Kind::kTmpfs, "", new_root + "/dev/shm", "mode=1777"});
  dir("/proc");
  ops.push_back({Kind::kProc, "", new_root + "/proc", ""});
  for (const char* sub : {"local", "secrets", "tmp"}) {
    std::string path = std::string("/") + sub;
    dir(path);
    bind(Kind::kBind, task_dir + path, path);
  }
  dir("/alloc");
  bind(Kind::kBind, alloc_dir, "/alloc");
  return ops;
}

}  // namespace caravan::drivers::internal
