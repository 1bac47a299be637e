// Nomad's service discovery endpoints — GET /v1/services, GET and DELETE
// /v1/service/:name[/:id] — caravan's GET /v1/catalog/instances (every
// instance with its checks in one blocking query: what the ingress follows),
// and the ones client agents use to register and deregister the instances of
// their allocations. Reads are blocking queries:
// the list on the catalog's index, one service on that service's own index.
#include <fmt/format.h>

#include <chrono>

#include "api/catalog_json.h"
#include "core/duration.h"
#include "api/query.h"
#include "api/routes.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

// The `filter` expression Traefik's Nomad provider sends when
// exposedByDefault is off: `Tags contains "x"`. Nothing else is supported
// (InvalidArgument names the expression).
Result<std::optional<std::string>> parse_tag_filter(const http::Request& request) {
  auto filter = request.query("filter");
  if (!filter || filter->empty()) return std::optional<std::string>();
  std::string_view text = *filter;
  constexpr std::string_view kPrefix = "Tags contains ";
  if (text.starts_with(kPrefix)) {
    std::string_view value = text.substr(kPrefix.size());
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      return std::optional<std::string>(std::string(value.substr(1, value.size() - 2)));
    }
  }
  return invalid_argument(fmt::format(
      "filter \"{}\" is not supported: only `Tags contains \"<tag>\"` is", text));
}

// What the live ingresses report about a draining instance.
Json traffic_json(const server::InstanceTraffic& t) {
  return Json{{"Ingresses", t.ingresses},          {"IngressesBehind", t.behind},
              {"ActiveRequests", t.active_requests}, {"Connections", t.connections},
              {"Sessions", t.sessions},              {"Idle", t.idle()}};
}

// An instance as the catalog API shows it: the registration, and for a
// draining one what the ingresses still route to it ("Traffic").
Json instance_json(const model::ServiceRegistration& instance, const server::Server& server) {
  Json out = model::to_json(instance);
  if (instance.draining) {
    out["Traffic"] = traffic_json(server.ingress_reports().traffic(
        instance.id, instance.modify_index, std::chrono::steady_clock::now()));
  }
  return out;
}

// Body of PUT /v1/ingress/:id/report: {"CatalogIndex": N, "TTL": "10s",
// "Instances": [{"ID", "ActiveRequests", "Connections", "Sessions"}]}.
Result<std::pair<server::IngressReport, Duration>> parse_report(const nlohmann::json& body,
                                                                std::string ingress_id) {
  server::IngressReport report;
  report.ingress_id = std::move(ingress_id);
  auto number = [](const nlohmann::json& j, const char* key) -> Result<int64_t> {
    if (!j.contains(key)) return int64_t{0};
    if (!j[key].is_number_integer()) {
      return invalid_argument(fmt::format("\"{}\" must be a whole number", key));
    }
    return j[key].get<int64_t>();
  };
  report.catalog_index = CARAVAN_TRY(number(body, "CatalogIndex"));
  Duration ttl = std::chrono::seconds(10);
  if (body.contains("TTL")) {
    if (!body["TTL"].is_string()) {
      return invalid_argument("\"TTL\" must be a duration such as \"10s\"");
    }
    ttl = CARAVAN_TRY(parse_duration(body["TTL"].get<std::string>()));
    if (ttl <= Duration::zero() || ttl > std::chrono::minutes(10)) {
      return invalid_argument("\"TTL\" must be between 0 and 10m, e.g. \"10s\"");
    }
  }
  const nlohmann::json& list = body.contains("Instances") ? body["Instances"] : nlohmann::json::array();
  if (!list.is_array()) return invalid_argument("\"Instances\" must be a list");
  for (const nlohmann::json& item : list) {
    if (!item.is_object() || !item.contains("ID") || !item["ID"].is_string()) {
      return invalid_argument("each of \"Instances\" needs an \"ID\" string");
    }
    server::IngressInstanceLoad load;
    load.instance_id = item["ID"].get<std::string>();
    load.active_requests = CARAVAN_TRY(number(item, "ActiveRequests"));
    load.connections = CARAVAN_TRY(number(item, "Connections"));
    load.sessions = CARAVAN_TRY(number(item, "Sessions"));
    report.instances.push_back(std::move(load));
  }
  return std::make_pair(std::move(report), ttl);
}

}  // namespace

