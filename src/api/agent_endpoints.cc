// /v1/agent/self, /v1/agent/health, /v1/status/leader, /v1/status/peers,
// /v1/metrics and /v1/system/gc.
#include <fmt/format.h>

#include <map>

#include "api/query.h"
#include "api/routes.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

// What /v1/metrics reports, by Nomad's names where Nomad has the metric.
std::vector<std::pair<std::string, double>> server_gauges(server::Server& server) {
  std::vector<std::pair<std::string, double>> gauges;
  auto add = [&](std::string name, auto value) { gauges.emplace_back(std::move(name), static_cast<double>(value)); };
  server::ServerStats stats = server.stats();
  add("nomad.nomad.broker.total_ready", stats.broker.ready);
  add("nomad.nomad.broker.total_unacked", stats.broker.unacked);
  add("nomad.nomad.broker.total_pending", stats.broker.waiting_job);
  add("nomad.nomad.broker.total_waiting", stats.broker.delayed);
  add("nomad.nomad.blocked_evals.total_blocked", stats.blocked_evals);
  add("caravan.state.log_entries", stats.state.entries);
  add("caravan.state.log_appends", stats.state.batches);
  add("caravan.state.snapshots", stats.state.snapshots);

  state::StateViewPtr state = server.state().snapshot();
  add("nomad.state.index", state->index());
  std::map<std::string, int64_t> jobs{{model::kJobStatusPending, 0}, {model::kJobStatusRunning, 0}, {model::kJobStatusDead, 0}};
  std::vector<state::JobPtr> all_jobs = state->jobs("");
  for (const state::JobPtr& job : all_jobs) ++jobs[job->status];
  add("nomad.state.jobs", all_jobs.size());
  for (const auto& [status, n] : jobs) add("nomad.nomad.job_status." + status, n);
  std::map<std::string, int64_t> nodes{{model::kNodeStatusReady, 0}, {model::kNodeStatusDown, 0}};
  std::vector<state::NodePtr> all_nodes = state->nodes();
  for (const state::NodePtr& node : all_nodes) ++nodes[node->status];
  add("nomad.state.nodes", all_nodes.size());
  for (const auto& [status, n] : nodes) add("caravan.state.nodes." + status, n);
  std::map<std::string, int64_t> allocs{{model::kAllocClientPending, 0}, {model::kAllocClientRunning, 0},
                                        {model::kAllocClientComplete, 0}, {model::kAllocClientFailed, 0},
                                        {model::kAllocClientLost, 0}};
  std::vector<state::AllocPtr> all_allocs = state->allocs();
  for (const state::AllocPtr& alloc : all_allocs) ++allocs[alloc->client_status];
  add("nomad.state.allocations", all_allocs.size());
  for (const auto& [status, n] : allocs) add("caravan.state.allocations." + status, n);
  add("nomad.state.evaluations", state->evals().size());
  return gauges;
}

// The gauges in Nomad's /v1/metrics JSON shape or, with ?format=prometheus,
// the Prometheus text format.
http::Response metrics(const ApiContext& context, const http::Request& request) {
  std::vector<std::pair<std::string, double>> gauges;
  if (context.server != nullptr) gauges = server_gauges(*context.server);
  if (request.query("format").value_or("") == "prometheus") {
    std::string text;
    for (const auto& [name, value] : gauges) {
      std::string metric = name;
      for (char& c : metric) {
        if (c == '.') c = '_';
      }
      text += fmt::format("# TYPE {} gauge\n{} {}\n", metric, metric, value);
    }
    http::Response response = http::text_response(200, text);
    response.headers.set("Content-Type", "text/plain; version=0.0.4");
    return response;
  }
  Json list = Json::array();
  for (const auto& [name, value] : gauges) list.push_back(Json{{"Name", name}, {"Value", value}, {"Labels", Json::object()}});
  Json out{{"Timestamp", ""}, {"Gauges", list}, {"Counters", Json::array()}, {"Samples", Json::array()}};
  return http::json_response(200, out.dump());
}

}  // namespace

void add_agent_routes(http::Router& router, const ApiContext& context) {
  const ApiContext* ctx = &context;
  router.add("GET", "/v1/agent/self", [ctx](const http::Request&, const http::RouteParams&) {
    return http::json_response(200, ctx->agent_self.dump());
  });
  router.add("GET", "/v1/agent/health", [ctx](const http::Request&, const http::RouteParams&) {
    Json out = Json::object();
    if (ctx->server != nullptr) out["server"] = Json{{"ok", true}, {"message", "ok"}};
    if (ctx->client != nullptr) out["client"] = Json{{"ok", true}, {"message", "ok"}};
    return http::json_response(200, out.dump());
  });
  router.add("GET", "/v1/status/leader", [ctx](const http::Request&, const http::RouteParams&) {
    std::string leader = ctx->agent_self.value("/member/Addr"_json_pointer, std::string("127.0.0.1"));
    return http::json_response(200, Json(leader + ":4647").dump());
  });
  router.add("GET", "/v1/status/peers", [ctx](const http::Request&, const http::RouteParams&) {
    std::string leader = ctx->agent_self.value("/member/Addr"_json_pointer, std::string("127.0.0.1"));
    return http::json_response(200, Json::array({leader + ":4647"}).dump());
  });
  router.add("GET", "/v1/metrics", [ctx](const http::Request& request, const http::RouteParams&) {
    return metrics(*ctx, request);
  });
  if (ctx->server != nullptr) {
    // Nomad's forced garbage collection (`nomad system gc`).
    router.add("PUT", "/v1/system/gc", [ctx](const http::Request&, const http::RouteParams&) {
      Result<server::GcPlan> collected = ctx->server->collect_garbage(server::GcThresholds::force());
      if (!collected) return http::error_response(collected.error());
      return http::json_response(200, "{}");
    });
  }
}

}  // namespace caravan::api
