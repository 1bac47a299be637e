// The http health check: one HTTP/1.1 request per probe on a fresh connection
// (plain or TLS), bounded by the probe's deadline and cancel fd. Status as in
// Consul: 2xx passing, 429 warning, anything else critical.
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>

#include "client/health_check.h"
#include "client/internal/probe_io.h"
#include "core/strings.h"

namespace caravan::client {

namespace {

constexpr size_t kMaxOutputBody = 4 * 1024;  // as Consul's check output buffer
constexpr size_t kMaxHead = 64 * 1024;

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

std::string openssl_error_text() {
  unsigned long err = ERR_get_error();
  ERR_clear_error();
  if (err == 0) return "TLS error";
  char buf[256];
  ERR_error_string_n(err, buf, sizeof buf);
  return buf;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Blocks SIGPIPE on this thread while OpenSSL writes to a socket (it uses
// write(2), not send(MSG_NOSIGNAL)), and swallows a SIGPIPE raised meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t pipe_set;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_);
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pipe_set;
      sigemptyset(&pipe_set);
      sigaddset(&pipe_set, SIGPIPE);
      timespec zero{0, 0};
      while (sigtimedwait(&pipe_set, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
  bool was_pending_ = false;
};

// One connection, plain or TLS, over a non-blocking socket.
class Connection {
 public:
  Connection(drivers::UniqueFd fd, std::unique_ptr<SSL, SslDeleter> ssl)
      : fd_(std::move(fd)), ssl_(std::move(ssl)) {}

  // "" on success, else why not. Sets cancelled/timed_out.
  std::string handshake(const ProbeContext& ctx) {
    if (!ssl_) return "";
    SSL_set_fd(ssl_.get(), fd_.get());
    while (true) {
      ERR_clear_error();
      int rc = SSL_connect(ssl_.get());
      if (rc == 1) return "";
      int err = SSL_get_error(ssl_.get(), rc);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        if (!wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ctx)) return "interrupted";
        continue;
      }
      long verify = SSL_get_verify_result(ssl_.get());
      if (verify != X509_V_OK) {
        return std::string("TLS handshake: certificate verification failed: ") +
               X509_verify_cert_error_string(verify);
      }
      if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        return "TLS handshake: connection closed by the server";
      }
      return "TLS handshake: " + openssl_error_text();
    }
  }

  // Writes all of `data`; "" on success.
  std::string write_all(std::string_view data, const ProbeContext& ctx) {
    while (!data.empty()) {
      if (ssl_) {
        ERR_clear_error();
        int rc = SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
        if (rc > 0) {
          data.remove_prefix(static_cast<size_t>(rc));
          continue;
        }
        int err = SSL_get_error(ssl_.get(), rc);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
          if (!wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ctx)) return "interrupted";
          continue;
        }
        return "sending the request: " + openssl_error_text();
      }
      ssize_t n = ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
      if (n >= 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait(POLLOUT, ctx)) return "interrupted";
        continue;
      }
      return "sending the request: " + internal::errno_text(errno);
    }
    return "";
  }

  // Appends what arrives to `out`. Returns the number of bytes read (0 = end of
  // stream) or nullopt with `error` set.
  std::optional<size_t> read_some(std::string& out, const ProbeContext& ctx, std::string& error) {
    char buf[16 * 1024];
    while (true) {
      if (ssl_) {
        ERR_clear_error();
        int rc = SSL_read(ssl_.get(), buf, sizeof buf);
        if (rc > 0) {
          out.append(buf, static_cast<size_t>(rc));
          return static_cast<size_t>(rc);
        }
        int err = SSL_get_error(ssl_.get(), rc);
        if (err == SSL_ERROR_ZERO_RETURN) return 0;
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
          if (!wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, ctx)) {
            error = "interrupted";
            return std::nullopt;
          }
          continue;
        }
        // Many servers close without close_notify: treat it as the end of the body.
        if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return 0;
        error = "reading the response: " + openssl_error_text();
        return std::nullopt;
      }
      ssize_t n = ::recv(fd_.get(), buf, sizeof buf, 0);
      if (n >= 0) {
        out.append(buf, static_cast<size_t>(n));
        return static_cast<size_t>(n);
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait(POLLIN, ctx)) {
          error = "interrupted";
          return std::nullopt;
        }
        continue;
      }
      error = "reading the response: " + internal::errno_text(errno);
      return std::nullopt;
    }
  }

  bool cancelled() const { return cancelled_; }
  bool timed_out() const { return timed_out_; }

 private:
  bool wait(short events, const ProbeContext& ctx) {
    switch (internal::wait_fd(fd_.get(), events, ctx)) {
      case internal::WaitOutcome::kReady:
        return true;
      case internal::WaitOutcome::kCancelled:
        cancelled_ = true;
        return false;
      case internal::WaitOutcome::kTimeout:
        timed_out_ = true;
        return false;
    }
    return false;
  }

  drivers::UniqueFd fd_;
  std::unique_ptr<SSL, SslDeleter> ssl_;
  bool cancelled_ = false;
  bool timed_out_ = false;
};