void add_service_routes(http::Router& router, const ApiContext& context) {
  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();

  router.add("GET", "/v1/services", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(
        request, store, state::Table::kServices,
        [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
          std::map<std::string, std::vector<state::ServicePtr>> by_namespace;
          std::string ns = q.namespace_name == "*" ? "" : q.namespace_name;
          for (state::ServicePtr& instance : state.services(ns)) {
            by_namespace[instance->namespace_name].push_back(std::move(instance));
          }
          Json out = Json::array();
          for (const auto& [name_space, instances] : by_namespace) {
            Json services = Json::array();
            Json tags_by_name = service_tags(instances);
            for (const auto& [name, tags] : tags_by_name.items()) {
              services.push_back(Json{{"ServiceName", name}, {"Tags", tags}});
            }
            out.push_back(Json{{"Namespace", name_space}, {"Services", std::move(services)}});
          }
          return out;
        });
  });

  router.add("GET", "/v1/service/:name", [&store, server](const http::Request& request, const http::RouteParams& p) {
    Result<QueryOptions> options = parse_query_options(request);
    if (!options) return http::error_response(options.error());
    Result<std::optional<std::string>> tag = parse_tag_filter(request);
    if (!tag) return http::error_response(tag.error());
    InstanceFilter filter = InstanceFilter::from(request);
    if (*tag) filter.tags.push_back(**tag);
    std::string name(p.get("name"));
    return blocking_read(
        request, store, one_service_index(options->namespace_name, name),
        [name, filter, server](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
          Json out = Json::array();
          for (const state::ServicePtr& instance :
               filtered_instances(state, q.namespace_name, name, filter)) {
            out.push_back(instance_json(*instance, *server));
          }
          return out;
        });
  });

  router.add("GET", "/v1/catalog/instances", [&store, server](const http::Request& request, const http::RouteParams&) {
    return blocking_read(
        request, store, state::Table::kServices,
        [server](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
          Json out = Json::array();
          for (const state::ServicePtr& instance : state.services(q.namespace_name == "*" ? "" : q.namespace_name)) {
            out.push_back(instance_json(*instance, *server));
          }
          return out;
        });
  });

  router.add("DELETE", "/v1/service/:name/:id", [server](const http::Request& request, const http::RouteParams& p) {
    Result<QueryOptions> options = parse_query_options(request);
    if (!options) return http::error_response(options.error());
    Status status = server->delete_service(options->namespace_name, std::string(p.get("name")),
                                           std::string(p.get("id")));
    if (!status.is_ok()) return http::error_response(status);
    return json_with_index(Json::object(), server->state().index());
  });

  // ---- ingresses: the load of draining instances, kept in memory with a TTL
  router.add("PUT", "/v1/ingress/:id/report", [server](const http::Request& request, const http::RouteParams& p) {
    Result<nlohmann::json> body = parse_body(request);
    if (!body) return http::error_response(body.error());
    auto report = parse_report(*body, std::string(p.get("id")));
    if (!report) return http::error_response(report.error());
    server->ingress_reports().put(std::move(report->first), report->second,
                                  std::chrono::steady_clock::now());
    return json_with_index(Json::object(), server->state().index());
  });
  // Whether the live ingresses still route to an allocation's draining
  // instances: {"Idle", "Ingresses", "CatalogIndex", "IngressIndex",
  // "Instances": [{"ID", "Draining", "Traffic"}]}. The client polls it before
  // it deregisters the instances, then until IngressIndex (the lowest catalog
  // index a live ingress applied; -1 = none live) reaches the CatalogIndex of
  // its deregistration, before it signals the allocation's tasks.
  router.add("GET", "/v1/ingress/traffic", [server](const http::Request& request, const http::RouteParams&) {
    auto alloc = request.query("alloc");
    if (!alloc || alloc->empty()) {
      return http::error_response(400, "missing ?alloc=<allocation id>: whose instances to report");
    }
    auto now = std::chrono::steady_clock::now();
    state::StateViewPtr state = server->state().snapshot();
    Json instances = Json::array();
    bool idle = true;
    for (const state::ServicePtr& instance : state->services("")) {
      if (instance->alloc_id != *alloc) continue;
      server::InstanceTraffic t =
          server->ingress_reports().traffic(instance->id, instance->modify_index, now);
      // Not draining yet (the client's mark is on its way): not idle.
      idle = idle && instance->draining && t.idle();
      instances.push_back(Json{{"ID", instance->id}, {"Draining", instance->draining},
                               {"Traffic", traffic_json(t)}});
    }
    return json_with_index(Json{{"Idle", idle},
                                {"Ingresses", server->ingress_reports().live(now)},
                                {"CatalogIndex", state->table_index(state::Table::kServices)},
                                {"IngressIndex", server->ingress_reports().min_catalog_index(now)},
                                {"Instances", instances}},
                           state->index());
  });

  // ---- client agents
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/v1/client/node/:id/services",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 const nlohmann::json& list = (*body)["Services"];
                 if (!list.is_array()) return http::error_response(400, "\"Services\" must be a list");
                 std::vector<model::ServiceRegistration> instances;
                 for (size_t i = 0; i < list.size(); ++i) {
                   Result<model::ServiceRegistration> instance =
                       model::from_json<model::ServiceRegistration>(list[i],
                                                                    fmt::format("Services[{}]", i));
                   if (!instance) return http::error_response(instance.error());
                   instances.push_back(std::move(*instance));
                 }
                 Status status = server->upsert_services_from_client(
                     std::string(p.get("id")), node_secret(request), std::move(instances));
                 if (!status.is_ok()) return http::error_response(status);
                 int64_t index = server->state().index();
                 return json_with_index(Json{{"Index", index}}, index);
               });
    router.add(method, "/v1/client/node/:id/services/deregister",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 const nlohmann::json& list = (*body)["AllocIDs"];
                 if (!list.is_array()) return http::error_response(400, "\"AllocIDs\" must be a list");
                 std::vector<std::string> alloc_ids;
                 for (const nlohmann::json& id : list) {
                   if (!id.is_string()) return http::error_response(400, "\"AllocIDs\" must hold strings");
                   alloc_ids.push_back(id.get<std::string>());
                 }
                 Status status = server->deregister_services_from_client(
                     std::string(p.get("id")), node_secret(request), std::move(alloc_ids));
                 if (!status.is_ok()) return http::error_response(status);
                 int64_t index = server->state().index();
                 return json_with_index(Json{{"Index", index}}, index);
               });
  }
}

}  // namespace caravan::api
