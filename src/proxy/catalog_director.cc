#include "proxy/catalog_director.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/strings.h"
#include "proxy/fabio_tags.h"
#include "proxy/internal/text.h"
#include "proxy/traefik_tags.h"

namespace caravan::proxy {
namespace {

bool has_tag(const CatalogInstance& inst, std::string_view tag) {
  return std::find(inst.tags.begin(), inst.tags.end(), tag) != inst.tags.end();
}

bool passing(const CatalogInstance& inst) { return inst.status == kStatusPassing; }

int64_t to_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

Endpoint endpoint_of(const CatalogInstance& inst, uint16_t port) {
  return Endpoint{inst.id, inst.service, inst.address, port};
}

// Collects routes by name; the first declaration of a name defines the route,
// later instances declaring the same name add themselves as backends.
class RouteCollector {
 public:
  explicit RouteCollector(CatalogRoutes& out) : out_(out) {}

  RouteSpec* find(const std::string& name) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &out_.routes[it->second];
  }
  RouteSpec& add(RouteSpec spec) {
    index_[spec.name] = out_.routes.size();
    out_.routes.push_back(std::move(spec));
    return out_.routes.back();
  }
  // What a route was first declared with (a Traefik rule, Fabio options), to
  // warn when another instance declares it differently.
  const std::string& rule_text(const std::string& name) { return rule_texts_[name]; }
  void set_rule_text(const std::string& name, std::string text) {
    rule_texts_[name] = std::move(text);
  }

  void warn(const std::string& service, const std::string& message) {
    std::string line = "service " + service + ": " + message;
    if (seen_.insert(line).second) out_.warnings.push_back(std::move(line));
  }

 private:
  CatalogRoutes& out_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> rule_texts_;
  std::set<std::string> seen_;
};

void add_backend(RouteSpec& spec, const CatalogInstance& inst, uint16_t port, int weight) {
  if (!passing(inst)) return;
  for (const Backend& b : spec.backends) {
    if (b.endpoint.instance_id == inst.id) return;
  }
  Backend b;
  b.endpoint = endpoint_of(inst, port);
  b.weight = weight;
  b.backup = has_tag(inst, "backup");
  b.canary = inst.canary;
  b.draining = inst.draining;
  spec.backends.push_back(std::move(b));
}

std::string same_site_attr(const std::string& v) {
  if (v == "none") return "None";
  if (v == "lax") return "Lax";
  if (v == "strict") return "Strict";
  return "";
}

std::string cookie_value(const RequestHead& head, std::string_view name) {
  for (const HeaderField& f : head.headers) {
    if (!internal::iequals(f.name, "Cookie")) continue;
    std::string_view rest = f.value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        std::string_view value = pair.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
      }
    }
  }
  return {};
}

std::string set_cookie(const std::string& name, const std::string& value, const StickyCookie& c) {
  std::string out = name + "=" + value + "; Path=" + (c.path.empty() ? "/" : c.path);
  if (c.max_age > 0) out += "; Max-Age=" + std::to_string(c.max_age);
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  if (std::string s = same_site_attr(c.same_site); !s.empty()) out += "; SameSite=" + s;
  return out;
}

}  // namespace

