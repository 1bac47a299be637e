#include "http/internal/http1.h"

#include <charconv>

#include "core/strings.h"

namespace caravan::http::internal {
namespace {

constexpr size_t kMaxChunkLine = 4096;
constexpr size_t kMaxTrailerBytes = 64 * 1024;

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (!is_token_char(c)) {
      return false;
    }
  }
  return true;
}

std::string quoted(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string out = "\"";
  for (char c : s.substr(0, kMax)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (s.size() > kMax) {
    out += "...";
  }
  return out + "\"";
}

// Splits the head into lines (without CRLF); false if a line ends in a bare LF.
bool next_line(std::string_view& rest, std::string_view& line) {
  size_t lf = rest.find('\n');
  if (lf == std::string_view::npos || lf == 0 || rest[lf - 1] != '\r') {
    return false;
  }
  line = rest.substr(0, lf - 1);
  rest = rest.substr(lf + 1);
  return true;
}

Result<int> parse_version(std::string_view text, int& major) {
  if (text.size() != 8 || !text.starts_with("HTTP/") || text[6] != '.' || text[5] < '0' ||
      text[5] > '9' || text[7] < '0' || text[7] > '9') {
    return invalid_argument("malformed HTTP version " + quoted(text));
  }
  major = text[5] - '0';
  return text[7] - '0';
}

// Reads header fields up to the blank line.
Status parse_fields(std::string_view rest, Headers& headers) {
  std::string_view line;
  while (true) {
    if (!next_line(rest, line)) {
      return invalid_argument("header lines must end with CRLF");
    }
    if (line.empty()) {
      return Status::ok();
    }
    if (line.front() == ' ' || line.front() == '\t') {
      return invalid_argument("obsolete header line folding is not accepted");
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return invalid_argument("malformed header line " + quoted(line));
    }
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) {
      return invalid_argument("invalid header name " + quoted(name));
    }
    std::string_view value = line.substr(colon + 1);
    for (char c : value) {
      unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) {
        return invalid_argument("control character in header " + quoted(name));
      }
    }
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
      value.remove_suffix(1);
    }
    headers.add(std::string(name), std::string(value));
  }
}

Result<uint64_t> parse_content_length(const Headers& headers) {
  std::optional<uint64_t> length;
  for (const auto& [name, value] : headers) {
    if (!iequals(name, "Content-Length")) {
      continue;
    }
    // A list "5, 5" is allowed when every member agrees (RFC 9110 8.6).
    for (const std::string& part : split(value, ',')) {
      std::string_view digits = trim(part);
      uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
        return invalid_argument("invalid Content-Length " + quoted(value));
      }
      if (length && *length != n) {
        return invalid_argument("conflicting Content-Length values");
      }
      length = n;
    }
  }
  return length.value_or(0);
}

void append_fields(std::string& out, const Headers& headers) {
  auto clean = [](std::string_view s, std::string& dst) {
    for (char c : s) {
      dst += (c == '\r' || c == '\n') ? ' ' : c;
    }
  };
  for (const auto& [name, value] : headers) {
    clean(name, out);
    out += ": ";
    clean(value, out);
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

bool could_start_request(std::string_view received) {
  while (received.starts_with("\r\n")) {
    received.remove_prefix(2);
  }
  if (received == "\r") {
    return true;
  }
  for (char c : received) {
    if (c == ' ') {
      return true;
    }
    if (!is_token_char(c)) {
      return false;
    }
  }
  return true;
}

size_t find_head_end(std::string_view buffer) {
  size_t pos = buffer.find("\r\n\r\n");
  return pos == std::string_view::npos ? pos : pos + 4;
}

Result<RequestHead> parse_request_head(std::string_view head) {
  RequestHead out;
  std::string_view rest = head;
  // RFC 9112 2.2: ignore at least one empty line before the request line.
  while (rest.starts_with("\r\n")) {
    rest.remove_prefix(2);
  }
  std::string_view line;
  if (!next_line(rest, line)) {
    return invalid_argument("request line must end with CRLF");
  }
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return invalid_argument("malformed request line " + quoted(line));
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!is_token(method)) {
    return invalid_argument("invalid method " + quoted(method));
  }
  if (target.empty() || target.front() != '/') {
    return invalid_argument("request target must be a path starting with '/', got " +
                            quoted(target));
  }
  for (char c : target) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return invalid_argument("invalid character in request target " + quoted(target));
    }
  }
  out.version_minor = CARAVAN_TRY(parse_version(line.substr(sp2 + 1), out.version_major));
  out.method = std::string(method);
  out.target = std::string(target);
  CARAVAN_RETURN_IF_ERROR(parse_fields(rest, out.headers));
  return out;
}

Result<ResponseHead> parse_response_head(std::string_view head) {
  ResponseHead out;
  std::string_view rest = head;
  std::string_view line;
  if (!next_line(rest, line)) {
    return invalid_argument("status line must end with CRLF");
  }
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) {
    return invalid_argument("malformed status line " + quoted(line));
  }
  int major = 0;
  out.version_minor = CARAVAN_TRY(parse_version(line.substr(0, sp1), major));
  if (major != 1) {
    return invalid_argument("unsupported HTTP version in status line " + quoted(line));
  }
  std::string_view code = line.substr(sp1 + 1, 3);
  auto [ptr, ec] = std::from_chars(code.data(), code.data() + code.size(), out.status);
  if (code.size() != 3 || ec != std::errc() || ptr != code.data() + 3 || out.status < 100 ||
      (line.size() > sp1 + 4 && line[sp1 + 4] != ' ')) {
    return invalid_argument("malformed status line " + quoted(line));
  }
  out.reason = std::string(line.size() > sp1 + 5 ? line.substr(sp1 + 5) : "");
  CARAVAN_RETURN_IF_ERROR(parse_fields(rest, out.headers));
  return out;
}

