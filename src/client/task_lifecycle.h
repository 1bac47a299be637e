// The order in which an allocation's tasks run (Nomad's task coordinator):
// prestart tasks first (non-sidecar ones must complete successfully, sidecars
// must be running) → main tasks → poststart tasks once every main task has
// started; sidecars are stopped when the main tasks are done; poststop tasks run
// once everything else is dead. A failed task or a dead leader stops the rest.
// A pure function of the tasks' states; AllocRunner applies its answer.
#pragma once

#include <string>
#include <vector>

#include "model/allocation.h"
#include "model/job.h"

namespace caravan::client {

struct LifecycleTask {
  const model::Task* task = nullptr;
  bool started = false;  // the runner was started (or finished under a previous agent)
  model::TaskState state;
};

struct LifecycleKill {
  std::string task;
  std::string event_type;  // "Killing", "Sibling Task Failed", ...
  std::string reason;
};

struct LifecycleActions {
  std::vector<std::string> start;
  std::vector<LifecycleKill> kill;
};

enum class AllocMode {
  kRun,      // run the tasks in lifecycle order
  kStop,     // the server stopped the alloc: kill the tasks, then run poststop
  kDestroy,  // kill everything, poststop included; start nothing
};

// What to do now. Tasks already dead or already asked to die (`killing`) are
// not killed again; the caller keeps track of kills it already sent.
LifecycleActions plan_lifecycle(const std::vector<LifecycleTask>& tasks, AllocMode mode);

}  // namespace caravan::client
