// The route table: an immutable, ordered snapshot of every route with its
// balancer, and the router that picks the route for a request. Built by the
// CatalogDirector from catalog instances and the ingress file, then swapped in
// atomically; readers hold a RouteTableConstSharedPtr.
//
// Precedence (one rule for every source; see docs/ingress/routing.md). The first
// route in this order whose rule matches wins:
//   1. explicit priority, higher first (routes without one have priority 0,
//      so a negative priority ranks below every default route);
//   2. host specificity: an exact host beats a wildcard or regex host, which
//      beats no host condition; then the longer host;
//   3. the longer path condition (Path beats a PathPrefix of the same length);
//   4. the longer rule text (Traefik's default priority is its rule's length:
//      kept as the tie-break between routes of equal shape);
//   5. the route name, for determinism.
// Traefik counts only rule length; Fabio orders host routes first, then the
// longest prefix: steps 2-3 give Fabio's order and agree with Traefik for the
// usual Host(...) && PathPrefix(...) rules.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/balancer.h"
#include "proxy/route.h"

namespace caravan::proxy {

// A route frozen into a table.
struct Route {
  RouteSpec spec;
  std::string rule_text;  // rule_to_string(*spec.rule)
  RuleSpecificity specificity;
  std::unique_ptr<Balancer> balancer;      // over spec.backends, in their order
  std::vector<std::string> sticky_values;  // per backend: the sticky cookie value
  std::string sticky_cookie_name;          // when spec.balance.sticky
  bool has_canary = false;                 // some backend is a canary
  bool has_draining = false;               // some backend is draining
  // Requests carry a session (hash key or sticky cookie) to record per backend.
  bool session_affinity = false;
};

class RouteTable;
using RouteTableConstSharedPtr = std::shared_ptr<const RouteTable>;

class RouteTable {
 public:
  // Orders `specs` by precedence, drops duplicates by name (the first wins, a
  // warning is added), attaches each backend's shared health from `registry`
  // and builds the balancers. `warnings` are kept for /routes.
  static RouteTableConstSharedPtr build(std::vector<RouteSpec> specs, HealthRegistry& registry,
                                        std::vector<std::string> warnings = {}, uint64_t seed = 0);

  // The first route (in precedence order) whose listener and rule match, or null.
  const Route* match(const RequestHead& head, const ClientInfo& client) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  const Route* find(const std::string& name) const;
  // The health of a backend in this table, or null when the id is unknown.
  EndpointHealth* health(const std::string& instance_id) const;
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The table as JSON for the /routes debug endpoint: an array of
  // {Name, Source, Rule, Priority, Listener, Service, Middlewares, Balance,
  //  Sticky, Backends[{ID, Address, Port, Weight, Backup, Canary, Draining}]} plus Warnings.
  std::string to_json() const;

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  // Routes whose rule can only match a known set of exact hosts, by host (route
  // indexes in precedence order), and all other routes: match() walks both
  // lists in order, so it tests only routes that could match the request's host.
  std::unordered_map<std::string, std::vector<uint32_t>> by_host_;
  std::vector<uint32_t> any_host_;
  std::map<std::string, EndpointHealthSharedPtr, std::less<>> health_;
  std::vector<std::string> warnings_;
};

// True when route a comes before route b (the order documented above).
bool route_precedes(const Route& a, const Route& b);

}  // namespace caravan::proxy
