// The Consul-compatible read subset of the catalog, so tools written for
// Consul (Prometheus consul_sd, Fabio, Traefik's consulCatalog) read caravan
// unchanged: /v1/catalog/services, /v1/catalog/service/:name,
// /v1/health/service/:name (?passing, ?tag=), /v1/health/state/:state and
// /v1/health/checks/:name, as blocking queries with X-Consul-Index.
// (/v1/agent/self and /v1/status/leader are served in agent_endpoints.cc for
// both dialects.)
#include <fmt/format.h>

#include <set>

#include "api/catalog_json.h"
#include "api/query.h"
#include "api/routes.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

// Consul's namespace parameter is `ns` (Enterprise); Nomad's is `namespace`.
std::string consul_namespace(const http::Request& request) {
  if (auto ns = request.query("ns"); ns && !ns->empty()) return std::string(*ns);
  if (auto ns = request.query("namespace"); ns && !ns->empty()) return std::string(*ns);
  return "default";
}

bool state_matches(std::string_view wanted, std::string_view status) {
  return wanted == "any" || wanted == status;
}

}  // namespace

void add_consul_routes(http::Router& router, const ApiContext& context) {
  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();

  router.add("GET", "/v1/catalog/services", [&store](const http::Request& request, const http::RouteParams&) {
    std::string ns = consul_namespace(request);
    return blocking_read(request, store, state::Table::kServices,
                         [ns](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           return service_tags(state.services(ns));
                         });
  });

  router.add("GET", "/v1/catalog/service/:name", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string ns = consul_namespace(request);
    std::string name(p.get("name"));
    InstanceFilter filter = InstanceFilter::from(request);
    filter.passing_only = false;  // not a catalog parameter
    return blocking_read(request, store, one_service_index(ns, name),
                         [ns, name, filter](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::ServicePtr& instance : filtered_instances(state, ns, name, filter)) {
                             state::NodePtr node = state.node(instance->node_id);
                             out.push_back(consul_catalog_entry(*instance, node.get()));
                           }
                           return out;
                         });
  });

  router.add("GET", "/v1/health/service/:name", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string ns = consul_namespace(request);
    std::string name(p.get("name"));
    InstanceFilter filter = InstanceFilter::from(request);
    return blocking_read(request, store, one_service_index(ns, name),
                         [ns, name, filter](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::ServicePtr& instance : filtered_instances(state, ns, name, filter)) {
                             state::NodePtr node = state.node(instance->node_id);
                             out.push_back(consul_health_entry(*instance, node.get()));
                           }
                           return out;
                         });
  });

  router.add("GET", "/v1/health/checks/:name", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string ns = consul_namespace(request);
    std::string name(p.get("name"));
    return blocking_read(request, store, one_service_index(ns, name),
                         [ns, name](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::ServicePtr& instance : state.service(ns, name)) {
                             state::NodePtr node = state.node(instance->node_id);
                             for (Json& check : consul_checks(*instance, node.get())) out.push_back(std::move(check));
                           }
                           return out;
                         });
  });

  router.add("GET", "/v1/health/state/:state", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string wanted(p.get("state"));
    if (wanted != "any" && wanted != "passing" && wanted != "warning" && wanted != "critical") {
      return http::error_response(400, fmt::format("Invalid state \"{}\": use any, passing, warning or critical", wanted));
    }
    std::string ns = consul_namespace(request);
    return blocking_read(request, store, state::Table::kServices,
                         [ns, wanted](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           Json out = Json::array();
                           std::set<std::string> nodes_seen;
                           for (const state::ServicePtr& instance : state.services(ns)) {
                             state::NodePtr node = state.node(instance->node_id);
                             if (node && nodes_seen.insert(node->id).second) {
                               Json serf = consul_serf_health(*node);
                               if (state_matches(wanted, serf["Status"].get<std::string>())) out.push_back(std::move(serf));
                             }
                             for (Json& check : consul_checks(*instance, node.get())) {
                               if (state_matches(wanted, check["Status"].get<std::string>())) out.push_back(std::move(check));
                             }
                           }
                           return out;
                         });
  });
}

}  // namespace caravan::api
