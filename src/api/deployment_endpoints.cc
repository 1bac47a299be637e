// Nomad's deployment endpoints: /v1/deployments, /v1/deployment/:id,
// /v1/deployment/allocations/:id, promote, fail, pause and allocation-health
// (POST or PUT), and the job's /v1/job/:id/deployments, /v1/job/:id/deployment
// /v1/job/:id/revert and /v1/job/:id/stable.
#include <fmt/format.h>

#include "api/query.h"
#include "api/routes.h"
#include "api/stubs.h"
#include "model/model_json.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

std::string namespace_of(const QueryOptions& q) {
  return q.namespace_name == "*" ? "default" : q.namespace_name;
}

// Nomad's answer to a deployment write.
http::Response write_response(server::Server& server, const Result<std::string>& eval_id) {
  if (!eval_id) return http::error_response(eval_id.error());
  int64_t index = server.state().index();
  return json_with_index(Json{{"EvalID", *eval_id},
                              {"EvalCreateIndex", index},
                              {"DeploymentModifyIndex", index},
                              {"Index", index}},
                         index);
}

// A list of strings at `key` of a request body (absent = empty).
Result<std::vector<std::string>> string_list(const nlohmann::json& body, const char* key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return invalid_argument(fmt::format("\"{}\" must be a list of strings", key));
  for (const nlohmann::json& item : *it) {
    if (!item.is_string()) {
      return invalid_argument(fmt::format("\"{}\" must be a list of strings", key));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<bool> boolean(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) return invalid_argument(fmt::format("\"{}\" must be true or false", key));
  return it->get<bool>();
}

// The body's "JobVersion": the job version a revert or a stability mark names.
Result<int64_t> job_version(const nlohmann::json& body, const char* what) {
  auto version = body.find("JobVersion");
  if (version == body.end() || !version->is_number_integer()) {
    return invalid_argument(fmt::format("the request body needs \"JobVersion\": {}", what));
  }
  return version->get<int64_t>();
}

void add_deployment_writes(http::Router& router, server::Server* server) {
  for (const char* method : {"POST", "PUT"}) {
    router.add(method, "/v1/deployment/promote/:id",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 Result<bool> all = boolean(*body, "All");
                 if (!all) return http::error_response(all.error());
                 Result<std::vector<std::string>> groups = string_list(*body, "Groups");
                 if (!groups) return http::error_response(groups.error());
                 return write_response(*server, server->promote_deployment(
                                                    std::string(p.get("id")), *all, *groups));
               });
    router.add(method, "/v1/deployment/fail/:id",
               [server](const http::Request&, const http::RouteParams& p) {
                 return write_response(*server, server->fail_deployment(std::string(p.get("id"))));
               });
    router.add(method, "/v1/deployment/pause/:id",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 Result<bool> pause = boolean(*body, "Pause");
                 if (!pause) return http::error_response(pause.error());
                 return write_response(
                     *server, server->pause_deployment(std::string(p.get("id")), *pause));
               });
    router.add(method, "/v1/deployment/allocation-health/:id",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 Result<std::vector<std::string>> healthy =
                     string_list(*body, "HealthyAllocationIDs");
                 if (!healthy) return http::error_response(healthy.error());
                 Result<std::vector<std::string>> unhealthy =
                     string_list(*body, "UnhealthyAllocationIDs");
                 if (!unhealthy) return http::error_response(unhealthy.error());
                 return write_response(*server, server->set_deployment_alloc_health(
                                                    std::string(p.get("id")), *healthy, *unhealthy));
               });
    router.add(method, "/v1/job/:id/revert",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<QueryOptions> q = parse_query_options(request);
                 if (!q) return http::error_response(q.error());
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 Result<int64_t> version = job_version(*body, "the version to revert to");
                 if (!version) return http::error_response(version.error());
                 std::optional<int64_t> prior;
                 auto enforce = body->find("EnforcePriorVersion");
                 if (enforce != body->end() && !enforce->is_null()) {
                   if (!enforce->is_number_integer()) {
                     return http::error_response(400, "\"EnforcePriorVersion\" must be a number");
                   }
                   prior = enforce->get<int64_t>();
                 }
                 Result<server::RegisterJobResult> r = server->revert_job(
                     namespace_of(*q), std::string(p.get("id")), *version, prior);
                 if (!r) return http::error_response(r.error());
                 return json_with_index(Json{{"EvalID", r->eval_id},
                                             {"EvalCreateIndex", r->eval_create_index},
                                             {"JobModifyIndex", r->job_modify_index},
                                             {"Index", r->index}},
                                        r->index);
               });
    router.add(method, "/v1/job/:id/stable",
               [server](const http::Request& request, const http::RouteParams& p) {
                 Result<QueryOptions> q = parse_query_options(request);
                 if (!q) return http::error_response(q.error());
                 Result<nlohmann::json> body = parse_body(request);
                 if (!body) return http::error_response(body.error());
                 Result<int64_t> version = job_version(*body, "the version to mark");
                 if (!version) return http::error_response(version.error());
                 Result<bool> stable = boolean(*body, "Stable");
                 if (!stable) return http::error_response(stable.error());
                 Result<int64_t> index = server->set_job_stability(
                     namespace_of(*q), std::string(p.get("id")), *version, *stable);
                 if (!index) return http::error_response(index.error());
                 return json_with_index(Json{{"Index", *index}, {"JobModifyIndex", *index}}, *index);
               });
  }
}

}  // namespace

void add_deployment_routes(http::Router& router, const ApiContext& context) {
  server::Server* server = context.server;
  if (server == nullptr) return;
  state::StateStore& store = server->state();
  router.add("GET", "/v1/deployments", [&store](const http::Request& request, const http::RouteParams&) {
    return blocking_read(request, store, state::Table::kDeployments,
                         [](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           std::string ns = q.namespace_name == "*" ? "" : q.namespace_name;
                           for (const state::DeploymentPtr& d : state.deployments(ns)) {
                             if (!d->id.starts_with(q.prefix)) continue;
                             out.push_back(model::to_json(*d));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/deployment/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kDeployments,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           state::DeploymentPtr d = state.deployment(id);
                           if (d == nullptr) return not_found("deployment not found");
                           return model::to_json(*d);
                         });
  });
  router.add("GET", "/v1/deployment/allocations/:id", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kAllocs,
                         [id](const state::StateView& state, const QueryOptions&) -> Result<Json> {
                           state::DeploymentPtr d = state.deployment(id);
                           if (d == nullptr) return not_found("deployment not found");
                           Json out = Json::array();
                           for (const state::AllocPtr& alloc :
                                state.allocs_by_job(d->namespace_name, d->job_id)) {
                             if (alloc->deployment_id == id) out.push_back(alloc_list_stub(*alloc));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/job/:id/deployments", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kDeployments,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           Json out = Json::array();
                           for (const state::DeploymentPtr& d :
                                state.deployments_by_job(namespace_of(q), id)) {
                             out.push_back(model::to_json(*d));
                           }
                           return out;
                         });
  });
  router.add("GET", "/v1/job/:id/deployment", [&store](const http::Request& request, const http::RouteParams& p) {
    std::string id(p.get("id"));
    return blocking_read(request, store, state::Table::kDeployments,
                         [id](const state::StateView& state, const QueryOptions& q) -> Result<Json> {
                           state::DeploymentPtr d = state.latest_deployment(namespace_of(q), id);
                           return d == nullptr ? Json() : model::to_json(*d);
                         });
  });
  add_deployment_writes(router, server);
}

}  // namespace caravan::api
