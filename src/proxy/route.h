// The route model shared by every route source (Traefik tags, Fabio tags, the
// ingress file): a rule, a precedence, middlewares, a balancing policy and the
// backends the route sends to. Parsers produce RouteSpecs; the route table
// (proxy/route_table.h) orders and freezes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "proxy/balancer.h"
#include "proxy/director.h"
#include "proxy/ejection.h"
#include "proxy/middleware.h"
#include "proxy/rule_expr.h"

namespace caravan::proxy {

enum class RouteSource { kFile, kTraefik, kFabio };
const char* route_source_name(RouteSource source);  // "file", "traefik", "fabio"

// One upstream of a route.
struct Backend {
  Endpoint endpoint;
  int weight = 1;                  // relative share (Traefik server.weight), >= 1
  bool backup = false;             // hot standby: used only when no primary is available
  bool canary = false;             // only for requests asking for canaries
  bool draining = false;           // only for the sessions it already has
  EndpointHealthSharedPtr health;  // filled in by the route table builder
};

struct RouteSpec {
  std::string name;  // unique in a table; shown in /routes, metrics, 503 bodies
  RouteSource source = RouteSource::kFile;
  RuleConstSharedPtr rule;  // never null (rule_match_all() for "everything")
  // Explicit priority: higher wins before anything else; 0 when not given.
  // Traefik's `.priority`, the ingress file's `priority`; Fabio has none.
  int priority = 0;
  uint16_t listener_port = 0;  // only requests accepted on this port; 0 = any listener
  std::string service;         // target service (catalog name, or the file's upstream name)
  std::vector<Middleware> middlewares;  // applied in order
  BalanceConfig balance;
  std::string upstream_scheme = "http";  // "https" for Fabio proto=https / Traefik server.scheme
  std::vector<Backend> backends;
};

}  // namespace caravan::proxy
