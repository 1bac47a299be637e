// The blocking HTTP/1.1 client the CLI and the client agent use to talk to an
// agent's API (http://127.0.0.1:4646 by default). One kept-alive connection per
// Client, reused across requests; per-request timeouts so long polls (blocking
// queries) and log streams (alloc logs -f) fit. https is not supported yet.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/duration.h"
#include "core/status.h"
#include "http/message.h"

namespace caravan::http {

struct ClientOptions {
  Duration connect_timeout = std::chrono::seconds(10);
  // Default bound on a whole request (connect, send, receive the full response).
  Duration request_timeout = std::chrono::seconds(60);
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 256 * 1024 * 1024;
};

struct RequestOptions {
  // Overrides ClientOptions::request_timeout. A blocking query with ?wait=W
  // should allow W plus a margin. For get_stream it bounds only the wait for the
  // response head.
  std::optional<Duration> timeout;
  // get_stream only: the longest wait for the next piece of the body; unset =
  // no limit (the stream ends when the server ends it or on_data returns false).
  std::optional<Duration> stream_idle_timeout;
  Headers headers;  // sent with Host and User-Agent (unless given here) and Content-Length
};

// Not thread-safe: one Client per thread (they are cheap). Transport failures
// (connect, timeout, malformed response) are errors naming the address, e.g.
// "cannot connect to http://127.0.0.1:4646: connection refused" (kUnavailable).
// Any HTTP status is a Response: check response.status, read error_message().
// A request sent on a kept-alive connection that the server had meanwhile closed
// (idle timeout) fails before any response byte arrives; it is then retried once
// on a new connection.
class Client {
 public:
  // `address` is "http://host:port" (port defaults to 80). Does not connect yet.
  static Result<Client> create(std::string_view address, ClientOptions options = {});
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  ~Client();

  // `target` is the path and query, e.g. "/v1/jobs?prefix=web". A non-empty body
  // is sent with Content-Type: application/json unless options.headers says otherwise.
  Result<Response> get(std::string_view target, const RequestOptions& options = {});
  Result<Response> post(std::string_view target, std::string body,
                        const RequestOptions& options = {});
  Result<Response> put(std::string_view target, std::string body,
                       const RequestOptions& options = {});
  Result<Response> del(std::string_view target, const RequestOptions& options = {});
  Result<Response> request(std::string_view method, std::string_view target, std::string body,
                           const RequestOptions& options = {});

  // Called with each piece of a streamed body as it arrives; return false to stop
  // (the connection is then closed).
  using DataCallback = std::function<bool(std::string_view data)>;
  // A GET whose body is handed to `on_data` piece by piece instead of collected.
  // Returns the status and headers once the body has ended (or on_data stopped
  // it). For a non-2xx status the body is collected into Response::body instead.
  Result<Response> get_stream(std::string_view target, const DataCallback& on_data,
                              const RequestOptions& options = {});

  // "http://host:port".
  const std::string& address() const;
  // Closes the kept-alive connection, if any.
  void close();

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caravan::http
