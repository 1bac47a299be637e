// Ingress: the ingress gateway as one running unit — the proxy engine with its
// listeners, the CatalogDirector that routes (tags and the ingress file), and
// the CatalogFollower that keeps the routes in step with the catalog, and the
// TrafficReporter that tells the server what draining instances still hold. Started
// by `caravan ingress -config FILE` and by an agent whose `ingress` block is
// enabled (`caravan agent -dev` listens on 8080).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingress/catalog_follower.h"
#include "ingress/traffic_reporter.h"
#include "proxy/catalog_director.h"
#include "proxy/engine.h"
#include "proxy/ingress_file.h"

namespace caravan::ingress {

struct IngressOptions {
  std::vector<std::string> catalog_servers;  // where the catalog is read
  std::string config_file;                   // the ingress file; empty = tag routes only
  // The listener used when the file declares none.
  std::string default_address = "0.0.0.0";
  uint16_t default_port = 8080;
  unsigned threads = 0;         // engine loops; 0 = one per core
  std::string access_log_path;  // "" = off, "-" = stdout
};

class Ingress {
 public:
  // Reads the ingress file, binds every listener and starts following the
  // catalog. Errors: the file's diagnostics (file:line:col) or the listener
  // that cannot be bound.
  static Result<std::unique_ptr<Ingress>> start(IngressOptions options);
  ~Ingress();  // stop() with a short grace period
  Ingress(const Ingress&) = delete;
  Ingress& operator=(const Ingress&) = delete;

  // Stops following, stops accepting, lets requests in flight finish until
  // `deadline`. Idempotent.
  void stop(std::chrono::steady_clock::time_point deadline);

  // The bound port of each listener, in the order they were declared.
  std::vector<uint16_t> ports() const;
  // Prometheus text of the engine's metrics.
  std::string metrics_text() const;
  // The current route table as JSON (routes in precedence order, warnings).
  std::string routes_json() const;
  const CatalogFollower& follower() const { return *follower_; }
  // What each draining instance still holds here (requests, connections,
  // live sessions), as JSON for the admin /status endpoint.
  std::string draining_json() const;

 private:
  Ingress() = default;

  std::shared_ptr<proxy::CatalogDirector> director_;
  std::unique_ptr<proxy::Engine> engine_;
  std::unique_ptr<CatalogFollower> follower_;
  std::unique_ptr<TrafficReporter> reporter_;  // declared after follower_: destroyed first
  bool stopped_ = false;
};

}  // namespace caravan::ingress
