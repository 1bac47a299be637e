// The agent's HTTP API: Nomad's endpoints (jobs, allocations, nodes,
// evaluations, agent, status) served from the server's state, and the
// endpoints client agents use to register, heartbeat, watch their allocations
// and report on them. add_routes() registers them all on a router.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "http/router.h"
#include "server/server.h"

namespace caravan::api {

// What the API needs from the client agent running in the same process (for
// `caravan agent -dev`): task logs and restarts. Absent on a server-only agent.
class ClientServices {
 public:
  virtual ~ClientServices() = default;
  // GET /v1/client/fs/logs/:alloc: `request` carries task, type, follow,
  // origin, offset, plain. Streams when following.
  virtual http::Response task_logs(const http::Request& request, const std::string& alloc_id) = 0;
  // Restarts one task (or every task when `task` is empty) of a local allocation.
  virtual Status restart_alloc(const std::string& alloc_id, const std::string& task) = 0;
};

struct ApiContext {
  server::Server* server = nullptr;    // null on a client-only agent
  ClientServices* client = nullptr;    // null on a server-only agent
  // What /v1/agent/self reports: Nomad's {"config", "member", "stats"} and
  // Consul's {"Config", "Member", "Meta"} side by side.
  nlohmann::ordered_json agent_self;
};

// Registers every endpoint. `context` (and what it points to) must outlive the router.
void add_routes(http::Router& router, const ApiContext& context);

// Per-area registration, called by add_routes.
void add_job_routes(http::Router& router, const ApiContext& context);
void add_alloc_routes(http::Router& router, const ApiContext& context);
void add_node_routes(http::Router& router, const ApiContext& context);
void add_eval_routes(http::Router& router, const ApiContext& context);
void add_agent_routes(http::Router& router, const ApiContext& context);
void add_service_routes(http::Router& router, const ApiContext& context);
void add_consul_routes(http::Router& router, const ApiContext& context);
void add_deployment_routes(http::Router& router, const ApiContext& context);

// The header a client agent authenticates its node with.
inline constexpr const char* kNodeSecretHeader = "X-Caravan-Node-Secret";

// The node secret a client request carries (empty when none).
inline std::string node_secret(const http::Request& request) {
  return std::string(request.headers.get(kNodeSecretHeader).value_or(""));
}

}  // namespace caravan::api
