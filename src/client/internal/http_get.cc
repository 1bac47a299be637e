#include "client/internal/http_get.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "client/internal/files.h"

namespace caravan::client::internal {

namespace {

struct Url {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

Result<Url> parse_http_url(const std::string& url) {
  if (!url.starts_with("http://")) {
    return invalid_argument("\"" + url + "\" is not an http:// URL");
  }
  std::string_view rest = std::string_view(url).substr(7);
  size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  Url out;
  if (slash != std::string_view::npos) {
    out.target = std::string(rest.substr(slash));
    if (out.target[0] == '?') out.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) {
    return invalid_argument("credentials in the URL \"" + url +
                            "\" are not supported; use "
                            "artifact headers");
  }
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string_view::npos)
      return invalid_argument("bad IPv6 host in \"" + url + "\"");
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      out.port = std::string(authority.substr(close + 2));
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty() ||
      !std::all_of(out.port.begin(), out.port.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return invalid_argument("\"" + url + "\" has no valid host[:port]");
  }
  return out;
}

class Connection {
 public:
  Connection(int fd, std::chrono::milliseconds timeout) : fd_(fd), timeout_(timeout) {}
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status send_all(std::string_view data) {
    while (!data.empty()) {
      CARAVAN_RETURN_IF_ERROR(wait_for(POLLOUT));
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return unavailable(std::string("send failed: ") + std::strerror(errno));
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::ok();
  }

  // Appends what arrives to buffer_; false at end of stream.
  Result<bool> fill() {
    char buf[64 * 1024];
    while (true) {
      CARAVAN_RETURN_IF_ERROR(wait_for(POLLIN));
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) return unavailable(std::string("receive failed: ") + std::strerror(errno));
      buffer_.append(buf, static_cast<size_t>(n));
      return n > 0;
    }
  }

  // Reads through the next CRLF; the line without it.
  Result<std::string> read_line() {
    while (true) {
      size_t eol = buffer_.find("\r\n");
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 2);
        return line;
      }
      if (buffer_.size() > 64 * 1024) return unavailable("response line too long");
      if (!CARAVAN_TRY(fill())) return unavailable("connection closed in the middle of a response");
    }
  }

  std::string& buffer() { return buffer_; }

 private:
  Status wait_for(short events) {
    struct pollfd p {
      fd_, events, 0
    };
    while (true) {
      int rc = ::poll(&p, 1, static_cast<int>(timeout_.count()));
      if (rc < 0 && errno == EINTR) continue;
      if (rc < 0) return unavailable(std::string("poll failed: ") + std::strerror(errno));
      if (rc == 0) return unavailable("timed out after " + std::to_string(timeout_.count()) + "ms");
      return Status::ok();
    }
  }

  int fd_;
  std::chrono::milliseconds timeout_;
  std::string buffer_;
};

Result<int> connect_to(const Url& url, std::chrono::milliseconds timeout) {
  struct addrinfo hints {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* list = nullptr;
  int rc = ::getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &list);
  if (rc != 0) return unavailable("cannot resolve " + url.host + ": " + ::gai_strerror(rc));
  std::string last_error = "no addresses";
  for (struct addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      ::freeaddrinfo(list);
      return fd;
    }
    if (errno == EINPROGRESS) {
      struct pollfd p {
        fd, POLLOUT, 0
      };
      int err = 0;
      socklen_t len = sizeof err;
      if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1 &&
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
        ::freeaddrinfo(list);
        return fd;
      }
      last_error = err != 0 ? std::strerror(err) : "connect timed out";
    } else {
      last_error = std::strerror(errno);
    }
    ::close(fd);
  }
  ::freeaddrinfo(list);
  return unavailable("cannot connect to " + url.host + ":" + url.port + ": " + last_error);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Response {
  int status = 0;
  std::string reason;
  std::map<std::string, std::string> headers;  // lower-case names
};

Result<Response> read_head(Connection& conn) {
  Response resp;
  std::string status_line = CARAVAN_TRY(conn.read_line());
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
    return unavailable("not an HTTP/1.x response: \"" + status_line.substr(0, 80) + "\"");
  }
  resp.status = std::atoi(status_line.substr(9, 3).c_str());
  resp.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  while (true) {
    std::string line = CARAVAN_TRY(conn.read_line());
    if (line.empty()) return resp;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t") + 1);
    resp.headers[lower(line.substr(0, colon))] = value;
  }
}

