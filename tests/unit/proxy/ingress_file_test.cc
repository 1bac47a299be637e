// The ingress file: a full example decodes; mistakes come back with file:line:col.
#include "proxy/ingress_file.h"

#include <gtest/gtest.h>

namespace caravan::proxy {
namespace {

std::string error_of(std::string text) {
  Result<IngressConfig> r = parse_ingress_file(std::move(text), "edge.hcl");
  EXPECT_FALSE(r.has_value());
  return r.has_value() ? std::string() : r.error().message();
}

TEST(IngressFile, ExampleFileDecodes) {
  Result<IngressConfig> r =
      load_ingress_file(std::string(CARAVAN_TEST_DATA_DIR) + "/ingress/example.ingress.hcl");
  ASSERT_TRUE(r.has_value()) << r.status().to_string();
  const IngressConfig& c = *r;
  EXPECT_TRUE(c.tags.enabled);
  EXPECT_TRUE(c.tags.traefik.exposed_by_default);
  EXPECT_EQ(c.traffic.canary_header, "X-Beta");
  EXPECT_EQ(c.traffic.canary_value, "yes");
  EXPECT_EQ(c.traffic.session_idle_timeout, std::chrono::seconds(45));
  EXPECT_EQ(c.traffic.report_interval, std::chrono::seconds(2));
  ASSERT_EQ(c.listeners.size(), 2u);

  const IngressListener& http = c.listeners[0];
  EXPECT_EQ(http.port, 8080);
  EXPECT_EQ(http.address, "0.0.0.0");
  EXPECT_EQ(http.protocol, "http");
  EXPECT_FALSE(http.tls);
  EXPECT_EQ(http.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "192.168.0.1"}));
  ASSERT_EQ(http.services.size(), 2u);
  const IngressService& web = http.services[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.hosts, (std::vector<std::string>{"www.example.com", "*.web.example.com"}));
  EXPECT_EQ(web.balance.algorithm, BalanceAlgorithm::kLeastRequest);
  ASSERT_TRUE(web.balance.sticky);
  EXPECT_EQ(web.balance.sticky->name, "web_srv");
  EXPECT_TRUE(web.balance.sticky->http_only);
  EXPECT_EQ(web.balance.sticky->same_site, "lax");
  EXPECT_EQ(web.balance.sticky->max_age, 3600);
  EXPECT_EQ(web.response_headers.set.at("X-Frame-Options"), "DENY");
  EXPECT_EQ(web.response_headers.remove, std::vector<std::string>{"Server"});
  EXPECT_TRUE(web.servers.empty());

  const IngressService& legacy = http.services[1];
  EXPECT_TRUE(legacy.strip_prefix);
  EXPECT_EQ(legacy.priority, 10);
  EXPECT_EQ(legacy.balance.algorithm, BalanceAlgorithm::kRingHash);
  EXPECT_EQ(legacy.balance.hash_on.kind, HashOn::Kind::kCookie);
  EXPECT_EQ(legacy.balance.hash_on.name, "SESSIONID");
  ASSERT_EQ(legacy.servers.size(), 2u);
  EXPECT_EQ(legacy.servers[1].address, "127.0.0.1");
  EXPECT_EQ(legacy.servers[1].port, 9001);
  ASSERT_EQ(legacy.backup_servers.size(), 1u);
  EXPECT_EQ(legacy.backup_servers[0].address, "::1");
  EXPECT_EQ(legacy.request_headers.set.at("X-Forwarded-Env"), "prod");

  const IngressListener& https = c.listeners[1];
  ASSERT_TRUE(https.tls);
  EXPECT_EQ(https.tls->min_version, "1.2");
  ASSERT_EQ(https.tls->certificates.size(), 2u);
  EXPECT_EQ(https.tls->certificates[1].key_file, "/etc/caravan/tls/other.key");
  EXPECT_EQ(https.services[0].prefix_rewrite, "/");
}

TEST(IngressFile, MinimalListenerGetsDefaults) {
  Result<IngressConfig> r =
      parse_ingress_file("listener {\n  port = 80\n  service \"web\" {}\n}\n", "x.hcl");
  ASSERT_TRUE(r.has_value()) << r.status().to_string();
  const IngressService& s = r->listeners[0].services[0];
  EXPECT_TRUE(s.hosts.empty());
  EXPECT_EQ(s.path_prefix, "/");
  EXPECT_EQ(s.balance.algorithm, BalanceAlgorithm::kRoundRobin);
}