// The parsed head of a response.
struct ResponseHead {
  int code = 0;
  std::string status_text;  // "503 Service Unavailable"
  std::optional<size_t> content_length;
  bool chunked = false;
  size_t head_size = 0;  // bytes up to and including the blank line
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Parses the head once `data` holds a complete one; nullopt while incomplete.
// Sets `error` for a malformed head.
std::optional<ResponseHead> parse_head(const std::string& data, std::string& error) {
  size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  ResponseHead head;
  head.head_size = end + 4;
  std::string_view text(data.data(), end);
  size_t line_end = text.find("\r\n");
  std::string_view status_line = text.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.substr(0, 5) != "HTTP/" || status_line.find(' ') == std::string_view::npos) {
    error = "malformed response status line \"" + std::string(status_line.substr(0, 80)) + "\"";
    return std::nullopt;
  }
  std::string_view rest = trim(status_line.substr(status_line.find(' ') + 1));
  if (rest.size() < 3 || !std::isdigit(static_cast<unsigned char>(rest[0])) ||
      !std::isdigit(static_cast<unsigned char>(rest[1])) ||
      !std::isdigit(static_cast<unsigned char>(rest[2]))) {
    error = "malformed response status line \"" + std::string(status_line.substr(0, 80)) + "\"";
    return std::nullopt;
  }
  head.code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  head.status_text = std::string(rest);
  std::string_view headers = line_end == std::string_view::npos ? "" : text.substr(line_end + 2);
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? "" : headers.substr(eol + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      size_t n = 0;
      bool ok = !value.empty();
      for (char c : value) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
          ok = false;
        else
          n = n * 10 + static_cast<size_t>(c - '0');
      }
      if (ok) head.content_length = n;
    } else if (iequals(name, "Transfer-Encoding") &&
               value.find("chunked") != std::string_view::npos) {
      head.chunked = true;
    }
  }
  return head;
}

// Decodes as much of a chunked body as is present.
std::string dechunk(std::string_view body, bool& complete) {
  std::string out;
  complete = false;
  while (true) {
    size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) return out;
    size_t size = 0;
    size_t i = 0;
    for (; i < eol && std::isxdigit(static_cast<unsigned char>(body[i])); ++i) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(body[i])));
      size = size * 16 + static_cast<size_t>(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (i == 0) return out;
    body.remove_prefix(eol + 2);
    if (size == 0) {
      complete = true;
      return out;
    }
    if (body.size() < size) {
      out.append(body);
      return out;
    }
    out.append(body.substr(0, size));
    body.remove_prefix(size);
    if (body.size() < 2) return out;
    body.remove_prefix(2);
  }
}

