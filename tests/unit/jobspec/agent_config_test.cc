// Agent configuration files: every block, defaults, -dev, and the errors.
#include "jobspec/agent_config.h"

#include <gtest/gtest.h>

namespace caravan::jobspec {
namespace {

TEST(AgentConfig, ReadsEveryBlock) {
  Result<AgentConfig> c = parse_agent_config_text(R"(
name       = "node-1"
datacenter = "eu1"
region     = "europe"
data_dir   = "/var/lib/caravan"
bind_addr  = "10.0.0.5"
log_level  = "debug"

ports {
  http = 5646
  rpc  = 5647
  serf = 5648
}
addresses {
  http = "0.0.0.0"
}
advertise {
  rpc = "10.0.0.5"
}
server {
  enabled          = true
  bootstrap_expect = 3
  server_join {
    retry_join = ["10.0.0.6", "10.0.0.7"]
  }
}
client {
  enabled          = true
  servers          = ["10.0.0.5:4647"]
  node_pool        = "edge"
  node_class       = "web"
  min_dynamic_port = 21000
  max_dynamic_port = 22000
  meta {
    rack = "r1"
  }
  options = {
    "driver.raw_exec.enable" = "1"
  }
  reserved {
    cpu            = 500
    memory         = 512
    disk           = 1024
    reserved_ports = "22,80"
  }
  host_volume "pg" {
    path      = "/srv/pg"
    read_only = true
  }
  drain_on_shutdown {
    deadline = "5m"
    force    = true
  }
}
ingress {
  enabled     = true
  address     = "10.0.0.5"
  http_port   = 8081
  config_file = "/etc/caravan/ingress.hcl"
}
tls {
  http      = true
  ca_file   = "ca.pem"
  cert_file = "cert.pem"
  key_file  = "key.pem"
}
acl {
  enabled = true
}
)",
                                                  "agent.hcl");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->name, "node-1");
  EXPECT_EQ(c->datacenter, "eu1");
  EXPECT_EQ(c->region, "europe");
  EXPECT_EQ(c->data_dir, "/var/lib/caravan");
  EXPECT_EQ(c->bind_addr, "10.0.0.5");
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->ports, (AgentConfig::Ports{5646, 5647, 5648}));
  EXPECT_EQ(c->addresses.http, "0.0.0.0");
  EXPECT_EQ(c->advertise.rpc, "10.0.0.5");
  EXPECT_TRUE(c->server.enabled);
  EXPECT_EQ(c->server.bootstrap_expect, 3);
  EXPECT_EQ(c->server.retry_join, (std::vector<std::string>{"10.0.0.6", "10.0.0.7"}));
  EXPECT_TRUE(c->client.enabled);
  EXPECT_EQ(c->client.servers, (std::vector<std::string>{"10.0.0.5:4647"}));
  EXPECT_EQ(c->client.node_pool, "edge");
  EXPECT_EQ(c->client.node_class, "web");
  EXPECT_EQ(c->client.min_dynamic_port, 21000);
  EXPECT_EQ(c->client.max_dynamic_port, 22000);
  EXPECT_EQ(c->client.meta.at("rack"), "r1");
  EXPECT_EQ(c->client.options.at("driver.raw_exec.enable"), "1");
  EXPECT_EQ(c->client.reserved, (AgentConfig::Client::Reserved{500, 512, 1024, "22,80"}));
  ASSERT_EQ(c->client.host_volumes.size(), 1u);
  EXPECT_EQ(c->client.host_volumes[0], (AgentConfig::HostVolume{"pg", "/srv/pg", true}));
  ASSERT_TRUE(c->client.drain_on_shutdown.has_value());
  EXPECT_EQ(c->client.drain_on_shutdown->deadline, std::chrono::minutes(5));
  EXPECT_TRUE(c->client.drain_on_shutdown->force);
  EXPECT_EQ(c->ingress, (AgentConfig::Ingress{true, "10.0.0.5", 8081, "/etc/caravan/ingress.hcl"}));
  EXPECT_TRUE(c->tls.http);
  EXPECT_EQ(c->tls.cert_file, "cert.pem");
  EXPECT_TRUE(c->acl.enabled);
}

TEST(AgentConfig, DefaultsMatchNomad) {
  Result<AgentConfig> c = parse_agent_config_text(
      "data_dir = \"/tmp/x\"\nclient {\n  enabled = true\n}\n", "agent.hcl");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->ports, (AgentConfig::Ports{4646, 4647, 4648}));
  EXPECT_EQ(c->datacenter, "dc1");
  EXPECT_EQ(c->region, "global");
  EXPECT_EQ(c->bind_addr, "0.0.0.0");
  EXPECT_EQ(c->client.min_dynamic_port, 20000);
  EXPECT_EQ(c->client.max_dynamic_port, 32000);
  EXPECT_EQ(c->client.node_pool, "default");
  EXPECT_EQ(c->ingress.http_port, 8080);
  EXPECT_FALSE(c->server.enabled);
}

