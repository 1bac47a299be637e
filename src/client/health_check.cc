// Check statuses and the choice of a checker from a job's `check` block.
#include "client/health_check.h"

#include <poll.h>

namespace caravan::client {

bool ProbeContext::cancelled() const {
  if (cancel_fd < 0) return false;
  pollfd p{cancel_fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

const char* check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPassing:
      return "passing";
    case CheckStatus::kWarning:
      return "warning";
    case CheckStatus::kCritical:
      return "critical";
  }
  return "critical";
}

Result<CheckStatus> parse_check_status(std::string_view text) {
  if (text == "passing") return CheckStatus::kPassing;
  if (text == "warning") return CheckStatus::kWarning;
  if (text == "critical") return CheckStatus::kCritical;
  return invalid_argument("unknown check status \"" + std::string(text) +
                          "\"; use passing, warning or critical");
}

Result<HealthCheckerPtr> make_health_checker(const model::ServiceCheck& check,
                                             const CheckTarget& target,
                                             const ScriptEnvironment& script) {
  auto named = [&](const Status& status) {
    return invalid_argument("check \"" + check.name + "\": " + status.message());
  };
  Result<HealthCheckerPtr> made = invalid_argument("unset");
  if (check.type == "http") {
    HttpCheckSpec spec;
    spec.protocol = check.protocol.empty() ? "http" : check.protocol;
    spec.address = target.address;
    spec.port = target.port;
    spec.path = check.path.empty() ? "/" : check.path;
    spec.method = check.method.empty() ? "GET" : check.method;
    spec.headers = check.header;
    spec.body = check.body;
    spec.tls_skip_verify = check.tls_skip_verify;
    spec.tls_server_name = check.tls_server_name;
    made = make_http_checker(std::move(spec));
  } else if (check.type == "tcp") {
    made = make_tcp_checker(target.address, target.port);
  } else if (check.type == "script") {
    ScriptCheckSpec spec;
    spec.command = check.command;
    spec.args = check.args;
    spec.env = script.env;
    spec.work_dir = script.work_dir;
    made = make_script_checker(std::move(spec));
  } else if (check.type == "grpc") {
    return invalid_argument("check \"" + check.name +
                            "\": grpc checks are not supported yet; use an http or tcp check");
  } else {
    return invalid_argument("check \"" + check.name + "\": unknown type \"" + check.type +
                            "\"; use http, tcp or script");
  }
  if (!made) return named(made.error());
  return made;
}

}  // namespace caravan::client
