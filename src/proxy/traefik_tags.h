// Traefik labels as service tags (`traefik.http.routers.<r>.rule=...`), the
// grammar of Traefik's Consul Catalog and Nomad providers: routers (rule,
// priority, middlewares, service), load-balancer services (server port and
// weight, sticky cookie, strategy) and middlewares (stripprefix, addprefix,
// replacepathregex, redirectregex, redirectscheme, headers). This file parses
// one instance's tags; the CatalogDirector turns them into routes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "proxy/balancer.h"
#include "proxy/middleware.h"

namespace caravan::proxy {

struct TraefikOptions {
  std::string prefix = "traefik";  // the provider's label prefix
  // Traefik's exposedByDefault: a service with no traefik.enable tag is routed.
  bool exposed_by_default = true;
};

struct TraefikRouter {
  std::string name;
  std::string rule;  // empty: the default rule Host(`<service>`)
  std::optional<int> priority;
  std::vector<std::string> middlewares;  // names without "@provider"
  std::string service;                   // empty: the only/default service
};

struct TraefikService {
  std::string name;
  std::optional<uint16_t> port;  // loadbalancer.server.port
  std::optional<int> weight;     // loadbalancer.server.weight
  std::string scheme;            // loadbalancer.server.scheme
  std::optional<StickyCookie> sticky;
  std::optional<BalanceAlgorithm> strategy;  // wrr→round_robin, p2c→least_request, hrw→ring_hash
};

// A middleware declaration: its type ("stripprefix", ...) and options with
// lower-cased keys relative to the type ("prefixes", "customrequestheaders.X-A").
struct TraefikMiddlewareDecl {
  std::string name;
  std::string type;
  std::map<std::string, std::string> options;
};

// Everything one instance's tags say.
struct TraefikLabels {
  bool has_labels = false;  // any tag with the prefix
  bool enabled = true;      // traefik.enable, else exposed_by_default
  std::map<std::string, TraefikRouter> routers;
  std::map<std::string, TraefikService> services;
  std::map<std::string, TraefikMiddlewareDecl> middlewares;
  // Unknown, unsupported or malformed tags: "tag \"...\": why". They are
  // ignored; a router whose own tags are bad is dropped (its name is listed in
  // bad_routers).
  std::vector<std::string> warnings;
  std::vector<std::string> bad_routers;
};

// Parses the tags of one instance. Never fails: problems become warnings.
TraefikLabels parse_traefik_tags(const std::vector<std::string>& tags,
                                 const TraefikOptions& options = {});

// Builds the middleware a declaration describes; InvalidArgument names the
// middleware and what to fix.
Result<Middleware> build_traefik_middleware(const TraefikMiddlewareDecl& decl);

}  // namespace caravan::proxy
