// CatalogDirector: the ingress's control plane behind the Director seam. It
// turns catalog instances (their Fabio and Traefik tags) and the ingress file's
// services into an immutable route table, swaps it in atomically on every
// update, and per request matches a route, runs its middlewares, and picks
// candidates with the route's balancer, honouring sticky cookies, backups and
// passive ejection. catalog → update() → RouteTable → decide() → engine.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "proxy/catalog_instance.h"
#include "proxy/director.h"
#include "proxy/ejection.h"
#include "proxy/ingress_file.h"
#include "proxy/route_table.h"

namespace caravan::proxy {

// Routes declared by catalog tags, before the table orders them.
struct CatalogRoutes {
  std::vector<RouteSpec> routes;
  std::vector<std::string> warnings;  // "service web, instance i1: tag "...": why"
};

// Builds the routes of every passing instance's tags: Fabio `urlprefix-` tags
// (one route per host/path, shared by every service declaring it; the first
// declaration's options win) and Traefik labels (one route per router and
// catalog service, named "<router>@<service>"; a router routes to the
// instances of its own catalog service that declare it; middlewares may be
// declared by any service). Instances tagged `backup` become backup backends.
CatalogRoutes routes_from_catalog(const std::vector<CatalogInstance>& instances,
                                  const TagSettings& settings);

// Builds the ingress file's routes; catalog services take their backends from
// the passing `instances` of that name.
std::vector<RouteSpec> routes_from_ingress(const IngressConfig& config,
                                           const std::vector<CatalogInstance>& instances);

// What an instance still holds in this ingress (reported while it drains).
struct InstanceLoad {
  std::string instance_id;
  int active_requests = 0;  // requests in flight to it
  int connections = 0;      // open upstream connections (in use or pooled)
  size_t sessions = 0;      // distinct sessions seen within the session idle timeout
  bool idle() const { return active_requests == 0 && sessions == 0; }
};

struct CatalogDirectorOptions {
  EjectionPolicy ejection;
  SteadyClock clock;  // default: std::chrono::steady_clock::now
  uint64_t seed = 0;  // random balancers; 0 = nondeterministic
};

class CatalogDirector final : public Director {
 public:
  // `config` supplies file routes and tag settings (a default IngressConfig:
  // tags only). The table starts with the file's routes and no instances.
  explicit CatalogDirector(IngressConfig config = {}, CatalogDirectorOptions options = {});

  // Replaces the set of catalog instances (all services). Builds a new table
  // and swaps it in; callable from any thread (writers are serialized), never
  // blocks decide(). Requests already deciding keep the table they started with.
  void update(std::vector<CatalogInstance> instances);

  // The current table (routes in precedence order, warnings, to_json() for a
  // /routes endpoint). Any thread.
  RouteTableConstSharedPtr table() const;

  // Director. decide(): LocalResponse 404 when no route matches, 503 naming the
  // route when it has no available instance, 3xx from redirect middlewares;
  // otherwise Forward with the chosen endpoint first and up to 2 alternatives.
  Decision decide(const RequestHead& head, const ClientInfo& client) override;
  void on_attempt_start(const Endpoint& endpoint) override;
  void on_attempt_end(const Endpoint& endpoint, const Outcome& outcome) override;
  void on_upstream_connection(const std::string& instance_id, bool opened) override;

  // The load of every draining instance of the last update(), for the
  // ingress's reports to the server. Any thread; scans session tables, so it
  // is for a periodic report, not the request path.
  std::vector<InstanceLoad> draining_load() const;
  const TrafficSettings& traffic() const { return config_.traffic; }

 private:
  bool canary_requested(const RequestHead& head) const;
  void rebuild_locked();

  const IngressConfig config_;
  const CatalogDirectorOptions options_;
  // The scheme the client spoke: X-Forwarded-Proto from a trusted proxy of the
  // listener, else the connection's.
  std::string client_scheme(const RequestHead& head, const ClientInfo& client) const;

  // Listener port → its trusted proxies (from the file; immutable).
  std::map<uint16_t, std::vector<std::pair<std::array<uint8_t, 16>, int>>> trusted_;
  mutable std::mutex writer_mu_;  // serializes update(); never taken by decide()
  std::vector<CatalogInstance> instances_;
  HealthRegistry registry_;
  std::atomic<RouteTableConstSharedPtr> table_;
};

}  // namespace caravan::proxy
