#include "drivers/internal/user.h"

#include <grp.h>
#include <pwd.h>

#include <cerrno>
#include <cstring>

namespace caravan::drivers::internal {

Result<ResolvedUser> resolve_user(const std::string& name) {
  passwd entry;
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  "user \"" + name + "\" does not exist on this node" +
                      (rc != 0 ? std::string(": ") + std::strerror(rc) : std::string()) +
                      ": create it or set the task's `user` to an existing one");
  }
  ResolvedUser user{name, entry.pw_uid, entry.pw_gid, {}};
  int count = 64;
  user.groups.resize(static_cast<size_t>(count));
  while (::getgrouplist(name.c_str(), entry.pw_gid, user.groups.data(), &count) < 0) {
    user.groups.resize(static_cast<size_t>(count) + 16);
    count = static_cast<int>(user.groups.size());
  }
  user.groups.resize(static_cast<size_t>(count));
  return user;
}

}  // namespace caravan::drivers::internal
