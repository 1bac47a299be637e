// The filesystem an isolated (exec, java) task sees, as Nomad's exec driver
// presents it: the host's system dirs read-only, a minimal /dev, a fresh /proc,
// and the task's local/secrets/tmp plus the shared alloc dir at /local, /secrets,
// /tmp, /alloc. Built as mount steps the forked init runs (internal/child.h).
#pragma once

#include <string>
#include <vector>

#include "drivers/internal/launcher.h"

namespace caravan::drivers::internal {

// Steps that populate `new_root` (a tmpfs by then). Host dirs that are symlinks
// (/bin → usr/bin on merged-/usr systems) become the same symlinks.
std::vector<MountSpec> chroot_mounts(const std::string& new_root, const std::string& task_dir,
                                     const std::string& alloc_dir);

}  // namespace caravan::drivers::internal