CatalogRoutes routes_from_catalog(const std::vector<CatalogInstance>& instances,
                                  const TagSettings& settings) {
  CatalogRoutes out;
  if (!settings.enabled) return out;
  RouteCollector routes(out);

  // Passing instances first so their declarations define each route.
  std::vector<const CatalogInstance*> sorted;
  for (const CatalogInstance& inst : instances) sorted.push_back(&inst);
  std::sort(sorted.begin(), sorted.end(), [](const CatalogInstance* a, const CatalogInstance* b) {
    return std::make_tuple(a->service, !passing(*a), a->id) <
           std::make_tuple(b->service, !passing(*b), b->id);
  });

  std::vector<TraefikLabels> labels;
  std::map<std::string, Result<Middleware>> middlewares;
  for (const CatalogInstance* inst : sorted) {
    labels.push_back(parse_traefik_tags(inst->tags, settings.traefik));
    for (const std::string& w : labels.back().warnings) routes.warn(inst->service, w);
    for (const auto& [name, decl] : labels.back().middlewares) {
      if (!middlewares.count(name)) middlewares.emplace(name, build_traefik_middleware(decl));
    }
  }

  for (size_t i = 0; i < sorted.size(); ++i) {
    const CatalogInstance& inst = *sorted[i];
    const TraefikLabels& l = labels[i];

    for (const std::string& tag : inst.tags) {
      std::optional<Result<FabioRoute>> fabio = parse_fabio_tag(tag, settings.fabio_prefix);
      if (!fabio) continue;
      if (!fabio->has_value()) {
        routes.warn(inst.service, fabio->error().message() + "; route skipped");
        continue;
      }
      RouteSpec spec = fabio_route_spec(**fabio, inst.service);
      // Words after the route: its options, which every declaration should share.
      std::string options(trim(tag.substr(std::min(tag.size(), tag.find(' ')))));
      if (RouteSpec* existing = routes.find(spec.name)) {
        if (routes.rule_text(spec.name) != options) {
          routes.warn(inst.service, "tag \"" + tag + "\" on instance " + inst.id + " gives route " +
                                        spec.name + " other options than \"" +
                                        routes.rule_text(spec.name) +
                                        "\" elsewhere; the first are used");
        }
        add_backend(*existing, inst, inst.port, 1);
        continue;
      }
      routes.set_rule_text(spec.name, options);
      add_backend(routes.add(std::move(spec)), inst, inst.port, 1);
    }

    if (!l.has_labels || !l.enabled) continue;
    std::map<std::string, TraefikRouter> routers = l.routers;
    if (routers.empty()) routers[inst.service] = TraefikRouter{inst.service, "", {}, {}, ""};
    for (const auto& [router_name, router] : routers) {
      if (std::find(l.bad_routers.begin(), l.bad_routers.end(), router_name) !=
          l.bad_routers.end()) {
        continue;
      }
      std::string name = router_name + "@" + inst.service;
      std::string service_name = router.service;
      if (service_name.empty()) {
        service_name = l.services.size() == 1 ? l.services.begin()->first : inst.service;
      }
      TraefikService lb;
      if (auto it = l.services.find(service_name); it != l.services.end()) {
        lb = it->second;
      } else if (!router.service.empty()) {
        routes.warn(inst.service, "router \"" + router_name + "\" names service \"" + service_name +
                                      "\", which this service's tags do not declare; "
                                      "its instances are used with their registered port");
      }
      uint16_t port = lb.port.value_or(inst.port);
      int weight = lb.weight.value_or(1);
      std::string rule_text =
          router.rule.empty() ? "Host(`" + internal::to_lower(inst.service) + "`)" : router.rule;
      if (RouteSpec* existing = routes.find(name)) {
        if (routes.rule_text(name) != rule_text) {
          routes.warn(inst.service, "router \"" + router_name + "\" has rule \"" + rule_text +
                                        "\" on instance " + inst.id + " but \"" +
                                        routes.rule_text(name) +
                                        "\" elsewhere; the first is used for every instance");
        }
        add_backend(*existing, inst, port, weight);
        continue;
      }
      routes.set_rule_text(name, rule_text);
      RouteSpec spec;
      spec.name = name;
      spec.source = RouteSource::kTraefik;
      spec.service = inst.service;
      spec.priority = router.priority.value_or(0);
      Result<RuleConstSharedPtr> rule = parse_rule(rule_text);
      if (!rule) {
        routes.warn(inst.service, "router \"" + router_name + "\": " + rule.error().message() +
                                      "; route skipped");
        continue;
      }
      spec.rule = *rule;
      bool ok = true;
      for (const std::string& m : router.middlewares) {
        auto it = middlewares.find(m);
        if (it == middlewares.end()) {
          routes.warn(inst.service, "router \"" + router_name + "\" uses middleware \"" + m +
                                        "\", which no service declares; route skipped");
          ok = false;
          break;
        }
        if (!it->second) {
          routes.warn(inst.service, "router \"" + router_name +
                                        "\": " + it->second.error().message() + "; route skipped");
          ok = false;
          break;
        }
        spec.middlewares.push_back(*it->second);
      }
      if (!ok) continue;
      if (lb.strategy) spec.balance.algorithm = *lb.strategy;
      if (spec.balance.algorithm == BalanceAlgorithm::kRingHash ||
          spec.balance.algorithm == BalanceAlgorithm::kMaglev) {
        spec.balance.hash_on.kind = HashOn::Kind::kSourceIp;
      }
      spec.balance.sticky = lb.sticky;
      if (!lb.scheme.empty()) spec.upstream_scheme = lb.scheme;
      add_backend(routes.add(std::move(spec)), inst, port, weight);
    }
  }
  return out;
}

