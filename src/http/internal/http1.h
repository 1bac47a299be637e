// The HTTP/1.1 wire format (RFC 9112) shared by the server and the client:
// parsing request and response heads, deciding how a body is framed, decoding
// chunked bodies incrementally, and formatting heads and chunks. Pure functions
// on buffers; the sockets live in connection.cc and client.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace caravan::http::internal {

// The offset just past the blank line ending a head ("\r\n\r\n"), or npos.
size_t find_head_end(std::string_view buffer);

struct RequestHead {
  std::string method;
  std::string target;
  int version_major = 1;
  int version_minor = 1;
  Headers headers;
};

struct ResponseHead {
  int version_minor = 1;
  int status = 0;
  std::string reason;
  Headers headers;
};

// False when the bytes received so far cannot begin an HTTP/1.x request (e.g.
// a TLS handshake sent to this plain-HTTP port), so the server can answer 400
// at once instead of waiting for a blank line that will never come.
bool could_start_request(std::string_view received);

// `head` is everything up to and including the blank line. Errors (kInvalidArgument)
// say what is malformed; the server answers them with 400.
Result<RequestHead> parse_request_head(std::string_view head);
Result<ResponseHead> parse_response_head(std::string_view head);

enum class BodyKind { kNone, kLength, kChunked, kUntilClose };
struct BodyFraming {
  BodyKind kind = BodyKind::kNone;
  uint64_t length = 0;  // for kLength
};

// How a request body is delimited. Rejects what enables request smuggling: both
// Content-Length and Transfer-Encoding, conflicting lengths, codings other than
// a lone "chunked".
Result<BodyFraming> request_framing(const Headers& headers);
// How a response body is delimited, given the request method it answers.
Result<BodyFraming> response_framing(std::string_view request_method, int status,
                                     const Headers& headers);

// Decodes a chunked body fed in arbitrary pieces. Chunk extensions and trailer
// fields are read and dropped.
class ChunkedDecoder {
 public:
  // Consumes bytes from `in`, appending body data to `out`. Returns how many
  // bytes were consumed: all of `in` unless the body ended inside it.
  Result<size_t> feed(std::string_view in, std::string& out);
  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  State state_ = State::kSize;
  std::string line_;
  uint64_t remaining_ = 0;
  size_t trailer_bytes_ = 0;
};

// "HTTP/1.1 404 Not Found\r\n" + headers + "\r\n". CR and LF inside header
// names or values are replaced by spaces so a value cannot inject fields.
std::string format_response_head(int status, const Headers& headers);
// "GET /v1/jobs HTTP/1.1\r\n" + headers + "\r\n".
std::string format_request_head(std::string_view method, std::string_view target,
                                const Headers& headers);
// One chunk of a chunked body: size in hex, CRLF, data, CRLF. `data` must not be empty.
std::string format_chunk(std::string_view data);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace caravan::http::internal