TEST(AgentConfig, UnknownKeysSuggestTheClosestName) {
  Result<AgentConfig> c = parse_agent_config_text(
      "data_dir = \"/tmp/x\"\nclient {\n  enabled = true\n  sevrers = [\"a\"]\n}\n", "agent.hcl");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("agent.hcl:4:3"), std::string::npos) << c.error().message();
  EXPECT_NE(c.error().message().find("Did you mean \"servers\"?"), std::string::npos)
      << c.error().message();
}

TEST(AgentConfig, UnknownBlockIsAnError) {
  Result<AgentConfig> c =
      parse_agent_config_text("data_dir = \"/tmp/x\"\nclinet {\n  enabled = true\n}\n", "a.hcl");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("Did you mean \"client\"?"), std::string::npos)
      << c.error().message();
}

TEST(AgentConfig, InvalidValuesAreReported) {
  Result<AgentConfig> c = parse_agent_config_text(
      "data_dir = \"/tmp/x\"\nlog_level = \"loud\"\nports {\n  http = 70000\n}\nclient {\n"
      "  enabled = true\n  min_dynamic_port = 30000\n  max_dynamic_port = 25000\n}\n",
      "a.hcl");
  ASSERT_FALSE(c.has_value());
  const std::string& m = c.error().message();
  EXPECT_NE(m.find("a.hcl:2:13"), std::string::npos) << m;
  EXPECT_NE(m.find("log_level \"loud\""), std::string::npos) << m;
  EXPECT_NE(m.find("a.hcl:4:10"), std::string::npos) << m;
  EXPECT_NE(m.find("min_dynamic_port (30000)"), std::string::npos) << m;
}

TEST(AgentConfig, NeedsServerOrClientAndADataDir) {
  Result<AgentConfig> c = parse_agent_config_text("name = \"x\"\n", "a.hcl");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("Neither server nor client is enabled"), std::string::npos);
  EXPECT_NE(c.error().message().find("data_dir is required"), std::string::npos);
}

TEST(AgentConfig, CommandLineOverridesCountBeforeTheWholeIsChecked) {
  // `agent -config c.hcl -client -data-dir /x`: the file alone lacks both.
  const std::string file = "client {\n  min_dynamic_port = 24000\n}\n";
  Result<AgentConfig> c = parse_agent_config_text(file, "c.hcl", [](AgentConfig& config) {
    config.client.enabled = true;
    config.data_dir = "/x";
  });
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_TRUE(c->client.enabled);
  EXPECT_EQ(c->data_dir, "/x");
  EXPECT_EQ(c->client.min_dynamic_port, 24000);
  // An override that breaks a rule is still caught.
  Result<AgentConfig> bad = parse_agent_config_text(file, "c.hcl", [](AgentConfig& config) {
    config.client.enabled = true;
  });
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("data_dir is required"), std::string::npos);
}

TEST(AgentConfig, NomadOnlyBlocksAreIgnoredWithAWarning) {
  Result<AgentConfig> c = parse_agent_config_text(
      "data_dir = \"/tmp/x\"\nserver {\n  enabled = true\n}\ntelemetry {\n  x = 1\n}\n"
      "plugin \"docker\" {\n  config {}\n}\n",
      "a.hcl");
  EXPECT_TRUE(c.has_value()) << c.error().message();
}

TEST(AgentConfig, MissingFileIsAnError) {
  Result<AgentConfig> c = parse_agent_config("/nonexistent/agent.hcl");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("/nonexistent/agent.hcl"), std::string::npos);
}

TEST(AgentConfig, DevModeRunsEverythingOnLoopback) {
  AgentConfig c = dev_agent_config();
  EXPECT_TRUE(c.dev_mode);
  EXPECT_TRUE(c.server.enabled);
  EXPECT_EQ(c.server.bootstrap_expect, 1);
  EXPECT_TRUE(c.client.enabled);
  EXPECT_TRUE(c.ingress.enabled);
  EXPECT_EQ(c.bind_addr, "127.0.0.1");
  EXPECT_TRUE(c.data_dir.empty());
  EXPECT_EQ(c.ports.http, 4646);
}

}  // namespace
}  // namespace caravan::jobspec
