// How CLI commands reach a caravan agent's HTTP API (Nomad's paths and JSON):
// the general flags every API command takes (-address, -namespace, -token, with
// CARAVAN_* / NOMAD_* environment fallbacks), a JSON client over http::Client
// whose errors are worded as nomad words them, and the one way commands print
// those errors.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/command.h"
#include "cli/flags.h"
#include "core/status.h"
#include "http/client.h"

namespace caravan::cli {

inline constexpr std::string_view kDefaultAgentAddress = "http://127.0.0.1:4646";

// The agent address: `flag` when set, else $CARAVAN_ADDR, else $NOMAD_ADDR, else
// http://127.0.0.1:4646. A bare "host:port" gets "http://" in front. `getenv`
// is injectable for tests.
std::string resolve_agent_address(std::string_view flag,
                                  const std::function<const char*(const char*)>& getenv = nullptr);

// The general options of every command that talks to an agent.
struct ApiFlags {
  std::string address;     // -address
  std::string namespace_;  // -namespace ($CARAVAN_NAMESPACE, $NOMAD_NAMESPACE)
  std::string token;       // -token ($CARAVAN_TOKEN, $NOMAD_TOKEN), sent as X-Nomad-Token
  std::string region;      // -region: accepted for nomad compatibility, not used
  bool no_color = false;   // -no-color: accepted; caravan never colors

  void register_flags(FlagSet& flags);
  // The same flags as arguments, for commands that hand over to another
  // command (`status <id>` runs `job status <id>`).
  std::vector<std::string> as_args() const;
};

// Help text of ApiFlags, appended to every API command's help.
extern const std::string_view kApiFlagsHelp;

// Index of the data a blocking query returned (X-Nomad-Index).
struct QueryMeta {
  int64_t index = 0;
};

// A blocking query: wait until the data's index passes `index`, at most `wait`.
struct BlockingQuery {
  int64_t index = 0;
  std::chrono::seconds wait{30};
};

// A JSON client of one agent. Not thread-safe. Errors (Status):
//  * the agent is unreachable (kUnavailable): "Error connecting to agent at
//    http://127.0.0.1:4646: connection refused. Is `caravan agent -dev`
//    running? Use -address or CARAVAN_ADDR to reach another agent.";
//  * a non-2xx answer: "Unexpected response code: 404 (job not found)"
//    (kNotFound for 404, kFailedPrecondition for 409, else kInvalidArgument
//    for 4xx and kInternal for 5xx);
//  * a 2xx body that is not JSON: kInternal naming the path.
class ApiClient {
 public:
  static Result<ApiClient> create(const ApiFlags& flags);

  // `path` is "/v1/..." with an optional query; the namespace parameter is added.
  Result<nlohmann::json> get(std::string_view path, QueryMeta* meta = nullptr);
  Result<nlohmann::json> get_blocking(std::string_view path, const BlockingQuery& query,
                                      QueryMeta* meta = nullptr);
  Result<nlohmann::json> post(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> put(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> del(std::string_view path);
  // A GET whose body is text (plain logs).
  Result<std::string> get_text(std::string_view path);
  // A streamed GET (alloc logs -f): `on_data` gets each piece; returns when the
  // server ends the stream or on_data returns false.
  Status get_stream(std::string_view path, const http::Client::DataCallback& on_data);

  const std::string& address() const { return address_; }

 private:
  ApiClient(http::Client client, std::string address, ApiFlags flags);
  std::string with_namespace(std::string_view path) const;
  http::RequestOptions options() const;
  Result<http::Response> checked(Result<http::Response> response) const;
  Result<nlohmann::json> parse(std::string_view path, const http::Response& response) const;

  http::Client client_;
  std::string address_;
  ApiFlags flags_;
};

// Maps an http::Client transport failure or a non-2xx response to the Status
// described at ApiClient (exposed for tests).
Status transport_error(std::string_view address, const Status& status);
Status response_error(const http::Response& response);

// The message a command prints for a failed API call made while `doing`
// something ("querying job"): "Error querying job: Unexpected response code:
// 404 (job not found)", or the connection error alone when the agent was not
// reachable (its message already says what to do).
std::string api_error_text(std::string_view doing, const Status& status);
// Writes api_error_text and a newline to io.err.
void print_api_error(CommandIo& io, std::string_view doing, const Status& status);

// ApiClient::create, printing the error (a malformed address) to io.err;
// nullopt then, and the command exits 1.
std::optional<ApiClient> connect_api(const ApiFlags& flags, CommandIo& io);

// The shared start of API commands that take no argument (agent-info, eval
// list, system gc): parses `args`, refuses positional arguments, connects.
// nullopt when the command should return *exit_code.
std::optional<ApiClient> begin_no_argument_command(FlagSet& flags, const ApiFlags& api_flags,
                                                   const std::vector<std::string>& args,
                                                   const std::string& help, CommandIo& io,
                                                   int* exit_code);

// What a command acting on one named object (a job, an allocation, ...) has
// once its flags are parsed: the connected client and the one argument.
struct SingleObjectCall {
  ApiClient api;
  std::string argument;
};

// The shared start of such commands: parses `args` with `flags` (the caller
// registered `api_flags` and its own flags in it), requires exactly one
// argument, described as `what` ("<job>") in the usage error, and connects.
// nullopt when the command should return *exit_code (help, usage, address errors).
std::optional<SingleObjectCall> begin_single_object_command(FlagSet& flags, const ApiFlags& api_flags,
                                                            const std::vector<std::string>& args,
                                                            const std::string& help,
                                                            std::string_view what, CommandIo& io,
                                                            int* exit_code);

// Percent-encodes a path segment or query value.
std::string url_escape(std::string_view text);

}  // namespace caravan::cli