Result<BodyFraming> request_framing(const Headers& headers) {
  bool has_te = headers.has("Transfer-Encoding");
  if (has_te) {
    if (headers.has("Content-Length")) {
      return invalid_argument("both Content-Length and Transfer-Encoding are set");
    }
    int codings = 0;
    for (const auto& [name, value] : headers) {
      if (iequals(name, "Transfer-Encoding")) {
        for (const std::string& part : split(value, ',')) {
          if (!iequals(trim(part), "chunked")) {
            return invalid_argument("unsupported Transfer-Encoding " + quoted(value));
          }
          ++codings;
        }
      }
    }
    if (codings != 1) {
      return invalid_argument("Transfer-Encoding must be exactly \"chunked\"");
    }
    return BodyFraming{BodyKind::kChunked, 0};
  }
  uint64_t length = CARAVAN_TRY(parse_content_length(headers));
  return length == 0 ? BodyFraming{} : BodyFraming{BodyKind::kLength, length};
}

Result<BodyFraming> response_framing(std::string_view request_method, int status,
                                     const Headers& headers) {
  if (status < 200 || status == 204 || status == 304 || request_method == "HEAD") {
    return BodyFraming{};
  }
  if (headers.has("Transfer-Encoding")) {
    // The final coding decides; anything but chunked is read until close.
    std::string_view last;
    for (const auto& [name, value] : headers) {
      if (iequals(name, "Transfer-Encoding")) {
        last = value;
      }
    }
    size_t comma = last.rfind(',');
    std::string_view final_coding =
        trim(comma == std::string_view::npos ? last : last.substr(comma + 1));
    return BodyFraming{iequals(final_coding, "chunked") ? BodyKind::kChunked
                                                        : BodyKind::kUntilClose,
                       0};
  }
  if (headers.has("Content-Length")) {
    uint64_t length = CARAVAN_TRY(parse_content_length(headers));
    return length == 0 ? BodyFraming{} : BodyFraming{BodyKind::kLength, length};
  }
  return BodyFraming{BodyKind::kUntilClose, 0};
}

Result<size_t> ChunkedDecoder::feed(std::string_view in, std::string& out) {
  size_t pos = 0;
  while (pos < in.size() && state_ != State::kDone) {
    switch (state_) {
      case State::kSize:
      case State::kTrailer: {
        size_t lf = in.find('\n', pos);
        size_t take = (lf == std::string_view::npos ? in.size() : lf + 1) - pos;
        line_.append(in.substr(pos, take));
        pos += take;
        if (state_ == State::kTrailer) {
          trailer_bytes_ += take;
          if (trailer_bytes_ > kMaxTrailerBytes) {
            return invalid_argument("chunked trailer section too large");
          }
        } else if (line_.size() > kMaxChunkLine) {
          return invalid_argument("chunk size line too long");
        }
        if (lf == std::string_view::npos) {
          break;
        }
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          return invalid_argument("chunk lines must end with CRLF");
        }
        std::string_view line(line_.data(), line_.size() - 2);
        if (state_ == State::kTrailer) {
          if (line.empty()) {
            state_ = State::kDone;
          }
          line_.clear();
          break;
        }
        std::string_view size_text = line.substr(0, line.find(';'));
        while (!size_text.empty() && (size_text.back() == ' ' || size_text.back() == '\t')) {
          size_text.remove_suffix(1);
        }
        uint64_t size = 0;
        auto [ptr, ec] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (size_text.empty() || size_text.size() > 15 || ec != std::errc() ||
            ptr != size_text.data() + size_text.size()) {
          return invalid_argument("invalid chunk size " + quoted(size_text));
        }
        line_.clear();
        remaining_ = size;
        state_ = size == 0 ? State::kTrailer : State::kData;
        break;
      }
      case State::kData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size() - pos));
        out.append(in.substr(pos, take));
        pos += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          state_ = State::kDataEnd;
        }
        break;
      }
      case State::kDataEnd: {
        line_.push_back(in[pos++]);
        if (line_.size() == 2) {
          if (line_ != "\r\n") {
            return invalid_argument("chunk data must be followed by CRLF");
          }
          line_.clear();
          state_ = State::kSize;
        }
        break;
      }
      case State::kDone:
        break;
    }
  }
  return pos;
}

std::string format_response_head(int status, const Headers& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += reason_phrase(status);
  out += "\r\n";
  append_fields(out, headers);
  return out;
}

std::string format_request_head(std::string_view method, std::string_view target,
                                const Headers& headers) {
  std::string out;
  out.reserve(64 + target.size());
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  append_fields(out, headers);
  return out;
}

std::string format_chunk(std::string_view data) {
  char hex[20];
  auto [end, ec] = std::to_chars(hex, hex + sizeof(hex), data.size(), 16);
  (void)ec;
  std::string out;
  out.reserve(static_cast<size_t>(end - hex) + data.size() + 4);
  out.append(hex, end).append("\r\n").append(data).append("\r\n");
  return out;
}

}  // namespace caravan::http::internal