std::vector<RouteSpec> routes_from_ingress(const IngressConfig& config,
                                           const std::vector<CatalogInstance>& instances) {
  std::vector<RouteSpec> out;
  for (const IngressListener& listener : config.listeners) {
    for (const IngressService& svc : listener.services) {
      RouteSpec spec;
      spec.name = "file:" + std::to_string(listener.port) + ":" + svc.name + svc.path_prefix;
      spec.source = RouteSource::kFile;
      spec.service = svc.name;
      spec.priority = svc.priority;
      spec.listener_port = listener.port;
      std::vector<RuleConstSharedPtr> parts;
      bool any_host = svc.hosts.empty() ||
                      std::find(svc.hosts.begin(), svc.hosts.end(), "*") != svc.hosts.end();
      if (!any_host) parts.push_back(rule_host(svc.hosts));
      if (!svc.path_prefix.empty() && svc.path_prefix != "/") {
        parts.push_back(rule_path_prefix(svc.path_prefix));
      }
      spec.rule = rule_and(std::move(parts));
      if (svc.strip_prefix) spec.middlewares.emplace_back(StripPrefix{{svc.path_prefix}});
      if (!svc.prefix_rewrite.empty()) {
        spec.middlewares.emplace_back(ReplacePrefix{svc.path_prefix, svc.prefix_rewrite});
      }
      HeaderRules headers;
      for (const auto& [k, v] : svc.request_headers.set) headers.set_request.push_back({k, v});
      headers.remove_request = svc.request_headers.remove;
      for (const auto& [k, v] : svc.response_headers.set) headers.set_response.push_back({k, v});
      for (const auto& [k, v] : svc.response_headers.add) headers.add_response.push_back({k, v});
      headers.remove_response = svc.response_headers.remove;
      if (!headers.set_request.empty() || !headers.remove_request.empty() ||
          !headers.set_response.empty() || !headers.add_response.empty() ||
          !headers.remove_response.empty()) {
        spec.middlewares.emplace_back(std::move(headers));
      }
      spec.balance = svc.balance;
      auto add_static = [&](const StaticServer& s, bool backup) {
        Backend b;
        b.endpoint = Endpoint{"static:" + s.address + ":" + std::to_string(s.port), svc.name,
                              s.address, s.port};
        b.backup = backup;
        spec.backends.push_back(std::move(b));
      };
      if (!svc.servers.empty()) {
        for (const StaticServer& s : svc.servers) add_static(s, false);
      } else {
        std::vector<const CatalogInstance*> matching;
        for (const CatalogInstance& inst : instances) {
          if (inst.service == svc.name && passing(inst)) matching.push_back(&inst);
        }
        std::sort(matching.begin(), matching.end(),
                  [](const CatalogInstance* a, const CatalogInstance* b) { return a->id < b->id; });
        for (const CatalogInstance* inst : matching) add_backend(spec, *inst, inst->port, 1);
      }
      for (const StaticServer& s : svc.backup_servers) add_static(s, true);
      out.push_back(std::move(spec));
    }
  }
  return out;
}