class HttpChecker final : public HealthChecker {
 public:
  HttpChecker(HttpCheckSpec spec, std::unique_ptr<SSL_CTX, SslCtxDeleter> tls)
      : spec_(std::move(spec)), tls_(std::move(tls)) {
    if (spec_.path.empty() || spec_.path[0] != '/') spec_.path = "/" + spec_.path;
    host_port_ = internal::join_host_port(spec_.address, spec_.port);
    url_ = spec_.protocol + "://" + host_port_ + spec_.path;
    prefix_ = "HTTP " + spec_.method + " " + url_ + ": ";
    request_ = build_request();
  }

  CheckResult probe(const ProbeContext& ctx) override {
    SteadyTime started = std::chrono::steady_clock::now();
    internal::ConnectOutcome conn = internal::connect_tcp(spec_.address, spec_.port, ctx, started);
    if (!conn.fd.valid()) return critical(conn.error);
    std::unique_ptr<SSL, SslDeleter> ssl;
    std::optional<SigpipeGuard> sigpipe;
    if (tls_) {
      sigpipe.emplace();
      ssl.reset(SSL_new(tls_.get()));
      if (!ssl) return critical("TLS: " + openssl_error_text());
      const std::string& name =
          spec_.tls_server_name.empty() ? spec_.address : spec_.tls_server_name;
      if (!is_ip_literal(name)) SSL_set_tlsext_host_name(ssl.get(), name.c_str());
      if (!spec_.tls_skip_verify) {
        if (is_ip_literal(name)) {
          X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), name.c_str());
        } else {
          SSL_set1_host(ssl.get(), name.c_str());
        }
      }
    }
    Connection c(std::move(conn.fd), std::move(ssl));
    auto failed = [&](const std::string& error, const char* waiting_for) {
      if (c.timed_out())
        return critical(internal::timed_out_text(ctx, started) + " " + waiting_for);
      if (c.cancelled()) return critical("cancelled");
      return critical(error);
    };
    if (std::string err = c.handshake(ctx); !err.empty())
      return failed(err, "in the TLS handshake");
    if (std::string err = c.write_all(request_, ctx); !err.empty()) {
      return failed(err, "sending the request");
    }
    std::string data;
    std::optional<ResponseHead> head;
    std::string error;
    while (true) {
      std::optional<size_t> n = c.read_some(data, ctx, error);
      if (!n) {
        if (head) break;  // a truncated body still tells the status
        return failed(error, "waiting for the response");
      }
      if (!head) {
        std::string parse_error;
        head = parse_head(data, parse_error);
        if (!parse_error.empty()) return critical(parse_error);
        if (!head && data.size() > kMaxHead) return critical("response head too large");
      }
      if (*n == 0) {
        if (!head) {
          return critical(data.empty() ? "connection closed by the server before a response"
                                       : "connection closed in the middle of the response head");
        }
        break;
      }
      if (head && body_complete(*head, data)) break;
    }
    return finish(*head, data);
  }

  std::string describe() const override { return "http " + spec_.method + " " + url_; }

 private:
  CheckResult critical(const std::string& what) const {
    return {CheckStatus::kCritical, prefix_ + what};
  }

  bool body_complete(const ResponseHead& head, const std::string& data) const {
    size_t body = data.size() - head.head_size;
    if (spec_.method == "HEAD" || head.code == 204 || head.code == 304 || head.code / 100 == 1) {
      return true;
    }
    if (body >= kMaxOutputBody) return true;  // enough for the output; the rest is not read
    if (head.chunked) {
      bool complete = false;
      dechunk(std::string_view(data).substr(head.head_size), complete);
      return complete;
    }
    if (head.content_length) return body >= *head.content_length;
    return false;  // delimited by the end of the connection
  }

  CheckResult finish(const ResponseHead& head, const std::string& data) const {
    std::string body = data.substr(std::min(head.head_size, data.size()));
    if (head.chunked) {
      bool complete = false;
      body = dechunk(body, complete);
    }
    if (head.content_length && body.size() > *head.content_length)
      body.resize(*head.content_length);
    if (body.size() > kMaxOutputBody) body.resize(kMaxOutputBody);
    CheckResult result;
    if (head.code >= 200 && head.code < 300) {
      result.status = CheckStatus::kPassing;
    } else if (head.code == 429) {
      result.status = CheckStatus::kWarning;
    } else {
      result.status = CheckStatus::kCritical;
    }
    result.output = prefix_ + head.status_text;
    if (!body.empty()) result.output += " Output: " + body;
    return result;
  }

  std::string build_request() const {
    std::string req = spec_.method + " " + spec_.path + " HTTP/1.1\r\n";
    bool has_host = false;
    bool has_user_agent = false;
    bool has_accept = false;
    for (const auto& [name, values] : spec_.headers) {
      if (iequals(name, "Host")) has_host = true;
      if (iequals(name, "User-Agent")) has_user_agent = true;
      if (iequals(name, "Accept")) has_accept = true;
      if (iequals(name, "Content-Length") || iequals(name, "Connection")) continue;
      for (const std::string& value : values) req += name + ": " + value + "\r\n";
    }
    if (!has_host) req += "Host: " + host_port_ + "\r\n";
    if (!has_user_agent) req += "User-Agent: Caravan Health Check\r\n";
    if (!has_accept) req += "Accept: text/plain, text/*, */*\r\n";
    if (!spec_.body.empty() || spec_.method == "POST" || spec_.method == "PUT" ||
        spec_.method == "PATCH") {
      req += "Content-Length: " + std::to_string(spec_.body.size()) + "\r\n";
    }
    req += "Connection: close\r\n\r\n";
    req += spec_.body;
    return req;
  }

  HttpCheckSpec spec_;
  std::unique_ptr<SSL_CTX, SslCtxDeleter> tls_;
  std::string host_port_;
  std::string url_;
  std::string prefix_;
  std::string request_;
};