class FileSink {
 public:
  explicit FileSink(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  ~FileSink() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  Status open_status() const {
    return fd_ >= 0 ? Status::ok() : errno_status("cannot create", path_);
  }
  Status write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return errno_status("cannot write", path_);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::ok();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// Moves up to `limit` buffered-or-received bytes to `sink`; stops early at end of
// stream only when `until_close`.
Status copy_body(Connection& conn, FileSink& sink, size_t limit, bool until_close) {
  while (limit > 0) {
    std::string& buf = conn.buffer();
    if (buf.empty()) {
      bool more = CARAVAN_TRY(conn.fill());
      if (!more) {
        return until_close ? Status::ok() : unavailable("connection closed before the body ended");
      }
      continue;
    }
    size_t n = std::min(limit, buf.size());
    CARAVAN_RETURN_IF_ERROR(sink.write(std::string_view(buf).substr(0, n)));
    buf.erase(0, n);
    limit -= n;
  }
  return Status::ok();
}

Status copy_chunked_body(Connection& conn, FileSink& sink) {
  while (true) {
    std::string size_line = CARAVAN_TRY(conn.read_line());
    size_t size = std::strtoul(size_line.c_str(), nullptr, 16);
    if (size == 0) return Status::ok();  // trailers are not needed
    CARAVAN_RETURN_IF_ERROR(copy_body(conn, sink, size, false));
    std::string chunk_end = CARAVAN_TRY(conn.read_line());
    if (!chunk_end.empty()) return unavailable("malformed chunked body");
  }
}

// One request. Sets `redirect` to the next URL on a 3xx answer with Location.
Status get_once(const std::string& url_text, const std::string& path, const HttpGetOptions& options,
                std::string& redirect) {
  Url url = CARAVAN_TRY(parse_http_url(url_text));
  int fd = CARAVAN_TRY(connect_to(url, options.timeout));
  Connection conn(fd, options.timeout);
  std::string request = "GET " + url.target + " HTTP/1.1\r\nHost: " + url.host +
                        (url.port == "80" ? "" : ":" + url.port) +
                        "\r\nUser-Agent: caravan-artifact\r\nAccept-Encoding: identity\r\n"
                        "Connection: close\r\n";
  for (const auto& [k, v] : options.headers) request += k + ": " + v + "\r\n";
  request += "\r\n";
  CARAVAN_RETURN_IF_ERROR(conn.send_all(request));
  Response resp = CARAVAN_TRY(read_head(conn));
  if (resp.status >= 300 && resp.status < 400 && resp.headers.count("location")) {
    redirect = resp.headers["location"];
    if (redirect.starts_with("/")) {
      redirect = "http://" + url.host + (url.port == "80" ? "" : ":" + url.port) + redirect;
    }
    return Status::ok();
  }
  if (resp.status < 200 || resp.status >= 300) {
    return unavailable("GET " + url_text + ": HTTP " + std::to_string(resp.status) + " " +
                       resp.reason);
  }
  FileSink sink(path);
  CARAVAN_RETURN_IF_ERROR(sink.open_status());
  if (lower(resp.headers["transfer-encoding"]).find("chunked") != std::string::npos) {
    return copy_chunked_body(conn, sink);
  }
  if (resp.headers.count("content-length")) {
    const std::string& length = resp.headers["content-length"];
    char* end = nullptr;
    unsigned long long n = std::strtoull(length.c_str(), &end, 10);
    if (length.empty() || *end != '\0') return unavailable("bad Content-Length \"" + length + "\"");
    return copy_body(conn, sink, static_cast<size_t>(n), false);
  }
  return copy_body(conn, sink, SIZE_MAX, true);
}

}  // namespace

Status http_get_to_file(const std::string& url, const std::string& path,
                        const HttpGetOptions& options) {
  std::string current = url;
  for (int hop = 0; hop <= options.max_redirects; ++hop) {
    std::string redirect;
    Status st = get_once(current, path, options, redirect);
    if (!st.is_ok()) {
      if (st.code() == StatusCode::kUnavailable && st.message().starts_with("GET ")) return st;
      return Status(st.code(), "GET " + current + ": " + st.message());
    }
    if (redirect.empty()) return Status::ok();
    if (!redirect.starts_with("http://")) {
      return invalid_argument("GET " + current + " redirects to " + redirect +
                              ", which the built-in client cannot follow (install curl for https)");
    }
    current = redirect;
  }
  return unavailable("GET " + url + ": more than " + std::to_string(options.max_redirects) +
                     " redirects");
}

}  // namespace caravan::client::internal