CatalogDirector::CatalogDirector(IngressConfig config, CatalogDirectorOptions options)
    : config_(std::move(config)), options_([&] {
        if (!options.clock) options.clock = [] { return std::chrono::steady_clock::now(); };
        return std::move(options);
      }()) {
  for (const IngressListener& l : config_.listeners) {
    for (const std::string& text : l.trusted_proxies) {
      if (std::optional<internal::CidrRange> r = internal::parse_cidr(text)) {
        trusted_[l.port].emplace_back(r->base.bytes, r->prefix_bits);
      }
    }
  }
  std::lock_guard lock(writer_mu_);
  rebuild_locked();
}

std::string CatalogDirector::client_scheme(const RequestHead& head,
                                           const ClientInfo& client) const {
  std::string scheme = client.tls ? "https" : "http";
  auto it = trusted_.find(client.listener_port);
  if (it == trusted_.end() || !head.has_header("X-Forwarded-Proto")) return scheme;
  std::optional<internal::IpAddress> ip = internal::parse_ip(client.ip);
  if (!ip) return scheme;
  bool trusted = std::any_of(it->second.begin(), it->second.end(), [&](const auto& range) {
    return internal::CidrRange{internal::IpAddress{range.first}, range.second}.contains(*ip);
  });
  if (!trusted) return scheme;
  // "https, http": the first value is what the outermost proxy saw.
  std::string_view forwarded = head.header("X-Forwarded-Proto");
  std::string proto = internal::to_lower(trim(forwarded.substr(0, forwarded.find(','))));
  return proto == "http" || proto == "https" ? proto : scheme;
}

void CatalogDirector::update(std::vector<CatalogInstance> instances) {
  std::lock_guard lock(writer_mu_);
  instances_ = std::move(instances);
  rebuild_locked();
}

void CatalogDirector::rebuild_locked() {
  std::vector<RouteSpec> specs = routes_from_ingress(config_, instances_);
  CatalogRoutes tagged = routes_from_catalog(instances_, config_.tags);
  for (RouteSpec& s : tagged.routes) specs.push_back(std::move(s));
  table_.store(
      RouteTable::build(std::move(specs), registry_, std::move(tagged.warnings), options_.seed));
}

RouteTableConstSharedPtr CatalogDirector::table() const { return table_.load(); }

