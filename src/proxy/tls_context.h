// TLS termination for the ingress's listeners (OpenSSL 3): one server context
// per certificate/key pair, SNI picks the certificate whose names (SAN DNS
// entries, else the subject CN; "*.example.com" wildcards) match, the first
// pair is the default. TLS 1.2 and newer only; ALPN offers http/1.1.
// Built once at Engine::start(), shared read-only by every event loop.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace caravan::proxy {

struct TlsCertificate {
  std::string cert_file;  // PEM, leaf first then chain
  std::string key_file;   // PEM private key
};

// Whether a certificate name (possibly "*.example.com") matches a host name.
// A wildcard covers exactly one left-most label. Case-insensitive.
bool tls_name_matches(std::string_view pattern, std::string_view host);

class TlsServerContext {
 public:
  // Loads every pair; errors name the file and what is wrong with it.
  static Result<std::unique_ptr<TlsServerContext>> create(const std::vector<TlsCertificate>& certs);
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  // A new server-side SSL object for an accepted connection (caller owns it).
  SSL* new_ssl() const;
  // The names the certificate at `index` answers for (for tests and logs).
  const std::vector<std::string>& names(size_t index) const { return entries_[index].names; }

 private:
  struct Entry {
    SSL_CTX* ctx = nullptr;
    std::vector<std::string> names;
  };
  TlsServerContext() = default;
  static int on_servername(SSL* ssl, int* alert, void* arg);

  std::vector<Entry> entries_;
};

}  // namespace caravan::proxy
