// https checks against a loopback TLS server with a self-signed certificate
// made on the fly: tls_skip_verify accepts it, verification rejects it.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "client/health_check.h"
#include "unit/client/check_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;

// A TLS server on 127.0.0.1 answering every request with `response`, using a
// fresh self-signed certificate for CN=localhost.
class TlsServer {
 public:
  explicit TlsServer(std::string response) : response_(std::move(response)) {
    key_ = EVP_EC_gen("prime256v1");
    cert_ = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    X509_sign(cert_, key_, EVP_sha256());
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx_, cert_);
    SSL_CTX_use_PrivateKey(ctx_, key_);
    listen_fd_ = testing::listen_loopback(&port_);
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    stop_read_ = fds[0];
    stop_write_ = fds[1];
    thread_ = std::thread([this] { serve(); });
  }
  ~TlsServer() {
    char c = 'x';
    [[maybe_unused]] ssize_t n = ::write(stop_write_, &c, 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(stop_read_);
    ::close(stop_write_);
    SSL_CTX_free(ctx_);
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  int port() const { return port_; }
  int handshakes() const { return handshakes_; }

 private:
  void serve() {
    while (true) {
      pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
      if (::poll(p, 2, -1) < 0) continue;
      if (p[1].revents != 0) return;
      int conn = ::accept(listen_fd_, nullptr, nullptr);
      if (conn < 0) continue;
      timeval tv{5, 0};
      ::setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, conn);
      if (SSL_accept(ssl) == 1) {
        ++handshakes_;
        std::string request;
        char buf[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
          int n = SSL_read(ssl, buf, sizeof buf);
          if (n <= 0) break;
          request.append(buf, static_cast<size_t>(n));
        }
        SSL_write(ssl, response_.data(), static_cast<int>(response_.size()));
        SSL_shutdown(ssl);
      }
      ERR_clear_error();
      SSL_free(ssl);
      ::close(conn);
    }
  }

  std::string response_;
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  int stop_read_ = -1;
  int stop_write_ = -1;
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

CheckResult probe_https(int port, bool skip_verify) {
  HttpCheckSpec spec;
  spec.protocol = "https";
  spec.address = "127.0.0.1";
  spec.port = port;
  spec.path = "/health";
  spec.tls_skip_verify = skip_verify;
  Result<HealthCheckerPtr> checker = make_http_checker(spec);
  EXPECT_TRUE(checker.has_value());
  return (*checker)->probe({std::chrono::steady_clock::now() + 5s, -1});
}

TEST(HttpCheckTls, SkipVerifyAcceptsASelfSignedCertificate) {
  TlsServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CheckResult r = probe_https(server.port(), /*skip_verify=*/true);
  EXPECT_EQ(r.status, CheckStatus::kPassing) << r.output;
  EXPECT_EQ(r.output, "HTTP GET https://127.0.0.1:" + std::to_string(server.port()) +
                          "/health: 200 OK Output: ok");
  EXPECT_EQ(server.handshakes(), 1);
}

TEST(HttpCheckTls, VerificationRejectsASelfSignedCertificate) {
  TlsServer server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CheckResult r = probe_https(server.port(), /*skip_verify=*/false);
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("certificate verification failed"), std::string::npos) << r.output;
}

TEST(HttpCheckTls, PlainHttpServerFailsTheHandshake) {
  // A plain HTTP server answers the ClientHello with an HTTP error and closes.
  int port = 0;
  int listen_fd = testing::listen_loopback(&port);
  ASSERT_GE(listen_fd, 0);
  std::thread plain([&] {
    int conn = ::accept(listen_fd, nullptr, nullptr);
    if (conn < 0) return;
    char buf[1024];
    [[maybe_unused]] ssize_t got = ::recv(conn, buf, sizeof buf, 0);
    std::string reply = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    [[maybe_unused]] ssize_t sent = ::send(conn, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(conn);
  });
  CheckResult r = probe_https(port, /*skip_verify=*/true);
  plain.join();
  ::close(listen_fd);
  EXPECT_EQ(r.status, CheckStatus::kCritical);
  EXPECT_NE(r.output.find("TLS handshake"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace caravan::client
