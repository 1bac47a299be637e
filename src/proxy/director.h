// The seam between the ingress's data plane (the engine: listeners, HTTP/1.1
// codec, upstream pools, TLS) and its control plane (routing and balancing).
// For each request head the engine asks a Director what to do: answer locally
// (redirect, 404, 503) or forward to one of a few candidate endpoints, with the
// request and response rewritten as the matched route says. The engine reports
// back how each forwarded request went, which drives least-request balancing and
// passive ejection. A Director is called concurrently from every event-loop
// thread; route changes swap an immutable table inside it, so a decision in
// progress always sees one consistent table and nothing in flight is dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace caravan::proxy {

// One header field as sent (names compare case-insensitively).
struct HeaderField {
  std::string name;
  std::string value;
};

// The request as the client sent it, after parsing, before any rewrite.
struct RequestHead {
  std::string method;                // "GET"
  std::string target;                // "/a/b?x=1" (origin form), as sent
  int version_minor = 1;             // HTTP/1.<minor>
  std::vector<HeaderField> headers;  // in arrival order

  std::string_view path() const;     // target up to '?', still percent-encoded
  std::string_view query() const;    // after '?', without it; empty when none
  // The first value of a header, empty when absent; case-insensitive name.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The Host header without its port, lower-cased.
  std::string host() const;
};

// Where the request arrived.
struct ClientInfo {
  std::string ip;              // peer address, "127.0.0.1" / "::1"
  uint16_t port = 0;
  bool tls = false;            // arrived on a TLS listener
  std::string sni;             // TLS server name, empty when none
  uint16_t listener_port = 0;  // the local port it was accepted on
};

// One upstream instance a request may go to.
struct Endpoint {
  std::string instance_id;  // catalog instance id, or "static:<address>:<port>"
  std::string service;      // service name (metrics label)
  std::string address;      // IP literal or host name
  uint16_t port = 0;
};

// Forward the request upstream.
struct Forward {
  std::string route;    // the matched route's name (metrics, access log)
  std::string service;  // the target service
  // The request target the upstream sees (path after rewrites + '?' + query).
  std::string target;
  // Request header changes, applied in this order before X-Forwarded-* are set.
  std::vector<std::string> remove_request_headers;
  std::vector<HeaderField> set_request_headers;  // replace any field of that name
  // Response header changes (Set-Cookie of a sticky session goes here).
  std::vector<std::string> remove_response_headers;
  std::vector<HeaderField> add_response_headers;
  // Where to send it: the balancer's choice first, then alternatives to retry on
  // when the first cannot be reached and the request is safe to retry. Never
  // empty (no instance → the Director answers 503 locally instead).
  std::vector<Endpoint> candidates;
};

// Answer the client directly: redirects, 404 (no route), 503 (no instance).
struct LocalResponse {
  int status = 404;
  std::vector<HeaderField> headers;  // e.g. Location
  std::string body;                  // short text naming the route / reason
};

using Decision = std::variant<Forward, LocalResponse>;

// How one forwarded request went, reported once per attempt.
struct Outcome {
  enum class Kind {
    kResponse,       // a response head arrived (status says which)
    kConnectFailed,  // could not connect (refused, unreachable, timeout)
    kReset,          // the connection broke before a complete response
    kTimeout,        // no response within the request timeout
  };
  Kind kind = Kind::kResponse;
  int status = 0;
  std::chrono::nanoseconds latency{0};
};

class Director {
 public:
  virtual ~Director() = default;

  // What to do with this request. Called on event-loop threads; must not block.
  virtual Decision decide(const RequestHead& head, const ClientInfo& client) = 0;

  // The engine starts sending a request to `endpoint` (one call per attempt)...
  virtual void on_attempt_start(const Endpoint& endpoint) = 0;
  // ...and it ended so (always paired with on_attempt_start).
  virtual void on_attempt_end(const Endpoint& endpoint, const Outcome& outcome) = 0;

  // An upstream connection to the instance was opened (`opened`) or closed,
  // whether in use or idle in a pool: the per-instance count a draining
  // instance reports. Called on event-loop threads, once per connection.
  virtual void on_upstream_connection(const std::string& /*instance_id*/, bool /*opened*/) {}
};

}  // namespace caravan::proxy
