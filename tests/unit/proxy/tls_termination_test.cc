// TLS termination: certificates chosen by SNI (exact and wildcard names, the
// first pair as default), TLS 1.2+ only, ALPN http/1.1, requests proxied.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdlib>

#include "core/temp_file.h"
#include "engine_test_util.h"
#include "proxy/engine.h"
#include "proxy/tls_context.h"

namespace caravan::proxy {
namespace {

using namespace testing;  // NOLINT

// Writes a self-signed certificate for `san` into dir/name.{crt,key}.
TlsCertificate make_cert(const std::string& dir, const std::string& name, const std::string& cn,
                         const std::string& san) {
  TlsCertificate c{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=" + cn +
                    "' -addext 'subjectAltName=" + san + "' -keyout " + c.key_file + " -out " +
                    c.cert_file + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return c;
}

struct TlsResult {
  bool connected = false;
  std::string cn;
  std::string alpn;
  std::string response;
};

// Connects with `sni` (empty: none), records the certificate's CN and sends `request`.
TlsResult tls_get(uint16_t port, const std::string& sni, const std::string& request,
                  int max_version = 0) {
  TlsResult out;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (max_version != 0) {
    SSL_CTX_set_min_proto_version(ctx, max_version);
    SSL_CTX_set_max_proto_version(ctx, max_version);
  }
  static const unsigned char kAlpn[] = "\x02h2\x08http/1.1";
  SSL_CTX_set_alpn_protos(ctx, kAlpn, sizeof(kAlpn) - 1);
  int fd = connect_loopback(port);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl, sni.c_str());
  if (SSL_connect(ssl) == 1) {
    out.connected = true;
    X509* cert = SSL_get1_peer_certificate(ssl);
    char cn[256] = {0};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof(cn));
    out.cn = cn;
    X509_free(cert);
    const unsigned char* proto;
    unsigned int len;
    SSL_get0_alpn_selected(ssl, &proto, &len);
    out.alpn.assign(reinterpret_cast<const char*>(proto), len);
    if (!request.empty()) {
      SSL_write(ssl, request.data(), static_cast<int>(request.size()));
      char buf[4096];
      while (true) {
        int n = SSL_read(ssl, buf, sizeof(buf));
        if (n <= 0) break;
        out.response.append(buf, static_cast<size_t>(n));
        size_t head_end = out.response.find("\r\n\r\n");
        size_t cl = out.response.find("Content-Length: ");
        if (head_end != std::string::npos && cl != std::string::npos &&
            out.response.size() >= head_end + 4 + std::stoul(out.response.substr(cl + 16))) {
          break;
        }
      }
    }
  }
  SSL_free(ssl);
  ::close(fd);
  SSL_CTX_free(ctx);
  return out;
}

TEST(TlsNames, WildcardsCoverOneLabel) {
  EXPECT_TRUE(tls_name_matches("*.example.com", "a.example.com"));
  EXPECT_TRUE(tls_name_matches("*.example.com", "A.Example.COM"));
  EXPECT_FALSE(tls_name_matches("*.example.com", "example.com"));
  EXPECT_FALSE(tls_name_matches("*.example.com", "a.b.example.com"));
  EXPECT_TRUE(tls_name_matches("api.example.com", "api.example.com."));
  EXPECT_FALSE(tls_name_matches("api.example.com", "web.example.com"));
}

TEST(TlsTermination, SniChoosesTheCertificate) {
  auto dir = TempDir::create("caravan-tls-test");
  ASSERT_TRUE(dir.has_value());
  TlsCertificate a = make_cert(dir->path(), "a", "a.example.com", "DNS:a.example.com");
  TlsCertificate b = make_cert(dir->path(), "b", "b-wildcard", "DNS:*.b.example.com,DNS:b.example.com");

  Backend backend([](const Message& m, int, Reader&) {
    return Backend::ok(m.header("x-forwarded-proto") + " " + m.start_line);
  });
  auto director = std::make_shared<FakeDirector>(std::vector<Endpoint>{endpoint(backend.port())});
  EngineOptions options;
  options.threads = 1;
  options.listeners.push_back(ListenerOptions{"127.0.0.1", 0, {a, b}});
  Engine engine(options, director);
  Status s = engine.start();
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  uint16_t port = engine.bound_ports()[0];

  TlsResult r = tls_get(port, "x.b.example.com", "GET /t HTTP/1.1\r\nHost: x.b.example.com\r\n\r\n");
  ASSERT_TRUE(r.connected);
  EXPECT_EQ(r.cn, "b-wildcard");
  EXPECT_EQ(r.alpn, "http/1.1");
  EXPECT_NE(r.response.find("200 OK"), std::string::npos) << r.response;
  EXPECT_NE(r.response.find("https GET /t HTTP/1.1"), std::string::npos) << r.response;
  EXPECT_TRUE(director->last_client().tls);
  EXPECT_EQ(director->last_client().sni, "x.b.example.com");

  EXPECT_EQ(tls_get(port, "b.example.com", "").cn, "b-wildcard");
  EXPECT_EQ(tls_get(port, "a.example.com", "").cn, "a.example.com");
  EXPECT_EQ(tls_get(port, "", "").cn, "a.example.com");            // default: the first
  EXPECT_EQ(tls_get(port, "other.org", "").cn, "a.example.com");   // no match: the first
  EXPECT_FALSE(tls_get(port, "a.example.com", "", TLS1_1_VERSION).connected);
  EXPECT_TRUE(tls_get(port, "a.example.com", "", TLS1_2_VERSION).connected);
  engine.stop(std::chrono::steady_clock::now() + 1s);
}

TEST(TlsTermination, StartNamesABadCertificateFile) {
  auto director = std::make_shared<FakeDirector>(std::vector<Endpoint>{});
  EngineOptions options;
  options.listeners.push_back(
      ListenerOptions{"127.0.0.1", 0, {TlsCertificate{"/nonexistent/c.pem", "/nonexistent/k.pem"}}});
  Engine engine(options, director);
  Status s = engine.start();
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("/nonexistent/c.pem"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace caravan::proxy
