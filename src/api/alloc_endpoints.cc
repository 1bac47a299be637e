// /v1/allocations, /v1/allocation/:id[/stop], and the client-side allocation
// endpoints (/v1/client/fs/logs/:alloc, /v1/client/allocation/:id/restart).
#include <fmt/format.h>

#include "api/query.h"
#include "api/routes.h"
#include "api/stubs.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

void add_alloc_routes(http::Router& router, const ApiContext& context) {
  if (context.client != nullptr) {
    ClientServices* client = context.client;
    router.add("GET", "/v1/client/fs/logs/:alloc",
               [client](const http::Request& request, const http::RouteParams& p) {
                 return client->task_logs(request, std::string(p.get("alloc")));
               });
    for (const char* method : {"POST", "PUT"}) {
      router.add(method, "/v1/client/allocation/:id/restart",
                 [client](const http::Request& request, const http::RouteParams& p) {
                   std::string task;
                   if (!request.body.empty()) {
                     Result<nlohmann::json> body = parse_body(request);
                     if (!body) return http::error_response(body.error());
                     task = body->value("TaskName", std::string());
                   }
                   Status status = client->restart_alloc(std::string(p.get("id")), task);
                   if (!status.is_ok()) return http::error_response(status);
                   return http::json_response(200, "{}");
                 });
    }
  }

  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();
  router.add("GET", "/v1/allocations", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(request, store, state::Table::kAllocs,
                         [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::AllocPtr& alloc : state.allocs()) {
                             if (!alloc->id.starts_with(q.prefix)) continue;
                             if (q.namespace_name != "*" && alloc->namespace_name != q.namespace_name) continue;
                             out.push_back(alloc_list_stub(*alloc));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/allocation/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kAllocs,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           state::AllocPtr alloc = state.alloc(id);
                           if (!alloc) return not_found("alloc not found");
                           return model::to_json(*alloc);
                         });
  });
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/v1/allocation/:id/stop", [server](const http::Request&, const http::RouteParams& p) {
      Result<std::string> eval = server->stop_alloc(std::string(p.get("id")));
      if (!eval) return http::error_response(eval.error());
      int64_t index = server->state().index();
      return json_with_index(Json{{"EvalID", *eval}, {"Index", index}}, index);
    });
  }
}

}  // namespace caravan::api