TEST(IngressFile, ErrorsPointAtFileLineAndColumn) {
  struct Case {
    std::string text;
    std::vector<std::string> fragments;
  };
  for (const Case& c : std::vector<Case>{
           {"listener {\n  port = 80\n  servise \"web\" {}\n}\n",
            {"edge.hcl:3:3", "Unsupported block type", "Did you mean \"service\"?"}},
           {"listener {\n  prot = 80\n}\n",
            {"edge.hcl:2:3", "Unsupported argument", "Did you mean \"port\"?", "edge.hcl:1:1",
             "\"port\" is required"}},
           {"listener {\n  port = 70000\n}\n", {"edge.hcl:2:10", "between 1 and 65535"}},
           {"listener {\n  port = \"x\"\n}\n", {"edge.hcl:2:10", "whole number is required"}},
           {"listener {\n  port = 80\n  protocol = \"tcp\"\n}\n",
            {"edge.hcl:3:14", "Only protocol = \"http\""}},
           {"listener {\n  port = 80\n  service \"a\" {\n    balance = \"fastest\"\n  }\n}\n",
            {"edge.hcl:4:15", "round_robin, least_request"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    servers = [\"nohost\"]\n  }\n}\n",
            {"edge.hcl:4:15", "\"nohost\" is not an address"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    servers = [\"h:0\"]\n  }\n}\n",
            {"edge.hcl:4:15", "\"h:0\" is not an address"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    servers = [\"h:65536\"]\n  }\n}\n",
            {"edge.hcl:4:15", "\"h:65536\" is not an address"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    servers = [\":80\"]\n  }\n}\n",
            {"edge.hcl:4:15", "\":80\" is not an address"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    path_prefix = \"api\"\n  }\n}\n",
            {"edge.hcl:4:19", "must start with \"/\""}},
           {"listener {\n  port = 80\n  service \"a\" {\n    hash_on { cookie = \"s\" }\n  }\n}\n",
            {"edge.hcl:4:5", "hash_on is used only with balance = \"ring_hash\""}},
           {"listener {\n  port = 80\n  service \"a\" {\n    balance = \"maglev\"\n    hash_on {\n "
            "     cookie = \"s\"\n      source_ip = true\n    }\n  }\n}\n",
            {"edge.hcl:5:5", "exactly one of"}},
           {"listener {\n  port = 80\n  service {}\n}\n",
            {"edge.hcl:3:3", "Missing name for service"}},
           {"listener {\n  port = 80\n  tls {}\n}\n", {"edge.hcl:3:3", "at least one certificate"}},
           {"listener {\n  port = 80\n  tls {\n    certificate { cert_file = \"a\" }\n  }\n}\n",
            {"edge.hcl:4:5", "both cert_file and key_file"}},
           {"listener {\n  port = 80\n}\nlistener {\n  port = 80\n}\n",
            {"edge.hcl:4:1", "Duplicate listener"}},
           {"listener {\n  port = 80\n  service \"a\" {}\n  service \"b\" {}\n}\n",
            {"edge.hcl:4:3", "Duplicate route"}},
           {"listener {\n  port = 80\n  service \"a\" {\n    strip_prefix = true\n    "
            "prefix_rewrite = \"/x\"\n  }\n}\n",
            {"edge.hcl:5:22", "either strip_prefix or prefix_rewrite"}},
           {"listener {\n  port = 80\n", {"edge.hcl:", "error"}},
           {"listener {\n  port = 80\n  trusted_proxies = [\"10.0.0.0/33\"]\n}\n",
            {"edge.hcl:3:21", "not an IP address or CIDR range"}},
       }) {
    std::string message = error_of(c.text);
    for (const std::string& f : c.fragments) {
      EXPECT_NE(message.find(f), std::string::npos) << "missing \"" << f << "\" in:\n" << message;
    }
  }
}

TEST(IngressFile, MissingFileIsAnError) {
  Result<IngressConfig> r = load_ingress_file("/nonexistent/ingress.hcl");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("cannot read the ingress file"), std::string::npos);
}

}  // namespace
}  // namespace caravan::proxy
