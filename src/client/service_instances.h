// What the catalog should hold for one allocation: an instance per `service`
// block (group and task level) with its address and port resolved from the
// allocation's ports (check_target.h, as a check without a port of its own),
// tags (canary_tags for a canary), meta and registration id, and its checks
// with their ids and the task each runs in. The ClientAgent prepares each
// check (service_checks.h) and the ServiceRegistrar runs them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/service_checks.h"
#include "model/allocation.h"
#include "model/job.h"
#include "model/node.h"
#include "model/service_registration.h"

namespace caravan::client {

// One check of an instance.
struct PlannedCheck {
  model::ServiceCheck check;  // as the job wrote it
  std::string id;             // the ServiceCheckStatus id: "<instance id>-<check name>"
  std::string name;           // the check's name, or Nomad's default `service: "<svc>" check`
  std::string task;           // the task whose environment it is interpolated and run in
  PreparedCheck prepared;     // filled by the caller before the registrar runs it
};

// One instance and its checks. `registration.checks` holds each check's
// initial status (check.initial_status, critical by default, as Nomad).
struct PlannedInstance {
  model::ServiceRegistration registration;
  model::Service service;  // the block it comes from
  std::string task;        // the task of a task-level service; empty at group level
  std::vector<PlannedCheck> checks;
};

// Replaces ${...} runtime references (${NOMAD_JOB_NAME}, ${NOMAD_ALLOC_INDEX},
// ...) in a service's name, tags and meta as the task `task` sees them (the
// first task of the group for group-level services).
using Interpolate = std::function<std::string(std::string_view task, std::string_view text)>;

// The instances `alloc` offers on `node`. Errors (a service naming a port label
// the allocation has no port for) are InvalidArgument naming the service.
Result<std::vector<PlannedInstance>> plan_service_instances(const model::Allocation& alloc,
                                                            const model::Node& node,
                                                            const Interpolate& interpolate);

}  // namespace caravan::client
