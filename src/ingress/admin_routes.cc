#include "ingress/admin_routes.h"

#include <nlohmann/json.hpp>

namespace caravan::ingress {

void add_admin_routes(http::Router& router, const std::string& prefix,
                      std::function<const Ingress*()> ingress) {
  auto serve = [ingress](auto answer) {
    return [ingress, answer](const http::Request&, const http::RouteParams&) {
      const Ingress* running = ingress();
      if (running == nullptr) return http::error_response(503, "the ingress is not running");
      return answer(*running);
    };
  };
  router.add("GET", prefix + "/metrics", serve([](const Ingress& running) {
               http::Response response = http::text_response(200, running.metrics_text());
               response.headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
               return response;
             }));
  router.add("GET", prefix + "/routes", serve([](const Ingress& running) {
               return http::json_response(200, running.routes_json());
             }));
  router.add("GET", prefix.empty() ? "/status" : prefix, serve([](const Ingress& running) {
               nlohmann::ordered_json status{
                   {"Ports", running.ports()},
                   {"CatalogIndex", running.follower().index()},
                   {"Draining", nlohmann::ordered_json::parse(running.draining_json())}};
               return http::json_response(200, status.dump());
             }));
}

}  // namespace caravan::ingress
