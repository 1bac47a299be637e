// /v1/evaluations, /v1/evaluation/:id and /v1/evaluation/:id/allocations.
#include "api/query.h"
#include "api/routes.h"
#include "api/stubs.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

void add_eval_routes(http::Router& router, const ApiContext& context) {
  if (context.server == nullptr) return;
  state::StateStore& store = context.server->state();
  router.add("GET", "/v1/evaluations", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(request, store, state::Table::kEvals,
                         [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::EvalPtr& eval : state.evals()) {
                             if (!eval->id.starts_with(q.prefix)) continue;
                             if (q.namespace_name != "*" && eval->namespace_name != q.namespace_name) continue;
                             out.push_back(model::to_json(*eval));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/evaluation/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kEvals,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           state::EvalPtr eval = state.eval(id);
                           if (!eval) return not_found("eval not found");
                           return model::to_json(*eval);
                         });
  });
  router.add("GET", "/v1/evaluation/:id/allocations",
             [&store](const http::Request& request, const http::RouteParams& p) {
               std::string id(p.get("id"));
               return blocking_read(request, store, state::Table::kAllocs,
                                    [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                                      state::EvalPtr eval = state.eval(id);
                                      if (!eval) return not_found("eval not found");
                                      Json out = Json::array();
                                      for (const state::AllocPtr& alloc :
                                           state.allocs_by_job(eval->namespace_name, eval->job_id)) {
                                        if (alloc->eval_id == id) out.push_back(alloc_list_stub(*alloc));
                                      }
                                      return out;
                                    });
             });
}

}  // namespace caravan::api
