// Maps method + path to the API's handlers: patterns with `:name` segments and a
// trailing `*` wildcard ("/v1/job/:id/allocations", "/ui/*"). Built once at
// startup, then read concurrently by the server's threads (it is immutable then).
// Answers 404 for an unknown path and 405 (with Allow) for a known path and the
// wrong method.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace caravan::http {

// Values captured by a route's `:name` segments (percent-decoded), and by its
// trailing wildcard under the name given after `*` ("*" alone is named "*").
class RouteParams {
 public:
  // The value of `name`, or "" when the route has no such parameter.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  void add(std::string name, std::string value);
  size_t size() const { return params_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// How handlers run. A handler is a plain function that returns its Response,
// called on a worker thread of the server's pool, never on an I/O thread: it may
// block (a blocking query waits up to its `wait` on a condition plus
// `request.stop_token`) without stalling other connections. To stream, it
// returns a Response whose `stream` function the server then calls on a worker
// thread to write the body chunk by chunk (see BodyWriter). We chose threads over
// coroutine handlers because the state store and the drivers block; the pool
// grows on demand (ServerOptions::max_workers), so long waits do not starve
// short requests. Exceptions escaping a handler become a 500 response.
using Handler = std::function<Response(const Request& request, const RouteParams& params)>;

class Router {
 public:
  // Registers `handler` for `method` and `pattern`. A pattern starts with '/';
  // segments are literals, `:name` (one non-empty segment) or, last only, `*` or
  // `*name` (the rest of the path, possibly empty). A trailing slash in a pattern
  // or request path is ignored. Where several patterns match, the more specific
  // wins segment by segment (literal over `:name` over `*`). Malformed or duplicate
  // patterns are programming errors (CARAVAN_CHECK). Call before serving only.
  void add(std::string_view method, std::string_view pattern, Handler handler);

  struct Match {
    enum class Kind { kFound, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Handler* handler = nullptr;    // for kFound; owned by the router
    RouteParams params;                  // for kFound
    std::vector<std::string> allowed;    // for kMethodNotAllowed, sorted
  };
  // Looks up `raw_path` (still percent-encoded, without the query). Thread-safe.
  Match match(std::string_view method, std::string_view raw_path) const;

  // The 404 or 405 response for a failed match (405 carries Allow).
  static Response no_route_response(const Match& match, std::string_view method,
                                    std::string_view path);

  // Matches and runs the handler on the calling thread, or returns 404/405. For
  // tests and in-process callers; the server does the same on its worker pool.
  Response dispatch(const Request& request) const;

 private:
  struct Segment {
    enum class Kind { kLiteral, kParam, kWildcard };
    Kind kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace caravan::http
