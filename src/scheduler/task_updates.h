// Destructive versus in-place updates: whether moving a running allocation to a
// new job version means replacing it (new tasks, driver, config, env, meta,
// artifacts, templates, resources, network, volumes, ephemeral disk, ...) or
// only updating it in place (count, update/restart/reschedule policies,
// services and checks, constraints, kill timeout, ...). Follows Nomad's rules.
#pragma once

#include "model/job.h"

namespace caravan::scheduler {

// True when an allocation of `old_group` (in `old_job`) must be replaced to run
// `new_group` (in `new_job`).
bool tasks_updated(const model::Job& old_job, const model::TaskGroup& old_group,
                   const model::Job& new_job, const model::TaskGroup& new_group);

// The task group named `name` in `job`, or nullptr.
const model::TaskGroup* find_group(const model::Job& job, const std::string& name);

}  // namespace caravan::scheduler