Decision CatalogDirector::decide(const RequestHead& head, const ClientInfo& client) {
  RouteTableConstSharedPtr table = table_.load();
  const Route* route = table->match(head, client);
  if (route == nullptr) {
    LocalResponse r;
    r.status = 404;
    r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    r.headers.push_back({"X-Content-Type-Options", "nosniff"});  // the body echoes the request
    std::string host = head.host().empty() ? client.sni : head.host();
    r.body = "no route for " + host + std::string(head.path()) + "\n";
    return r;
  }
  const RouteSpec& spec = route->spec;
  Forward forward;
  forward.route = spec.name;
  forward.service = spec.service;

  RewriteState state;
  state.method = head.method;
  state.scheme = client_scheme(head, client);
  state.host_header = std::string(head.header("Host"));
  if (state.host_header.empty()) state.host_header = client.sni;
  state.path = std::string(head.path());
  state.query = std::string(head.query());
  state.forward = &forward;
  if (std::optional<LocalResponse> redirect = apply_middlewares(spec.middlewares, state)) {
    return std::move(*redirect);
  }
  forward.target = state.target();

  const std::vector<Backend>& backends = spec.backends;
  size_t n = backends.size();
  auto now = options_.clock();
  const int64_t now_ns = to_ns(now);
  // Canaries serve only requests that ask for them; draining instances only
  // the sessions they already have (below). The rest are eligible.
  bool want_canary = route->has_canary && canary_requested(head);
  std::vector<bool> ejected(n), allowed(n, false);
  auto eligible = [&](size_t i) {
    return !backends[i].draining && backends[i].canary == want_canary;
  };
  for (size_t i = 0; i < n; ++i) {
    ejected[i] = backends[i].health && backends[i].health->ejected(now);
  }
  // Tiers: live primaries, then live backups, then (everything ejected) the
  // primaries anyway, or the backups when there are no primaries.
  auto fill = [&](auto pred) {
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      allowed[i] = eligible(i) && pred(i);
      any = any || allowed[i];
    }
    return any;
  };
  auto choose_tier = [&] {
    bool any_primary = false;
    for (size_t i = 0; i < n; ++i) any_primary = any_primary || (eligible(i) && !backends[i].backup);
    return fill([&](size_t i) { return !backends[i].backup && !ejected[i]; }) ||
           fill([&](size_t i) { return backends[i].backup && !ejected[i]; }) ||
           fill([&](size_t i) { return backends[i].backup != any_primary; });
  };
  bool any_allowed = choose_tier();
  if (!any_allowed && want_canary) {
    want_canary = false;  // no canary available: the normal instances
    any_allowed = choose_tier();
  }

  PickContext pick;
  switch (spec.balance.hash_on.kind) {
    case HashOn::Kind::kNone:
      break;
    case HashOn::Kind::kCookie:
      if (std::string v = cookie_value(head, spec.balance.hash_on.name); !v.empty()) {
        pick.hash = hash_key(v);
      }
      break;
    case HashOn::Kind::kHeader:
      if (head.has_header(spec.balance.hash_on.name)) {
        pick.hash = hash_key(head.header(spec.balance.hash_on.name));
      }
      break;
    case HashOn::Kind::kSourceIp:
      if (!client.ip.empty()) pick.hash = hash_key(client.ip);
      break;
  }

  // The request's session: its hash key, or for a sticky cookie the client's
  // address with its whole Cookie header (the cookie alone names the instance,
  // not the session).
  std::optional<uint64_t> session = pick.hash;
  std::string sticky_value;
  if (spec.balance.sticky) {
    sticky_value = cookie_value(head, route->sticky_cookie_name);
    if (!sticky_value.empty()) session = hash_key(head.header("Cookie"), hash_key(client.ip));
  }
  // A draining instance keeps a session seen on it within the idle timeout.
  const int64_t live_since = now_ns - config_.traffic.session_idle_timeout.count();
  auto keeps_session = [&](size_t i) {
    if (!backends[i].draining || ejected[i] || !session || !backends[i].health) return false;
    const SessionTable* sessions = backends[i].health->sessions_if_any();
    return sessions != nullptr && sessions->seen_since(*session, live_since);
  };

  std::optional<size_t> chosen;
  bool sticky_hit = false;
  if (!sticky_value.empty()) {
    for (size_t i = 0; i < n; ++i) {
      if (route->sticky_values[i] != sticky_value) continue;
      if (allowed[i] || keeps_session(i)) {
        chosen = i;
        sticky_hit = true;
      }
      break;
    }
  }
  if (!chosen && pick.hash && route->has_draining) {
    // Where the key lived before the drain: if that instance is draining and
    // the session is live there, it stays; otherwise it moves as if the
    // instance had left (the ring moves only its keys).
    std::vector<bool> with_draining = allowed;
    for (size_t i = 0; i < n; ++i) with_draining[i] = with_draining[i] || keeps_session(i);
    std::optional<size_t> home = route->balancer->alternative(pick, with_draining);
    if (home && !allowed[*home]) chosen = home;
  }
  if (!chosen && !any_allowed) {
    LocalResponse r;
    r.status = 503;
    r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    r.headers.push_back({"X-Content-Type-Options", "nosniff"});  // the body echoes the request
    r.body = "no available instance for route " + spec.name + " (service " + spec.service + ")\n";
    return r;
  }
  if (!chosen) chosen = route->balancer->pick(pick, allowed);
  if (!chosen) {  // cannot happen: allowed is not empty
    chosen = static_cast<size_t>(std::find(allowed.begin(), allowed.end(), true) - allowed.begin());
  }
  if (route->session_affinity && session && backends[*chosen].health) {
    backends[*chosen].health->sessions().touch(*session, now_ns);
  }
  forward.candidates.push_back(backends[*chosen].endpoint);
  // A Fabio route may span several services: name the one chosen.
  forward.service = forward.candidates.front().service;

  // Alternatives for retries: more of the same tier first, then any live
  // eligible backend.
  std::vector<bool> used(n, false);
  used[*chosen] = true;
  for (int tier = 0; tier < 2 && forward.candidates.size() < 3; ++tier) {
    while (forward.candidates.size() < 3) {
      std::vector<bool> mask(n);
      for (size_t i = 0; i < n; ++i) {
        mask[i] = !used[i] && (tier == 0 ? bool(allowed[i]) : eligible(i) && !ejected[i]);
      }
      std::optional<size_t> alt = route->balancer->alternative(pick, mask);
      if (!alt) break;
      used[*alt] = true;
      forward.candidates.push_back(backends[*alt].endpoint);
    }
  }

  if (state.host_to_destination) {
    const Endpoint& e = forward.candidates.front();
    bool v6 = e.address.find(':') != std::string::npos;
    std::string host = (v6 ? "[" + e.address + "]" : e.address) + ":" + std::to_string(e.port);
    forward.set_request_headers.push_back({"Host", host});
  }
  if (spec.balance.sticky && !sticky_hit) {
    forward.add_response_headers.push_back(
        {"Set-Cookie", set_cookie(route->sticky_cookie_name, route->sticky_values[*chosen],
                                  *spec.balance.sticky)});
  }
  return forward;
}

