// Nomad's defaults for a job, applied once to a job read from HCL or from JSON
// (what Nomad's API canonicalisation does before a job is registered): job
// type, priority, region, datacenters, group count, restart/reschedule/update/
// migrate policies per job type, ephemeral disk, task resources, logs, service
// and template defaults. Idempotent: applying it twice changes nothing.
#pragma once

#include "model/job.h"

namespace caravan::jobspec {

void apply_defaults(model::Job& job);

}  // namespace caravan::jobspec
