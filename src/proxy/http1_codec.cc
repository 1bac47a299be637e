#include "proxy/http1_codec.h"

#include <cstring>

namespace caravan::proxy::http1 {
namespace {

// RFC 9110 tchar.
struct TcharTable {
  bool v[256] = {};
  constexpr TcharTable() {
    for (int c = '0'; c <= '9'; ++c) v[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) v[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) v[c] = true;
    for (const char* p = "!#$%&'*+-.^_`|~"; *p != 0; ++p) v[static_cast<unsigned char>(*p)] = true;
  }
};
constexpr TcharTable kTchar;

inline bool is_tchar(char c) { return kTchar.v[static_cast<unsigned char>(c)]; }
// Field values: VCHAR, SP, HTAB, obs-text; no other control characters.
inline bool is_value_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x20 ? u != 0x7f : u == '\t';
}

std::string_view trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Calls fn(token) for each comma-separated, trimmed, non-empty element.
template <class Fn>
void for_each_token(std::string_view list, Fn&& fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = trim_ows(list.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Parses a Content-Length value (digits, or a list of equal values); false when bad.
bool parse_content_length(std::string_view v, uint64_t* out) {
  bool seen = false;
  bool ok = true;
  uint64_t result = 0;
  for_each_token(v, [&](std::string_view item) {
    uint64_t n = 0;
    if (item.size() > 18) ok = false;
    for (char c : item) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (seen && n != result) ok = false;
    result = n;
    seen = true;
  });
  if (!seen || !ok) return false;
  *out = result;
  return true;
}

// Reads "HTTP/1.x"; returns the minor version or -1.
int parse_version(std::string_view v) {
  if (v.size() != 8 || v.substr(0, 7) != "HTTP/1." || v[7] < '0' || v[7] > '9') return -1;
  return v[7] - '0';
}

// The end of the line starting at pos (index of '\n'), and the line without CR.
bool next_line(std::string_view buf, size_t pos, size_t end, std::string_view* line, size_t* next) {
  const void* nl = std::memchr(buf.data() + pos, '\n', end - pos);
  if (nl == nullptr) return false;
  size_t lf = static_cast<size_t>(static_cast<const char*>(nl) - buf.data());
  size_t stop = lf;
  if (stop > pos && buf[stop - 1] == '\r') --stop;
  *line = buf.substr(pos, stop - pos);
  *next = lf + 1;
  return true;
}

}  // namespace

bool Head::is_hop_by_hop(std::string_view name) const {
  switch (name.size()) {
    case 2:
      if (iequals(name, "te")) return true;
      break;
    case 7:
      if (iequals(name, "upgrade")) return true;
      break;
    case 10:
      if (iequals(name, "connection") || iequals(name, "keep-alive")) return true;
      break;
    case 16:
      if (iequals(name, "proxy-connection")) return true;
      break;
    default:
      break;
  }
  for (std::string_view token : connection_tokens) {
    if (iequals(token, name)) return true;
  }
  return false;
}

size_t HeadParser::find_end(std::string_view buf, size_t start) {
  const char* base = buf.data();
  size_t pos = start;
  while (pos < buf.size()) {
    const void* nl = std::memchr(base + pos, '\n', buf.size() - pos);
    if (nl == nullptr) {
      scanned_ = buf.size();  // every LF before here was judged already
      return 0;
    }
    size_t lf = static_cast<size_t>(static_cast<const char*>(nl) - base);
    if (lf + 1 < buf.size() && base[lf + 1] == '\n') return lf + 2;
    if (lf + 2 < buf.size() && base[lf + 1] == '\r' && base[lf + 2] == '\n') return lf + 3;
    if (lf + 2 >= buf.size()) {
      // Not enough bytes after this LF to decide; resume here next time.
      scanned_ = lf;
      return 0;
    }
    pos = lf + 1;
  }
  return 0;
}

ParseResult HeadParser::parse_fields(std::string_view buf, size_t pos, size_t end, Head& head) {
  size_t count = 0;
  bool bad = false;
  while (true) {
    std::string_view line;
    size_t next;
    if (!next_line(buf, pos, end, &line, &next)) return ParseResult::kBad;
    pos = next;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return ParseResult::kBad;  // obs-fold
    size_t colon = 0;
    while (colon < line.size() && is_tchar(line[colon])) ++colon;
    if (colon == 0 || colon >= line.size() || line[colon] != ':') return ParseResult::kBad;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim_ows(line.substr(colon + 1));
    for (char c : value) {
      if (!is_value_char(c)) return ParseResult::kBad;
    }
    if (++count > limits_.max_header_count) return ParseResult::kTooLarge;
    head.fields.push_back(Field{name, value});

    // Fields that decide framing and connection handling.
    switch (name.size()) {
      case 4:
        if (iequals(name, "host")) ++head.host_count;
        break;
      case 6:
        if (iequals(name, "expect") && iequals(value, "100-continue")) head.expect_continue = true;
        break;
      case 7:
        if (iequals(name, "upgrade")) head.upgrade = value;
        break;
      case 10:
        if (iequals(name, "connection")) {
          for_each_token(value, [&](std::string_view token) {
            if (iequals(token, "close")) {
              head.connection_close = true;
            } else if (iequals(token, "keep-alive")) {
              head.connection_keep_alive = true;
            } else if (iequals(token, "upgrade")) {
              head.connection_upgrade = true;
            } else {
              head.connection_tokens.push_back(token);
            }
          });
        }
        break;
      case 14:
        if (iequals(name, "content-length")) {
          uint64_t n = 0;
          if (!parse_content_length(value, &n)) {
            bad = true;
          } else if (head.has_content_length && n != head.content_length) {
            bad = true;
          }
          head.content_length = n;
          head.has_content_length = true;
        }
        break;
      case 17:
        if (iequals(name, "transfer-encoding")) {
          head.has_transfer_encoding = true;
          // Only the last coding decides; several fields concatenate.
          std::string_view last;
          for_each_token(value, [&](std::string_view token) { last = token; });
          head.body = iequals(last, "chunked") ? BodyKind::kChunked : BodyKind::kUntilClose;
        }
        break;
      default:
        break;
    }
  }
  if (bad) return ParseResult::kBad;
  return ParseResult::kDone;
}

namespace {
void clear_head(Head& head) {
  head.method = {};
  head.target = {};
  head.status = 0;
  head.reason = {};
  head.version_minor = 1;
  head.fields.clear();
  head.head_size = 0;
  head.body = BodyKind::kNone;
  head.content_length = 0;
  head.has_content_length = false;
  head.has_transfer_encoding = false;
  head.connection_close = false;
  head.connection_keep_alive = false;
  head.connection_upgrade = false;
  head.expect_continue = false;
  head.host_count = 0;
  head.upgrade = {};
  head.connection_tokens.clear();
}
}  // namespace

ParseResult HeadParser::parse_request(std::string_view buf, Head& head) {
  // Skip empty lines before the request line (RFC 9112 2.2).
  size_t start = 0;
  while (start < buf.size() && (buf[start] == '\r' || buf[start] == '\n')) ++start;
  if (start > 8) return ParseResult::kBad;
  if (scanned_ < start) scanned_ = start;
  size_t end = find_end(buf, scanned_);
  if (end == 0) {
    if (buf.size() > limits_.max_header_bytes) return ParseResult::kTooLarge;
    return ParseResult::kNeedMore;
  }
  if (end > limits_.max_header_bytes) return ParseResult::kTooLarge;
  clear_head(head);
  head.head_size = end;

  std::string_view line;
  size_t pos;
  if (!next_line(buf, start, end, &line, &pos)) return ParseResult::kBad;
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return ParseResult::kBad;
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return ParseResult::kBad;
  head.method = line.substr(0, sp1);
  for (char c : head.method) {
    if (!is_tchar(c)) return ParseResult::kBad;
  }
  head.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (char c : head.target) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return ParseResult::kBad;
  }
  head.version_minor = parse_version(line.substr(sp2 + 1));
  if (head.version_minor < 0) return ParseResult::kBad;

  ParseResult r = parse_fields(buf, pos, end, head);
  if (r != ParseResult::kDone) return r;

  // Request framing (RFC 9112 6.3): chunked must be the final coding; both
  // Transfer-Encoding and Content-Length is a smuggling attempt: refuse.
  if (head.has_transfer_encoding) {
    if (head.body != BodyKind::kChunked || head.has_content_length || head.version_minor == 0) {
      return ParseResult::kBad;
    }
  } else if (head.has_content_length) {
    head.body = head.content_length > 0 ? BodyKind::kContentLength : BodyKind::kNone;
  } else {
    head.body = BodyKind::kNone;
  }
  return ParseResult::kDone;
}

ParseResult HeadParser::parse_response(std::string_view buf, std::string_view request_method,
                                       Head& head) {
  size_t end = find_end(buf, scanned_);
  if (end == 0) {
    if (buf.size() > limits_.max_header_bytes) return ParseResult::kTooLarge;
    return ParseResult::kNeedMore;
  }
  if (end > limits_.max_header_bytes) return ParseResult::kTooLarge;
  clear_head(head);
  head.head_size = end;

  std::string_view line;
  size_t pos;
  if (!next_line(buf, 0, end, &line, &pos)) return ParseResult::kBad;
  if (line.size() < 12) return ParseResult::kBad;
  head.version_minor = parse_version(line.substr(0, 8));
  if (head.version_minor < 0 || line[8] != ' ') return ParseResult::kBad;
  int status = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return ParseResult::kBad;
    status = status * 10 + (line[i] - '0');
  }
  if (status < 100) return ParseResult::kBad;
  if (line.size() > 12) {
    if (line[12] != ' ') return ParseResult::kBad;
    head.reason = line.substr(13);
  }
  head.status = status;

