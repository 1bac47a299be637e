// The HTTP/1.1 codec of the ingress engine (RFC 9112): request and response
// heads parsed in place over a connection's receive buffer (views into it, no
// copies), the message framing they imply (Content-Length, chunked, until close,
// none), and an incremental chunked-body decoder. Pure: no I/O, no allocation
// on the steady path (the field vector keeps its capacity between messages).
// The engine (proxy/engine.cc) feeds it; the fuzz target drives it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/strings.h"

namespace caravan::proxy::http1 {

// Case-insensitive ASCII comparison of header names and tokens.
using ::caravan::iequals;

struct Field {
  std::string_view name;
  std::string_view value;  // without surrounding whitespace
};

enum class BodyKind {
  kNone,           // no body (GET without framing, HEAD response, 1xx/204/304)
  kContentLength,  // exactly `content_length` bytes
  kChunked,        // chunked transfer coding (the last coding)
  kUntilClose,     // response read until the upstream closes
};

enum class ParseResult {
  kNeedMore,    // the head is not complete yet
  kDone,        // `head` holds the head; `head.head_size` bytes belong to it
  kBad,         // malformed: 400 (request) / 502 (response)
  kTooLarge,    // header section above the byte limit or too many fields: 431
};

struct Limits {
  size_t max_header_bytes = 64 * 1024;
  size_t max_header_count = 100;
};

// A parsed head. Views point into the buffer passed to the parser and stay
// valid only while that buffer is unchanged.
struct Head {
  // Request line.
  std::string_view method;
  std::string_view target;
  // Status line.
  int status = 0;
  std::string_view reason;

  int version_minor = 1;
  std::vector<Field> fields;  // arrival order
  size_t head_size = 0;       // bytes of the head including the empty line

  // Derived from the fields.
  BodyKind body = BodyKind::kNone;
  uint64_t content_length = 0;
  bool has_content_length = false;
  bool has_transfer_encoding = false;
  bool connection_close = false;
  bool connection_keep_alive = false;
  bool connection_upgrade = false;
  bool expect_continue = false;
  int host_count = 0;        // Host fields seen (HTTP/1.1 requests need exactly one)
  std::string_view upgrade;  // the Upgrade field's value, empty when none
  // Field names listed in Connection (besides close/keep-alive/upgrade): hop-by-hop.
  std::vector<std::string_view> connection_tokens;

  // Whether the connection may carry another message after this one, by the
  // HTTP/1.0 and 1.1 defaults and the Connection field.
  bool keep_alive() const {
    return version_minor >= 1 ? !connection_close : connection_keep_alive && !connection_close;
  }
  // True for fields a proxy must not forward (RFC 9110 7.6.1): Connection and the
  // fields it names, Keep-Alive, Proxy-Connection, TE, Upgrade, Transfer-Encoding
  // and Content-Length are judged by the caller since framing depends on them.
  bool is_hop_by_hop(std::string_view name) const;
};

// Incremental head parser: call parse() each time more bytes arrived in the
// same buffer (the prefix it already scanned is not scanned again for the end
// of the head). reset() before the next message.
class HeadParser {
 public:
  explicit HeadParser(Limits limits = {}) : limits_(limits) {}
  void reset() { scanned_ = 0; }
  void set_limits(Limits limits) { limits_ = limits; }

  // Parses a request head at the start of `buf`. Leading empty lines are
  // skipped (they count in head_size).
  ParseResult parse_request(std::string_view buf, Head& head);
  // Parses a response head; `request_method` decides whether a body follows
  // (HEAD requests get none) together with the status.
  ParseResult parse_response(std::string_view buf, std::string_view request_method, Head& head);

 private:
  // Finds the end of the head; 0 when not there yet.
  size_t find_end(std::string_view buf, size_t start);
  ParseResult parse_fields(std::string_view buf, size_t pos, size_t end, Head& head);

  Limits limits_;
  size_t scanned_ = 0;
};

// Decodes a chunked body incrementally. feed() consumes a prefix of its input
// and says whether those bytes were payload (so a caller can either pass the
// raw coding through or keep only the payload); call it again with the rest.
class ChunkedDecoder {
 public:
  enum class State { kRunning, kDone, kError };

  void reset();
  // Consumes bytes from [p, p+n); `is_data` tells whether they are payload.
  // Stops at the end of the body (state() becomes kDone). Returns the count.
  size_t feed(const char* p, size_t n, bool* is_data);
  State state() const { return state_; }
  bool done() const { return state_ == State::kDone; }

 private:
  enum class Step {
    kSize, kExt, kSizeLf, kData, kDataCr, kDataLf, kTrailerStart, kTrailer, kTrailerLf, kEndLf
  };
  State state_ = State::kRunning;
  Step step_ = Step::kSize;
  uint64_t remaining_ = 0;
  int size_digits_ = 0;
  size_t trailer_bytes_ = 0;
};

// True when a response to `method` with `status` carries no body.
bool response_has_no_body(std::string_view method, int status);

// Methods safe to retry on another endpoint after a partial attempt.
bool is_idempotent(std::string_view method);


}  // namespace caravan::proxy::http1
