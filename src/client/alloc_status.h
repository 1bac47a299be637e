// An allocation's client status derived from its task states, as Nomad's alloc
// runner derives it: any failed task → failed; else any running → running; else
// any pending → pending; else (all dead) → complete. Pure; used by AllocRunner.
#pragma once

#include <map>
#include <string>

#include "model/allocation.h"

namespace caravan::client {

struct AllocClientStatus {
  std::string status;       // model::kAllocClient*
  std::string description;  // "Tasks are running", ...

  bool operator==(const AllocClientStatus&) const = default;
};

AllocClientStatus derive_client_status(const std::map<std::string, model::TaskState>& tasks);

}  // namespace caravan::client
