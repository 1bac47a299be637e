// The ingress's read-only admin endpoints, served by `caravan ingress` on its
// admin port (GET /metrics, /routes, /status) and by an agent running an
// ingress on its API (GET /v1/ingress/metrics, /v1/ingress/routes,
// /v1/ingress): Prometheus metrics, the route table, and the listener ports
// with the catalog index the routes were built from and what each draining
// instance still holds ("Draining").
#pragma once

#include <functional>
#include <string>

#include "http/router.h"
#include "ingress/ingress.h"

namespace caravan::ingress {

// `ingress` returns the running ingress, or null while there is none (503).
// `prefix` is "" or "/v1/ingress"; the status document is served at the
// prefix itself ("/v1/ingress") or at "/status".
void add_admin_routes(http::Router& router, const std::string& prefix,
                      std::function<const Ingress*()> ingress);

}  // namespace caravan::ingress
