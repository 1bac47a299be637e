// The HTTP/1.1 server behind caravan's API (port 4646): the agent's endpoints for
// the CLI, the UI and client agents. N I/O threads (one asio::io_context each)
// parse requests and write responses; handlers run on a separate worker pool
// (see http/router.h for how they block and stream). Not the ingress proxy's
// data plane, which has its own engine in src/proxy.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/duration.h"
#include "core/status.h"
#include "http/router.h"

namespace caravan::http {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IP literal or "localhost"; "0.0.0.0"/"::" for all
  uint16_t port = 4646;               // 0 picks a free port; see Server::port()
  size_t io_threads = 1;
  size_t max_workers = 256;           // handler threads, created on demand
  size_t max_header_bytes = 64 * 1024;        // request line + fields; beyond → 431
  size_t max_body_bytes = 64 * 1024 * 1024;   // beyond → 413
  Duration request_timeout = std::chrono::seconds(60);  // first byte to last of a request → 408
  Duration idle_timeout = std::chrono::seconds(75);     // keep-alive wait for the next request
  Duration write_timeout = std::chrono::seconds(60);    // for one response write to finish
};

class Server {
 public:
  // Takes the routes; they are immutable while serving.
  explicit Server(Router router, ServerOptions options = {});
  ~Server();  // stop() with its default deadline
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Errors name the address and the cause,
  // e.g. "cannot listen on 127.0.0.1:4646: address already in use". Call once.
  Status start();

  // The bound port (the chosen one when options.port was 0); 0 before start().
  uint16_t port() const;
  // "http://127.0.0.1:<port>", the address a Client would use.
  std::string url() const;

  // Graceful stop: stops accepting, closes idle keep-alive connections, requests
  // every in-flight request's stop token (blocking queries return early, streams
  // end), and lets in-flight requests finish and send their responses (with
  // Connection: close) until `deadline`; then closes what is left. Returns once
  // every handler has returned and every thread has been joined, so handlers must
  // honour their stop token. Any thread but a server thread may call it; idempotent.
  void stop(Duration deadline = std::chrono::seconds(10));

  // Connections currently open (accepted and not yet closed).
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caravan::http
