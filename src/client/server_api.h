// ServerApi: the client agent's side of the server endpoints it uses — register
// the node, heartbeat, watch its allocations (blocking query) and report their
// client status — over the blocking HTTP client, with the node's secret in
// X-Caravan-Node-Secret. Rotates to the next server address after a failure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/status.h"
#include "http/client.h"
#include "model/allocation.h"
#include "model/node.h"
#include "model/service_registration.h"

namespace caravan::client {

inline constexpr const char* kNodeSecretHeader = "X-Caravan-Node-Secret";

struct NodeAllocations {
  std::vector<model::Allocation> allocs;
  int64_t index = 0;  // X-Nomad-Index
};

// Not thread-safe: one per thread (each holds one kept-alive connection).
// Errors: Unavailable when no server answered (transport failure, 5xx), NotFound
// when the server does not know the node (404), PermissionDenied (403),
// InvalidArgument (400 or a response that is not the expected JSON).
class ServerApi {
 public:
  // `servers` are "http://host:port" addresses (at least one).
  static Result<ServerApi> create(std::vector<std::string> servers, std::string node_id,
                                  std::string secret_id);

  // POST /v1/client/node/register; returns the heartbeat TTL.
  Result<Duration> register_node(const model::Node& node);
  // PUT /v1/client/node/:id/heartbeat; returns the heartbeat TTL.
  Result<Duration> heartbeat();
  // GET /v1/client/node/:id/allocations?index=N&wait=W: returns once the
  // allocations changed after `index`, or after about `wait`.
  Result<NodeAllocations> allocations(int64_t index, Duration wait);
  // POST /v1/client/node/:id/allocations/update {"Allocs": [...]}.
  Status update_allocs(const std::vector<model::Allocation>& allocs);
  // PUT /v1/client/node/:id/services {"Services": [...]}: registers instances
  // or updates their check results.
  Status upsert_services(const std::vector<model::ServiceRegistration>& instances);
  // PUT /v1/client/node/:id/services/deregister {"AllocIDs": [...]}.
  Status deregister_services(const std::vector<std::string>& alloc_ids);
  // GET /v1/ingress/traffic?alloc=ID: whether every live ingress reports the
  // allocation's draining instances idle (no request in flight, no live
  // session; true when no ingress is live), and whether every live ingress
  // has applied the catalog as it is now.
  struct IngressTraffic {
    bool idle = false;
    int64_t catalog_index = 0;  // the catalog's (services') index now
    int64_t ingress_index = -1;  // the lowest index a live ingress applied; -1: none live
  };
  Result<IngressTraffic> ingress_traffic(const std::string& alloc_id);

  const std::string& current_server() const { return servers_[current_]; }

 private:
  ServerApi(std::vector<std::string> servers, std::string node_id, std::string secret_id)
      : servers_(std::move(servers)),
        node_id_(std::move(node_id)),
        secret_id_(std::move(secret_id)) {}
  // Sends the request to the current server; moves on to the next one when it
  // cannot be reached or answers 5xx.
  Result<http::Response> call(std::string_view method, const std::string& target, std::string body,
                              Duration timeout);

  std::vector<std::string> servers_;
  size_t current_ = 0;
  std::string node_id_;
  std::string secret_id_;
  std::optional<http::Client> client_;
};

}  // namespace caravan::client
