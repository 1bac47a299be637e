// Agent-level settings of the built-in drivers (from the client's configuration),
// passed to make_driver().
#pragma once

#include <string>

namespace caravan::drivers {

struct DriverOptions {
  // Tasks' cgroups are <hierarchy>/<cgroup_parent>/<alloc_id>.<task> (Nomad: "nomad").
  std::string cgroup_parent = "caravan";
  // Where raw_exec and the java fingerprint look for binaries when a task's env has no PATH.
  std::string default_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
};

}  // namespace caravan::drivers
