// Where an http or tcp check connects: the address and port of a service
// instance, picked from the allocation's ports as Nomad does (the check's
// `port` overrides the service's; address_mode host by default).
#pragma once

#include <string>

#include "client/health_check.h"
#include "model/allocation.h"
#include "model/job.h"

namespace caravan::client {

// Addresses known besides the allocation's host ports.
struct CheckAddressContext {
  // The allocation's IP inside its own network namespace (bridge/CNI); needed by
  // address_mode "alloc".
  std::string alloc_network_ip;
  // The IP the task driver reports for the task (e.g. a container's); needed by
  // address_mode "driver".
  std::string driver_ip;
};

// The target of `check` (of `service`) given the allocation's shared resources.
// Script checks need none and get {"", 0}. Modes: "host" (default, also "auto"
// and ""): the port label's host IP and host port; "alloc": alloc_network_ip and
// the port's `to` (or its value); "driver": driver_ip and `to`, or a numeric
// port as written. Errors: InvalidArgument naming the check and what to fix
// (no port label, a label the allocation does not have, no IP for the mode).
Result<CheckTarget> resolve_check_target(const model::Service& service,
                                         const model::ServiceCheck& check,
                                         const model::AllocatedSharedResources& shared,
                                         const CheckAddressContext& context = {});

}  // namespace caravan::client
