// The ingress file: an HCL file (shaped like Consul's ingress-gateway config
// entry) that declares the ingress's listeners, their TLS certificates and,
// per listener, the services it routes to — catalog services or static lists of
// addresses outside the cluster — with hosts, path prefix, rewrites, header
// changes and balancing. Read once at start (and on reload) into IngressConfig;
// the engine opens the listeners, the CatalogDirector builds the routes.
// See docs/ingress/ingress-file.md for the grammar and an example.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/source_range.h"
#include "core/status.h"
#include "proxy/balancer.h"
#include "proxy/tls_context.h"
#include "proxy/traefik_tags.h"

namespace caravan::proxy {

// `tls { certificate { cert_file = ... key_file = ... } ... }`: the engine
// serves them (several certificates: chosen by SNI).
struct ListenerTls {
  std::vector<TlsCertificate> certificates;
  std::string min_version;  // "", "1.2", "1.3"
};

struct HeaderOps {
  std::map<std::string, std::string> set;
  std::map<std::string, std::string> add;  // response_headers only (request: use set)
  std::vector<std::string> remove;
};

struct StaticServer {
  std::string address;
  uint16_t port = 0;
};

struct IngressService {
  std::string name;  // the label: a catalog service, or the name of the static upstream
  std::vector<std::string> hosts;  // empty or ["*"]: any host; "*.x" wildcards allowed
  std::string path_prefix = "/";
  bool strip_prefix = false;
  std::string prefix_rewrite;  // replaces path_prefix (Consul's PrefixRewrite)
  int priority = 0;
  HeaderOps request_headers;
  HeaderOps response_headers;
  BalanceConfig balance;
  // Static upstreams: when `servers` is set the service is not looked up in
  // the catalog. `backup_servers` are hot standbys used only when no primary
  // (static or catalog instance) is available; they may back a catalog service.
  std::vector<StaticServer> servers;
  std::vector<StaticServer> backup_servers;
  SourceRange where;
};

struct IngressListener {
  uint16_t port = 0;
  std::string address = "0.0.0.0";
  std::string protocol = "http";
  // Peers (IPs or CIDR ranges, e.g. the cloud load balancer in front) whose
  // X-Forwarded-Proto is believed: redirects then use the scheme the client
  // really spoke. The engine may use it for X-Forwarded-For too.
  std::vector<std::string> trusted_proxies;
  std::optional<ListenerTls> tls;
  std::vector<IngressService> services;
  SourceRange where;
};

// `tags { ... }`: how catalog tags become routes.
struct TagSettings {
  bool enabled = true;  // false: only the file's routes
  std::string fabio_prefix = "urlprefix-";
  TraefikOptions traefik;
};

// `traffic { ... }`: canary routing and how draining instances keep their
// sessions (docs/ingress/traffic-shift.md).
struct TrafficSettings {
  // A request whose `canary_header` equals `canary_value` (case-insensitive)
  // goes only to the canaries of its route (the normal instances when none is
  // available); other requests never reach a canary. Empty header: off.
  std::string canary_header = "X-Canary";
  std::string canary_value = "always";
  // A session (hash key, sticky session) seen on an instance within this time
  // is live: a draining instance keeps it and counts it in its reports.
  std::chrono::nanoseconds session_idle_timeout = std::chrono::seconds(30);
  // How often the ingress reports its draining instances' load to the server.
  std::chrono::nanoseconds report_interval = std::chrono::seconds(1);
};

struct IngressConfig {
  std::vector<IngressListener> listeners;
  TagSettings tags;
  TrafficSettings traffic;
};

// Parses the text of an ingress file named `filename`. Errors (syntax, unknown
// arguments with a suggestion, wrong types, invalid values) come back as one
// InvalidArgument whose message lists each as `file:line:col: error: ...` with
// the offending line.
Result<IngressConfig> parse_ingress_file(std::string source, std::string filename);

// Reads and parses the file at `path`.
Result<IngressConfig> load_ingress_file(const std::filesystem::path& path);

}  // namespace caravan::proxy
