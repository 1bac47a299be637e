#include "client/service_checks.h"

#include "client/check_restart.h"

namespace caravan::client {

model::ServiceCheck interpolate_check(const model::ServiceCheck& check, const TaskEnv& env) {
  model::ServiceCheck out = check;
  out.name = env.interpolate(check.name);
  out.command = env.interpolate(check.command);
  for (std::string& arg : out.args) arg = env.interpolate(arg);
  out.path = env.interpolate(check.path);
  out.protocol = env.interpolate(check.protocol);
  out.port_label = env.interpolate(check.port_label);
  out.method = env.interpolate(check.method);
  for (auto& [name, values] : out.header) {
    for (std::string& v : values) v = env.interpolate(v);
  }
  out.body = env.interpolate(check.body);
  out.tls_server_name = env.interpolate(check.tls_server_name);
  out.grpc_service = env.interpolate(check.grpc_service);
  return out;
}

Result<PreparedCheck> prepare_check(const model::Service& service, const model::ServiceCheck& check,
                                    const model::AllocatedSharedResources& shared,
                                    const CheckAddressContext& addresses,
                                    const ScriptEnvironment& script) {
  PreparedCheck prepared;
  prepared.target = CARAVAN_TRY(resolve_check_target(service, check, shared, addresses));
  prepared.checker = CARAVAN_TRY(make_health_checker(check, prepared.target, script));
  prepared.options = CARAVAN_TRY(check_runner_options(check));
  prepared.restart = effective_check_restart(service, check);
  return prepared;
}

}  // namespace caravan::client
