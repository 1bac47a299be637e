// /v1/agent/self, /v1/agent/health, /v1/status/leader, /v1/status/peers and
// /v1/metrics.
#include <fmt/format.h>

#include "api/query.h"
#include "api/routes.h"

namespace caravan::api {
namespace {

using Json = nlohmann::ordered_json;

// Gauges of the state and the broker, in Nomad's /v1/metrics JSON shape or,
// with ?format=prometheus, the Prometheus text format.
http::Response metrics(const ApiContext& context, const http::Request& request) {
  std::vector<std::pair<std::string, double>> gauges;
  if (context.server != nullptr) {
    state::StateViewPtr state = context.server->state().snapshot();
    gauges.emplace_back("nomad.state.index", static_cast<double>(state->index()));
    gauges.emplace_back("nomad.state.jobs", static_cast<double>(state->jobs("").size()));
    gauges.emplace_back("nomad.state.nodes", static_cast<double>(state->nodes().size()));
    gauges.emplace_back("nomad.state.allocations", static_cast<double>(state->allocs().size()));
    gauges.emplace_back("nomad.state.evaluations", static_cast<double>(state->evals().size()));
  }
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
}

}  // namespace caravan::api
