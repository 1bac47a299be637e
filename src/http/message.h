// HTTP messages as caravan's API handlers and the HTTP client see them: Request,
// Response, case-insensitive Headers, and the helpers that build the API's JSON
// and error responses. Plain values with no I/O; the wire format lives in
// http/internal/. Used by http/router.h, http/server.h, http/client.h and src/api.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/strings.h"

namespace caravan::http {

// Header fields in arrival order; names compare case-insensitively (RFC 9110).
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field (a repeated name keeps every value).
  void add(std::string name, std::string value);
  // Replaces every field named `name` with one field.
  void set(std::string name, std::string value);
  void remove(std::string_view name);

  // The first value of `name`, if present; the view lives until the next change.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // True when a comma-separated list field (Connection, Transfer-Encoding)
  // holds `token`, compared case-insensitively across all fields of that name.
  bool has_token(std::string_view name, std::string_view token) const;

  bool empty() const { return fields_.empty(); }
  size_t size() const { return fields_.size(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

// Case-insensitive ASCII comparison, as header names and methods need it.
using ::caravan::iequals;

// A request as a handler receives it. The server fills every field; tests and
// in-process callers may build one by hand (see Router::dispatch).
struct Request {
  std::string method;   // "GET", as sent (methods are case-sensitive)
  std::string target;   // as sent: "/v1/jobs?prefix=web%2Dapp"
  std::string raw_path; // target without the query, still percent-encoded
  std::string path;     // raw_path percent-decoded: "/v1/jobs"
  // Query parameters, percent-decoded ('+' is a space, as Go's url.ParseQuery).
  std::multimap<std::string, std::string, std::less<>> query_params;
  Headers headers;
  std::string body;            // the whole body (chunked uploads are reassembled)
  std::string remote_address;  // "127.0.0.1:52114"; "" when not from a socket
  int version_minor = 1;       // HTTP/1.x
  // Requested when the client disconnects or the server is stopping. A handler
  // that blocks (blocking queries) must wait on it too, e.g. with
  // std::condition_variable_any::wait_for(lock, request.stop_token, timeout, pred),
  // and return promptly (with what it has) once it is requested.
  std::stop_token stop_token;

  // The first value of query parameter `name`, if present ("?index=12").
  std::optional<std::string_view> query(std::string_view name) const;
  bool has_query(std::string_view name) const { return query(name).has_value(); }
  // Every value of `name` in order ("?tag=a&tag=b").
  std::vector<std::string> query_all(std::string_view name) const;
};

// Where a streaming handler writes its body. Implemented by the server; every
// call happens on the worker thread that runs the stream.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Sends `data` as the next piece of the body (one chunk of a chunked body) and
  // blocks until the socket has taken it, so a slow client slows the writer
  // down. Empty data is ignored. Returns false once the client has gone away,
  // the server is stopping or a write timed out: the stream should return then.
  virtual bool write(std::string_view data) = 0;
  // Requested when the client disconnects or the server stops; a stream that
  // waits for new data (alloc logs -f) waits on this token too.
  virtual std::stop_token stop_token() const = 0;
};

// Produces a streamed body piece by piece; runs on a worker thread after the
// status line and headers have been sent and returns when the body is complete.
using StreamBody = std::function<void(BodyWriter& writer)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, `body` is ignored and the body is produced by this function and
  // sent with Transfer-Encoding: chunked. The server sets Content-Length,
  // Transfer-Encoding and Connection itself.
  StreamBody stream;
};

// 200-style response with Content-Type: application/json. `json` is already
// serialized (src/api owns the JSON documents; this library only moves bytes).
Response json_response(int status, std::string json);
// text/plain; charset=utf-8.
Response text_response(int status, std::string text);
// The API's one error convention. Nomad answers errors as text/plain with the bare
// message; caravan answers `{"error": "<message>"}` with Content-Type
// application/json and the given 4xx/5xx status. Clients read either form back
// with error_message().
Response error_response(int status, std::string_view message);
// The same for a Status: kInvalidArgument → 400, kNotFound → 404, kAlreadyExists
// and kFailedPrecondition → 409, kPermissionDenied → 403, kUnavailable → 503,
// anything else → 500.
Response error_response(const Status& status);
int http_status_for(StatusCode code);
// A chunked streaming response (see StreamBody).
Response stream_response(int status, std::string content_type, StreamBody body);

// The message of an error response: the "error" member of a JSON body, else the
// body text itself (Nomad's plain-text errors), trimmed; "HTTP <status>" when empty.
std::string error_message(const Response& response);

// The standard reason phrase ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

}  // namespace caravan::http