bool CatalogDirector::canary_requested(const RequestHead& head) const {
  const TrafficSettings& traffic = config_.traffic;
  return !traffic.canary_header.empty() &&
         internal::iequals(head.header(traffic.canary_header), traffic.canary_value);
}

void CatalogDirector::on_upstream_connection(const std::string& instance_id, bool opened) {
  RouteTableConstSharedPtr table = table_.load();
  EndpointHealth* h = table->health(instance_id);
  if (h == nullptr) return;
  if (opened) {
    h->connection_opened();
  } else {
    h->connection_closed();
  }
}

std::vector<InstanceLoad> CatalogDirector::draining_load() const {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(writer_mu_);
    for (const CatalogInstance& inst : instances_) {
      if (inst.draining) ids.push_back(inst.id);
    }
  }
  RouteTableConstSharedPtr table = table_.load();
  const int64_t live_since =
      to_ns(options_.clock()) - config_.traffic.session_idle_timeout.count();
  std::vector<InstanceLoad> out;
  for (const std::string& id : ids) {
    InstanceLoad load;
    load.instance_id = id;
    if (const EndpointHealth* h = table->health(id)) {
      load.active_requests = h->in_flight();
      load.connections = std::max(0, h->connections());
      if (const SessionTable* sessions = h->sessions_if_any()) {
        load.sessions = sessions->live(live_since);
      }
    }
    out.push_back(std::move(load));
  }
  return out;
}

void CatalogDirector::on_attempt_start(const Endpoint& endpoint) {
  RouteTableConstSharedPtr table = table_.load();
  if (EndpointHealth* h = table->health(endpoint.instance_id)) h->attempt_started();
}

void CatalogDirector::on_attempt_end(const Endpoint& endpoint, const Outcome& outcome) {
  RouteTableConstSharedPtr table = table_.load();
  if (EndpointHealth* h = table->health(endpoint.instance_id)) {
    h->attempt_ended(outcome, options_.clock(), options_.ejection);
  }
}

}  // namespace caravan::proxy
