// CatalogInstance: one service instance as the catalog hands it to the ingress
// (catalog → CatalogDirector::update → route table). The ingress reads its tags
// (Fabio `urlprefix-…`, Traefik `traefik.…`, `backup`) to build routes and its
// address/port to reach it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace caravan::proxy {

// Health states as the catalog aggregates them (Consul's words).
inline constexpr const char* kStatusPassing = "passing";
inline constexpr const char* kStatusWarning = "warning";
inline constexpr const char* kStatusCritical = "critical";

// Only instances whose status is "passing" are routable: they alone receive
// traffic. Every instance's tags declare routes whatever its status, so a route
// whose instances all fail stays in the table and answers 503 (naming the route)
// instead of vanishing into a 404. The tag `backup` marks a hot standby: it
// receives traffic only when no primary (non-backup) instance of the route is
// passing and not ejected. A `canary` receives only requests that ask for
// canaries (TrafficSettings::canary_header). A `draining` instance is about to
// stop: it takes no new sessions, only requests of the sessions it already
// has (docs/ingress/traffic-shift.md). `meta` is not used for routing.
struct CatalogInstance {
  std::string id;       // unique instance id; keys ejection and sticky cookies
  std::string service;  // catalog service name
  std::string node;     // node name or id
  std::string address;  // IP literal or host name the ingress connects to
  uint16_t port = 0;
  std::vector<std::string> tags;
  std::map<std::string, std::string> meta;
  std::string status;  // "passing", "warning", "critical"
  bool canary = false;
  bool draining = false;
};

}  // namespace caravan::proxy
