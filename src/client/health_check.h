// Health checks the client agent runs for service instances: one probe of an
// http, tcp or script check (Consul's conventions for status and output). A
// CheckRunner (check_runner.h) calls probe() on the check's schedule; its
// results feed the catalog and check_restart (check_restart.h).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "core/status.h"
#include "model/job.h"

namespace caravan::client {

// Consul's three check states, in order of severity.
enum class CheckStatus { kPassing, kWarning, kCritical };

// "passing", "warning", "critical".
const char* check_status_name(CheckStatus status);
// Parses "passing", "warning", "critical". Errors: InvalidArgument naming the text.
Result<CheckStatus> parse_check_status(std::string_view text);

// What one probe found. `output` says what happened in words a user reads in
// the catalog ("HTTP GET http://127.0.0.1:2345/health: 503 Service Unavailable").
struct CheckResult {
  CheckStatus status = CheckStatus::kCritical;
  std::string output;

  bool operator==(const CheckResult&) const = default;
};

using SteadyTime = std::chrono::steady_clock::time_point;

// Bounds one probe: it returns by `deadline` (critical, "timed out ...") and as
// soon as `cancel_fd` becomes readable (the runner is stopping; the result is
// then discarded). The fd is owned by the caller; -1 = never cancelled.
struct ProbeContext {
  SteadyTime deadline;
  int cancel_fd = -1;

  // Whether cancel_fd is readable now.
  bool cancelled() const;
};

// One kind of health check bound to its target. Implementations keep no state
// between probes that matters for correctness (a TLS context at most), and a
// probe may run on any thread, but one at a time per checker.
class HealthChecker {
 public:
  virtual ~HealthChecker() = default;

  // Runs one probe. Never blocks past ctx.deadline by more than the time to
  // reap a killed child; returns promptly once ctx is cancelled. Never throws.
  virtual CheckResult probe(const ProbeContext& ctx) = 0;

  // Human-readable description for logs, e.g. "http GET http://10.0.0.1:8080/health".
  virtual std::string describe() const = 0;
};

using HealthCheckerPtr = std::unique_ptr<HealthChecker>;

// --- http -------------------------------------------------------------------

struct HttpCheckSpec {
  std::string protocol = "http";  // "http" or "https"
  std::string address;            // IP or host name
  int port = 0;
  std::string path = "/";  // may carry a query
  std::string method = "GET";
  std::map<std::string, std::vector<std::string>> headers;
  std::string body;
  bool tls_skip_verify = false;
  std::string tls_server_name;  // SNI and the name verified; default: address
};

// 2xx → passing, 429 → warning, any other status, a connection error or the
// deadline → critical. Output: "HTTP GET <url>: <code> <reason>" plus
// " Output: <first 4 KiB of the body>" when there is a body. Errors:
// InvalidArgument for an unknown protocol or a port outside 1..65535;
// Internal when the TLS context cannot be made.
Result<HealthCheckerPtr> make_http_checker(HttpCheckSpec spec);

// --- tcp --------------------------------------------------------------------

// Connected within the deadline → passing ("TCP connect 127.0.0.1:80: Success"),
// otherwise critical naming the reason ("... connection refused"). Errors:
// InvalidArgument for a port outside 1..65535.
Result<HealthCheckerPtr> make_tcp_checker(std::string address, int port);

// --- script -----------------------------------------------------------------

struct ScriptCheckSpec {
  std::string command;  // absolute, relative to work_dir, or looked up in env's PATH
  std::vector<std::string> args;
  // The complete environment of the script: the task's variables (TaskEnv::vars()).
  std::map<std::string, std::string> env;
  std::string work_dir;  // "" = the agent's working directory
};

// Runs command+args in its own process group; at the deadline (or on cancel)
// the whole group is killed. Exit 0 → passing, 1 → warning, anything else, a
// signal or the deadline → critical. Output: the first 4 KiB of stdout and
// stderr interleaved. Errors: InvalidArgument for an empty command.
Result<HealthCheckerPtr> make_script_checker(ScriptCheckSpec spec);

// --- from the job specification ---------------------------------------------

// Where an http/tcp check connects (check_target.h computes it).
struct CheckTarget {
  std::string address;
  int port = 0;

  bool operator==(const CheckTarget&) const = default;
};

// What a script check runs with.
struct ScriptEnvironment {
  std::map<std::string, std::string> env;
  std::string work_dir;
};

// The checker for `check` of `type` http, tcp or script. `target` is used by
// http and tcp, `script` by script checks. Errors: InvalidArgument naming the
// check for grpc (not supported yet), an unknown type, or a bad target.
Result<HealthCheckerPtr> make_health_checker(const model::ServiceCheck& check,
                                             const CheckTarget& target,
                                             const ScriptEnvironment& script);

}  // namespace caravan::client
