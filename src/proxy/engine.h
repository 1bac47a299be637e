// The ingress engine: the data plane of caravan's edge proxy. Listeners accept
// HTTP/1.1 (optionally TLS-terminated) connections on one edge-triggered epoll
// loop per thread (each thread its own SO_REUSEPORT socket per listener);
// each request head goes to the Director (proxy/director.h), which answers
// locally or names candidate endpoints; the engine forwards over per-thread
// keep-alive pools, streams bodies both ways, and records metrics and an
// optional JSON access log.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "proxy/director.h"
#include "proxy/tls_context.h"

namespace caravan::proxy {

struct ListenerOptions {
  std::string address = "0.0.0.0";  // IPv4 or IPv6 literal ("::" for all)
  uint16_t port = 0;                 // 0 picks a free port (see Engine::bound_ports)
  // Non-empty: terminate TLS here; the first pair is the default certificate.
  std::vector<TlsCertificate> certificates;
};

struct EngineOptions {
  unsigned threads = 0;  // event-loop threads; 0 = hardware concurrency
  std::vector<ListenerOptions> listeners;
  size_t max_header_bytes = 64 * 1024;  // above → 431
  size_t max_header_count = 100;        // above → 431
  std::chrono::milliseconds request_header_timeout{10'000};  // a started head must complete (408)
  std::chrono::milliseconds idle_timeout{60'000};            // idle client keep-alive
  std::chrono::milliseconds upstream_connect_timeout{5'000};
  std::chrono::milliseconds upstream_response_timeout{60'000};  // until the response head (504)
  std::chrono::milliseconds upstream_idle_timeout{30'000};      // pooled upstream connections
  size_t max_idle_upstream_per_endpoint = 256;                  // per thread
  std::string access_log_path;  // "" = off, "-" = stdout
};

class Engine {
 public:
  // `director` is shared by every loop; it must outlive the engine's threads.
  Engine(EngineOptions options, std::shared_ptr<Director> director);
  // Stops (immediately, with no grace period) if still running.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Binds every listener on every thread and starts the loops. Errors name the
  // address ("cannot listen on 0.0.0.0:8080: address already in use") or the
  // certificate file. Call once.
  Status start();
  // The ports actually bound, one per listener in options order (after start()).
  std::vector<uint16_t> bound_ports() const;
  // Graceful stop: stop accepting, close idle connections, let requests in
  // flight finish until `deadline`, then close everything and join the threads.
  void stop(std::chrono::steady_clock::time_point deadline);
  // The Prometheus text exposition of the engine's metrics. Any thread.
  std::string metrics_text() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace caravan::proxy
