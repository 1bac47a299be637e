// Nomad's service discovery endpoints — GET /v1/services, GET and DELETE
// /v1/service/:name[/:id] — caravan's GET /v1/catalog/instances (every
// instance with its checks in one blocking query: what the ingress follows),
// and the ones client agents use to register and deregister the instances of
// their allocations. Reads are blocking queries:
// the list on the catalog's index, one service on that service's own index.
#include <fmt/format.h>

#include "api/catalog_json.h"
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

  router.add("GET", "/v1/service/:name", [&store](const http::Request& request, const http::RouteParams& p) {
    Result<QueryOptions> options = parse_query_options(request);
    if (!options) return http::error_response(options.error());
    Result<std::optional<std::string>> tag = parse_tag_filter(request);
    if (!tag) return http::error_response(tag.error());
    InstanceFilter filter = InstanceFilter::from(request);
    if (*tag) filter.tags.push_back(**tag);
    std::string name(p.get("name"));
    return blocking_read(
        request, store, one_service_index(options->namespace_name, name),
        [name, filter](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
          Json out = Json::array();
          for (const state::ServicePtr& instance :
               filtered_instances(state, q.namespace_name, name, filter)) {
            out.push_back(model::to_json(*instance));
          }
          return out;
        });
  });

  router.add("GET", "/v1/catalog/instances", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(
        request, store, state::Table::kServices,
        [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
          Json out = Json::array();
          for (const state::ServicePtr& instance : state.services(q.namespace_name == "*" ? "" : q.namespace_name)) {
            out.push_back(model::to_json(*instance));
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
