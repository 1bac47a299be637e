// From a job's `service { check { ... } }` to a ready-to-run check: runtime
// interpolation of the check's fields, its target address, its checker, its
// runner options and the check_restart policy that applies. The alloc runner
// calls this once per check of each service instance it registers.
#pragma once

#include <optional>
#include <string>

#include "client/check_runner.h"
#include "client/check_target.h"
#include "client/health_check.h"
#include "client/task_env.h"
#include "model/allocation.h"
#include "model/job.h"

namespace caravan::client {

// `check` with ${...} references resolved against the task's environment in the
// fields Nomad interpolates: name, command, args, path, protocol, port, method,
// header values, body, tls_server_name, grpc_service.
model::ServiceCheck interpolate_check(const model::ServiceCheck& check, const TaskEnv& env);

// Everything needed to start one check.
struct PreparedCheck {
  HealthCheckerPtr checker;
  CheckRunnerOptions options;
  CheckTarget target;                          // empty for script checks
  std::optional<model::CheckRestart> restart;  // the check's, else the service's; nullopt = none
};

// Builds the check (already interpolated, if wanted). Errors: InvalidArgument
// naming the check and what to fix (see resolve_check_target,
// make_health_checker, check_runner_options).
Result<PreparedCheck> prepare_check(const model::Service& service, const model::ServiceCheck& check,
                                    const model::AllocatedSharedResources& shared,
                                    const CheckAddressContext& addresses,
                                    const ScriptEnvironment& script);

}  // namespace caravan::client
