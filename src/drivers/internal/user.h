// Resolves a task's `user` to ids in the agent (getpwnam_r is not safe after fork),
// so the forked task only calls setgroups/setgid/setuid.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "core/status.h"

namespace caravan::drivers::internal {

struct ResolvedUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups, the primary one included
};

// Errors: FailedPrecondition naming the user that does not exist on this host.
Result<ResolvedUser> resolve_user(const std::string& name);

}  // namespace caravan::drivers::internal