  ParseResult r = parse_fields(buf, pos, end, head);
  if (r != ParseResult::kDone) return r;

  if (response_has_no_body(request_method, status)) {
    head.body = BodyKind::kNone;
  } else if (head.has_transfer_encoding) {
    // body already kChunked or kUntilClose; Content-Length is ignored.
  } else if (head.has_content_length) {
    head.body = head.content_length > 0 ? BodyKind::kContentLength : BodyKind::kNone;
  } else {
    head.body = BodyKind::kUntilClose;
  }
  return ParseResult::kDone;
}

void ChunkedDecoder::reset() {
  state_ = State::kRunning;
  step_ = Step::kSize;
  remaining_ = 0;
  size_digits_ = 0;
  trailer_bytes_ = 0;
}

size_t ChunkedDecoder::feed(const char* p, size_t n, bool* is_data) {
  *is_data = false;
  size_t i = 0;
  if (state_ != State::kRunning) return 0;
  if (step_ == Step::kData) {
    size_t take = remaining_ < n ? static_cast<size_t>(remaining_) : n;
    remaining_ -= take;
    if (remaining_ == 0) step_ = Step::kDataCr;
    *is_data = true;
    return take;
  }
  constexpr size_t kMaxTrailerBytes = 64 * 1024;
  auto fail = [&] {
    state_ = State::kError;
    return i;
  };
  while (i < n) {
    char c = p[i];
    switch (step_) {
      case Step::kSize: {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit >= 0) {
          if (++size_digits_ > 15) return fail();
          remaining_ = remaining_ * 16 + static_cast<uint64_t>(digit);
        } else if (size_digits_ == 0) {
          return fail();
        } else if (c == ';' || c == ' ' || c == '\t') {
          step_ = Step::kExt;
        } else if (c == '\r') {
          step_ = Step::kSizeLf;
        } else {
          return fail();
        }
        break;
      }
      case Step::kExt:
        // Chunk extensions are skipped (and passed through untouched).
        if (c == '\r') step_ = Step::kSizeLf;
        else if (c == '\n' || (static_cast<unsigned char>(c) < 0x20 && c != '\t')) return fail();
        break;
      case Step::kSizeLf:
        if (c != '\n') return fail();
        size_digits_ = 0;
        if (remaining_ == 0) {
          step_ = Step::kTrailerStart;
        } else {
          step_ = Step::kData;
          return i + 1;  // the payload starts with the next call
        }
        break;
      case Step::kData:
        return i;  // unreachable: handled above
      case Step::kDataCr:
        if (c != '\r') return fail();
        step_ = Step::kDataLf;
        break;
      case Step::kDataLf:
        if (c != '\n') return fail();
        step_ = Step::kSize;
        remaining_ = 0;
        break;
      case Step::kTrailerStart:
        if (c == '\r') {
          step_ = Step::kEndLf;
        } else if (c == '\n') {
          return fail();
        } else {
          step_ = Step::kTrailer;
        }
        if (++trailer_bytes_ > kMaxTrailerBytes) return fail();
        break;
      case Step::kTrailer:
        if (c == '\r') step_ = Step::kTrailerLf;
        else if (c == '\n') return fail();
        if (++trailer_bytes_ > kMaxTrailerBytes) return fail();
        break;
      case Step::kTrailerLf:
        if (c != '\n') return fail();
        step_ = Step::kTrailerStart;
        break;
      case Step::kEndLf:
        if (c != '\n') return fail();
        state_ = State::kDone;
        return i + 1;
    }
    ++i;
  }
  return i;
}

bool response_has_no_body(std::string_view method, int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304 || method == "HEAD";
}

bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" ||
         method == "DELETE" || method == "TRACE";
}

}  // namespace caravan::proxy::http1