bool valid_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c >= 127 || c == ':') return false;
  }
  return true;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace

Result<HealthCheckerPtr> make_http_checker(HttpCheckSpec spec) {
  if (spec.protocol.empty()) spec.protocol = "http";
  if (spec.method.empty()) spec.method = "GET";
  if (spec.protocol != "http" && spec.protocol != "https") {
    return invalid_argument("http check: unknown protocol \"" + spec.protocol +
                            "\"; use http or https");
  }
  if (spec.port < 1 || spec.port > 65535) {
    return invalid_argument("http check: port " + std::to_string(spec.port) + " of " +
                            spec.address +
                            " is not in 1..65535; set the check's or the service's port");
  }
  if (spec.address.empty()) return invalid_argument("http check: no address to connect to");
  if (!valid_token(spec.method)) {
    return invalid_argument("http check: invalid method \"" + spec.method + "\"");
  }
  if (has_line_break(spec.path) || spec.path.find(' ') != std::string::npos) {
    return invalid_argument("http check: the path \"" + spec.path +
                            "\" holds spaces or line breaks; percent-encode them");
  }
  for (const auto& [name, values] : spec.headers) {
    if (!valid_token(name))
      return invalid_argument("http check: invalid header name \"" + name + "\"");
    for (const std::string& v : values) {
      if (has_line_break(v)) {
        return invalid_argument("http check: the value of header " + name + " holds a line break");
      }
    }
  }
  std::unique_ptr<SSL_CTX, SslCtxDeleter> tls;
  if (spec.protocol == "https") {
    tls.reset(SSL_CTX_new(TLS_client_method()));
    if (!tls)
      return internal_error("http check: cannot create a TLS context: " + openssl_error_text());
    SSL_CTX_set_min_proto_version(tls.get(), TLS1_2_VERSION);
    if (spec.tls_skip_verify) {
      SSL_CTX_set_verify(tls.get(), SSL_VERIFY_NONE, nullptr);
    } else {
      SSL_CTX_set_verify(tls.get(), SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_default_verify_paths(tls.get());
    }
  }
  return HealthCheckerPtr(std::make_unique<HttpChecker>(std::move(spec), std::move(tls)));
}

}  // namespace caravan::client
