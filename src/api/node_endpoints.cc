// /v1/nodes, /v1/node/:id[/allocations] for users, and the endpoints client
// agents use: register, heartbeat, watch their allocations (a blocking query)
// and report on them. Client calls carry the node's secret in a header.
#include <fmt/format.h>

#include "api/node_drain_request.h"
#include "api/query.h"
#include "api/routes.h"
#include "api/stubs.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

int64_t ttl_ns(std::chrono::milliseconds ttl) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ttl).count();
}

}  // namespace

void add_node_routes(http::Router& router, const ApiContext& context) {
  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();

  router.add("GET", "/v1/nodes", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(request, store, state::Table::kNodes,
                         [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::NodePtr& node : state.nodes()) {
                             if (node->id.starts_with(q.prefix)) out.push_back(node_list_stub(*node));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/node/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kNodes,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           state::NodePtr node = state.node(id);
                           if (!node) return not_found("node not found");
                           return public_node(*node);
                         });
  });
  router.add("GET", "/v1/node/:id/allocations", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kAllocs,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::AllocPtr& alloc : state.allocs_by_node(id)) {
                             out.push_back(model::to_json(*alloc));
                           }
                           return out;
                         });
  });

  // ---- operators: drain and eligibility
  for (const char* method : {"POST", "PUT"}) {
    router.add(
        method, "/v1/node/:id/drain",
        [server](const http::Request& request, const http::RouteParams& p) {
          Result<nlohmann::json> body = parse_body(request);
          if (!body) return http::error_response(body.error());
          Result<DrainRequest> drain = parse_drain_request(*body);
          if (!drain) return http::error_response(drain.error());
          Result<int64_t> index =
              server->drain_node(std::string(p.get("id")), std::move(drain->strategy),
                                 drain->mark_eligible, std::move(drain->meta));
          if (!index) return http::error_response(index.error());
          return json_with_index(
              Json{{"EvalCreateIndex", *index}, {"NodeModifyIndex", *index}, {"Index", *index}},
              *index);
        });
    router.add(
        method, "/v1/node/:id/eligibility",
        [server](const http::Request& request, const http::RouteParams& p) {
          Result<nlohmann::json> body = parse_body(request);
          if (!body) return http::error_response(body.error());
          Result<std::string> eligibility = parse_eligibility_request(*body);
          if (!eligibility) return http::error_response(eligibility.error());
          Result<int64_t> index =
              server->set_node_eligibility(std::string(p.get("id")), *eligibility);
          if (!index) return http::error_response(index.error());
          return json_with_index(
              Json{{"EvalCreateIndex", *index}, {"NodeModifyIndex", *index}, {"Index", *index}},
              *index);
        });
  }

  // ---- client agents
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/v1/client/node/register", [server](const http::Request& request, const http::RouteParams&) {
      Result<nlohmann::json> body = parse_body(request);
      if (!body) return http::error_response(body.error());
      auto node_json = body->find("Node");
      if (node_json == body->end()) return http::error_response(400, "the request body has no \"Node\"");
      Result<model::Node> node = model::from_json<model::Node>(*node_json, "Node");
      if (!node) return http::error_response(node.error());
      Result<std::chrono::milliseconds> ttl = server->register_node(std::move(*node));
      if (!ttl) return http::error_response(ttl.error());
      int64_t index = server->state().index();
      return json_with_index(Json{{"HeartbeatTTL", ttl_ns(*ttl)}, {"Index", index}}, index);
    });
    router.add(method, "/v1/client/node/:id/heartbeat", [server](const http::Request& request, const http::RouteParams& p) {
      Result<std::chrono::milliseconds> ttl = server->heartbeat(std::string(p.get("id")), node_secret(request));
      if (!ttl) return http::error_response(ttl.error());
      int64_t index = server->state().index();
      return json_with_index(Json{{"HeartbeatTTL", ttl_ns(*ttl)}, {"Index", index}}, index);
    });
    router.add(method, "/v1/client/node/:id/allocations/update",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 std::vector<model::Allocation> allocs;
                 const nlohmann::json& list = (*body)["Allocs"];
                 if (!list.is_array()) return http::error_response(400, "\"Allocs\" must be a list");
                 for (size_t i = 0; i < list.size(); ++i) {
                   Result<model::Allocation> alloc =
                       model::from_json<model::Allocation>(list[i], fmt::format("Allocs[{}]", i));
                   if (!alloc) return http::error_response(alloc.error());
                   allocs.push_back(std::move(*alloc));
                 }
                 Status status = server->update_allocs_from_client(std::string(p.get("id")),
                                                                   node_secret(request), std::move(allocs));
                 if (!status.is_ok()) return http::error_response(status);
                 int64_t index = server->state().index();
                 return json_with_index(Json{{"Index", index}}, index);
               });
  }
  router.add("GET", "/v1/client/node/:id/allocations",
             [&store](const http::Request& request, const http::RouteParams& p) {
               std::string id(p.get("id"));
               state::NodePtr node = store.snapshot()->node(id);
               if (!node) return http::error_response(404, fmt::format("node {} is not registered", id));
               if (node->secret_id != node_secret(request)) {
                 return http::error_response(403, fmt::format("wrong secret for node {}", id));
               }
               return blocking_read(request, store, state::Table::kAllocs,
                                    [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                                      Json out = Json::array();
                                      for (const state::AllocPtr& alloc : state.allocs_by_node(id)) {
                                        out.push_back(model::to_json(*alloc));
                                      }
                                      return out;
                                    });
             });
}

}  // namespace caravan::api
