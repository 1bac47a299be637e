#include "proxy/route_table.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "proxy/internal/text.h"

namespace caravan::proxy {

const char* route_source_name(RouteSource source) {
  switch (source) {
    case RouteSource::kFile:
      return "file";
    case RouteSource::kTraefik:
      return "traefik";
    case RouteSource::kFabio:
      return "fabio";
  }
  return "file";
}

namespace {

// The exact hosts a request must have for `rule` to match, or nullopt when the
// rule may match other hosts too (no host condition, wildcards, regexes, !).
std::optional<std::set<std::string>> required_hosts(const RuleNode& rule) {
  switch (rule.kind) {
    case RuleNode::Kind::kHost: {
      std::set<std::string> hosts;
      for (const std::string& h : rule.args) {
        if (h.find('*') != std::string::npos) return std::nullopt;
        hosts.insert(h);
      }
      return hosts;
    }
    case RuleNode::Kind::kAnd: {
      // Any one conjunct's host set is a valid restriction; take the smallest.
      std::optional<std::set<std::string>> best;
      for (const RuleConstSharedPtr& c : rule.children) {
        std::optional<std::set<std::string>> hosts = required_hosts(*c);
        if (hosts && (!best || hosts->size() < best->size())) best = std::move(hosts);
      }
      return best;
    }
    case RuleNode::Kind::kOr: {
      std::set<std::string> all;
      for (const RuleConstSharedPtr& c : rule.children) {
        std::optional<std::set<std::string>> hosts = required_hosts(*c);
        if (!hosts) return std::nullopt;
        all.insert(hosts->begin(), hosts->end());
      }
      return all;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

bool route_precedes(const Route& a, const Route& b) {
  const RuleSpecificity& x = a.specificity;
  const RuleSpecificity& y = b.specificity;
  auto ka = std::make_tuple(a.spec.priority, x.host_rank, x.host_length, x.path_length,
                            a.rule_text.size());
  auto kb = std::make_tuple(b.spec.priority, y.host_rank, y.host_length, y.path_length,
                            b.rule_text.size());
  if (ka != kb) return ka > kb;
  return a.spec.name < b.spec.name;
}

RouteTableConstSharedPtr RouteTable::build(std::vector<RouteSpec> specs, HealthRegistry& registry,
                                           std::vector<std::string> warnings, uint64_t seed) {
  auto table = std::make_shared<RouteTable>();
  std::set<std::string> names;
  std::set<std::string> ids;
  for (RouteSpec& spec : specs) {
    if (!names.insert(spec.name).second) {
      warnings.push_back("route \"" + spec.name + "\" is declared twice; the first one is kept");
      continue;
    }
    if (!spec.rule) spec.rule = rule_match_all();
    auto route = std::make_unique<Route>();
    route->rule_text = rule_to_string(*spec.rule);
    route->specificity = rule_specificity(*spec.rule);
    std::vector<BalanceTarget> targets;
    for (Backend& b : spec.backends) {
      b.weight = std::max(1, b.weight);
      b.health = registry.get(b.endpoint.instance_id);
      table->health_[b.endpoint.instance_id] = b.health;
      ids.insert(b.endpoint.instance_id);
      targets.push_back({b.endpoint.instance_id, b.weight, b.health});
      route->sticky_values.push_back(internal::sha256_hex(b.endpoint.instance_id, 8));
      route->has_canary = route->has_canary || b.canary;
      route->has_draining = route->has_draining || b.draining;
    }
    route->session_affinity =
        spec.balance.sticky.has_value() || spec.balance.hash_on.kind != HashOn::Kind::kNone;
    if (spec.balance.sticky) {
      route->sticky_cookie_name = spec.balance.sticky->name.empty()
                                      ? "_" + internal::sha256_hex(spec.name, 3)
                                      : spec.balance.sticky->name;
    }
    route->balancer = make_balancer(spec.balance.algorithm, std::move(targets), seed);
    route->spec = std::move(spec);
    table->routes_.push_back(std::move(route));
  }
  std::stable_sort(table->routes_.begin(), table->routes_.end(),
                   [](const std::unique_ptr<Route>& a, const std::unique_ptr<Route>& b) {
                     return route_precedes(*a, *b);
                   });
  for (size_t i = 0; i < table->routes_.size(); ++i) {
    std::optional<std::set<std::string>> hosts = required_hosts(*table->routes_[i]->spec.rule);
    if (!hosts) {
      table->any_host_.push_back(static_cast<uint32_t>(i));
      continue;
    }
    for (const std::string& h : *hosts) table->by_host_[h].push_back(static_cast<uint32_t>(i));
  }
  registry.retain(ids);
  table->warnings_ = std::move(warnings);
  return table;
}

const Route* RouteTable::match(const RequestHead& head, const ClientInfo& client) const {
  MatchInput input(head, client);
  static const std::vector<uint32_t> kNone;
  auto it = by_host_.find(input.host);
  const std::vector<uint32_t>& host_routes = it == by_host_.end() ? kNone : it->second;
  // Merge the two ascending index lists: precedence order is preserved.
  size_t a = 0;
  size_t b = 0;
  while (a < host_routes.size() || b < any_host_.size()) {
    uint32_t index;
    if (b == any_host_.size() || (a < host_routes.size() && host_routes[a] < any_host_[b])) {
      index = host_routes[a++];
    } else {
      index = any_host_[b++];
    }
    const Route& route = *routes_[index];
    if (route.spec.listener_port != 0 && route.spec.listener_port != client.listener_port) {
      continue;
    }
    if (rule_matches(*route.spec.rule, input)) return &route;
  }
  return nullptr;
}

const Route* RouteTable::find(const std::string& name) const {
  for (const std::unique_ptr<Route>& route : routes_) {
    if (route->spec.name == name) return route.get();
  }
  return nullptr;
}

EndpointHealth* RouteTable::health(const std::string& instance_id) const {
  auto it = health_.find(instance_id);
  return it == health_.end() ? nullptr : it->second.get();
}

std::string RouteTable::to_json() const {
  nlohmann::json routes = nlohmann::json::array();
  for (const std::unique_ptr<Route>& route : routes_) {
    const RouteSpec& s = route->spec;
    nlohmann::json middlewares = nlohmann::json::array();
    for (const Middleware& m : s.middlewares) middlewares.push_back(describe_middleware(m));
    nlohmann::json backends = nlohmann::json::array();
    for (const Backend& b : s.backends) {
      backends.push_back({{"ID", b.endpoint.instance_id},
                          {"Address", b.endpoint.address},
                          {"Port", b.endpoint.port},
                          {"Weight", b.weight},
                          {"Backup", b.backup},
                          {"Canary", b.canary},
                          {"Draining", b.draining}});
    }
    nlohmann::json r = {{"Name", s.name},
                        {"Source", route_source_name(s.source)},
                        {"Rule", route->rule_text},
                        {"Priority", s.priority},
                        {"Listener", s.listener_port},
                        {"Service", s.service},
                        {"Scheme", s.upstream_scheme},
                        {"Middlewares", middlewares},
                        {"Balance", balance_algorithm_name(s.balance.algorithm)},
                        {"Sticky", route->sticky_cookie_name},
                        {"Backends", backends}};
    routes.push_back(std::move(r));
  }
  nlohmann::json out = {{"Routes", routes}, {"Warnings", warnings_}};
  return out.dump(2);
}

}  // namespace caravan::proxy
