#include "proxy/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cctype>

namespace caravan::proxy {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  if (code == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

// ALPN: pick http/1.1 when the client offers it; otherwise go on without ALPN.
int on_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
            unsigned int inlen, void*) {
  unsigned int i = 0;
  while (i < inlen) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == 8 && std::string_view(reinterpret_cast<const char*>(in + i + 1), 8) == "http/1.1") {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

std::vector<std::string> certificate_names(X509* cert) {
  std::vector<std::string> names;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (sans != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
      if (name->type == GEN_DNS) {
        const unsigned char* data = ASN1_STRING_get0_data(name->d.dNSName);
        int len = ASN1_STRING_length(name->d.dNSName);
        names.push_back(lower(std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(len))));
      }
    }
    GENERAL_NAMES_free(sans);
  }
  if (names.empty()) {
    X509_NAME* subject = X509_get_subject_name(cert);
    int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (idx >= 0) {
      ASN1_STRING* cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
      const unsigned char* data = ASN1_STRING_get0_data(cn);
      names.push_back(lower(std::string_view(reinterpret_cast<const char*>(data),
                                             static_cast<size_t>(ASN1_STRING_length(cn)))));
    }
  }
  return names;
}

}  // namespace

bool tls_name_matches(std::string_view pattern, std::string_view host) {
  auto ieq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
        return false;
      }
    }
    return true;
  };
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    size_t dot = host.find('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    return ieq(pattern.substr(1), host.substr(dot));
  }
  return ieq(pattern, host);
}

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::create(
    const std::vector<TlsCertificate>& certs) {
  if (certs.empty()) return Status(StatusCode::kInvalidArgument, "a TLS listener needs at least one certificate");
  std::unique_ptr<TlsServerContext> self(new TlsServerContext());
  for (const TlsCertificate& pair : certs) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) return internal_error("cannot create a TLS context: " + openssl_error());
    self->entries_.push_back(Entry{ctx, {}});
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx, pair.cert_file.c_str()) != 1) {
      return Status(StatusCode::kInvalidArgument, "cannot load TLS certificate " + pair.cert_file +
                                                      ": " + openssl_error() +
                                                      " (expected a PEM certificate chain)");
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, pair.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      return Status(StatusCode::kInvalidArgument, "cannot load TLS key " + pair.key_file + ": " +
                                                      openssl_error() + " (expected a PEM private key)");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
      return Status(StatusCode::kInvalidArgument, "TLS key " + pair.key_file +
                                                      " does not match certificate " + pair.cert_file);
    }
    SSL_CTX_set_alpn_select_cb(ctx, on_alpn, nullptr);
    SSL_CTX_set_session_id_context(ctx, reinterpret_cast<const unsigned char*>("caravan"), 7);
    self->entries_.back().names = certificate_names(SSL_CTX_get0_certificate(ctx));
  }
  // The default context routes SNI to the others.
  SSL_CTX_set_tlsext_servername_callback(self->entries_.front().ctx, &TlsServerContext::on_servername);
  SSL_CTX_set_tlsext_servername_arg(self->entries_.front().ctx, self.get());
  return self;
}

TlsServerContext::~TlsServerContext() {
  for (Entry& e : entries_) SSL_CTX_free(e.ctx);
}

SSL* TlsServerContext::new_ssl() const { return SSL_new(entries_.front().ctx); }

int TlsServerContext::on_servername(SSL* ssl, int*, void* arg) {
  auto* self = static_cast<TlsServerContext*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_OK;
  std::string_view host(name);
  // Exact names win over wildcards; the first certificate stays the default.
  for (int pass = 0; pass < 2; ++pass) {
    for (const Entry& e : self->entries_) {
      for (const std::string& pattern : e.names) {
        bool wildcard = pattern.size() > 1 && pattern[0] == '*';
        if (wildcard != (pass == 1)) continue;
        if (tls_name_matches(pattern, host)) {
          if (e.ctx != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, e.ctx);
          return SSL_TLSEXT_ERR_OK;
        }
      }
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace caravan::proxy
