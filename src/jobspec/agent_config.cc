#include "jobspec/agent_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "hcl/eval.h"
#include "hcl/functions.h"
#include "hcl/parser.h"
#include "jobspec/decoder.h"

namespace caravan::jobspec {
namespace {

// Blocks of Nomad's agent configuration that caravan does not use yet: accepted
// with a warning so an existing Nomad config file still loads.
constexpr std::string_view kIgnoredBlocks[] = {"consul",    "vault",  "telemetry", "plugin",
                                               "autopilot", "limits", "ui",        "audit"};

const Schema& agent_schema() {
  static const Schema kSchema{
      .attributes = {"name", "datacenter", "region", "data_dir", "bind_addr", "log_level",
                     "log_json", "log_file", "leave_on_interrupt", "leave_on_terminate",
                     "enable_debug", "disable_update_check", "plugin_dir"},
      .blocks = {{.type = "ports", .single = true},
                 {.type = "addresses", .single = true},
                 {.type = "advertise", .single = true},
                 {.type = "server", .single = true},
                 {.type = "client", .single = true},
                 {.type = "ingress", .single = true},
                 {.type = "tls", .single = true},
                 {.type = "acl", .single = true},
                 {.type = "consul"},
                 {.type = "vault"},
                 {.type = "telemetry", .single = true},
                 {.type = "plugin", .labels = {"name"}},
                 {.type = "autopilot", .single = true},
                 {.type = "limits", .single = true},
                 {.type = "ui", .single = true},
                 {.type = "audit", .single = true}},
  };
  return kSchema;
}

const Schema& ports_schema() {
  static const Schema kSchema{.attributes = {"http", "rpc", "serf"}};
  return kSchema;
}

const Schema& server_schema() {
  static const Schema kSchema{
      .attributes = {"enabled", "bootstrap_expect", "num_schedulers", "encrypt", "data_dir",
                     "heartbeat_grace", "raft_protocol"},
      .blocks = {{.type = "server_join", .single = true}},
  };
  return kSchema;
}

const Schema& server_join_schema() {
  static const Schema kSchema{.attributes = {"retry_join", "retry_max", "retry_interval"}};
  return kSchema;
}

const Schema& client_schema() {
  static const Schema kSchema{
      .attributes = {"enabled", "servers", "node_pool", "node_class", "state_dir", "alloc_dir",
                     "network_interface", "min_dynamic_port", "max_dynamic_port",
                     "cpu_total_compute", "memory_total_mb"},
      .blocks = {{.type = "reserved", .single = true},
                 {.type = "host_volume", .labels = {"name"}},
                 {.type = "drain_on_shutdown", .single = true},
                 {.type = "server_join", .single = true},
                 {.type = "host_network", .labels = {"name"}}},
      .maps = {"meta", "options"},
  };
  return kSchema;
}

const Schema& reserved_schema() {
  static const Schema kSchema{.attributes = {"cpu", "memory", "disk", "reserved_ports", "cores"}};
  return kSchema;
}

const Schema& host_volume_schema() {
  static const Schema kSchema{.attributes = {"path", "read_only"}, .required = {"path"}};
  return kSchema;
}

const Schema& drain_schema() {
  static const Schema kSchema{.attributes = {"deadline", "force", "ignore_system_jobs"}};
  return kSchema;
}

const Schema& ingress_schema() {
  static const Schema kSchema{.attributes = {"enabled", "address", "http_port", "config_file"}};
  return kSchema;
}

const Schema& tls_schema() {
  static const Schema kSchema{.attributes = {"http", "rpc", "ca_file", "cert_file", "key_file",
                                             "verify_server_hostname", "verify_https_client"}};
  return kSchema;
}

const Schema& acl_schema() {
  static const Schema kSchema{.attributes = {"enabled", "token_ttl", "policy_ttl"}};
  return kSchema;
}

class AgentDecoder {
 public:
  AgentDecoder(const hcl::EvalContext& ctx, hcl::Diagnostics& diags) : ctx_(ctx), diags_(diags) {}

  AgentConfig decode(const hcl::Body& body, const AgentConfigOverrides& overrides) {
    AgentConfig c;
    BodyDecoder d(body, agent_schema(), ctx_, diags_, &sources_, "");
    d.read("name", "name", &c.name);
    d.read("datacenter", "datacenter", &c.datacenter);
    d.read("region", "region", &c.region);
    d.read("data_dir", "data_dir", &c.data_dir);
    d.read("bind_addr", "bind_addr", &c.bind_addr);
    d.read("log_level", "log_level", &c.log_level);
    read_ignored(d, {"log_json", "log_file", "leave_on_interrupt", "leave_on_terminate",
                     "enable_debug", "disable_update_check", "plugin_dir"});
    if (const hcl::Block* b = d.block("ports")) {
      BodyDecoder p = open(*b, ports_schema(), "ports");
      p.read("http", "http", &c.ports.http);
      p.read("rpc", "rpc", &c.ports.rpc);
      p.read("serf", "serf", &c.ports.serf);
    }
    if (const hcl::Block* b = d.block("addresses")) read_addresses(*b, "addresses", &c.addresses);
    if (const hcl::Block* b = d.block("advertise")) read_addresses(*b, "advertise", &c.advertise);
    if (const hcl::Block* b = d.block("server")) read_server(*b, &c.server);
    if (const hcl::Block* b = d.block("client")) read_client(*b, &c.client);
    if (const hcl::Block* b = d.block("ingress")) {
      BodyDecoder i = open(*b, ingress_schema(), "ingress");
      i.read("enabled", "enabled", &c.ingress.enabled);
      i.read("address", "address", &c.ingress.address);
      i.read("http_port", "http_port", &c.ingress.http_port);
      i.read("config_file", "config_file", &c.ingress.config_file);
    }
    if (const hcl::Block* b = d.block("tls")) {
      BodyDecoder t = open(*b, tls_schema(), "tls");
      t.read("http", "http", &c.tls.http);
      t.read("rpc", "rpc", &c.tls.rpc);
      t.read("ca_file", "ca_file", &c.tls.ca_file);
      t.read("cert_file", "cert_file", &c.tls.cert_file);
      t.read("key_file", "key_file", &c.tls.key_file);
      t.read("verify_server_hostname", "verify_server_hostname", &c.tls.verify_server_hostname);
      t.read("verify_https_client", "verify_https_client", &c.tls.verify_https_client);
    }
    if (const hcl::Block* b = d.block("acl")) {
      BodyDecoder a = open(*b, acl_schema(), "acl");
      a.read("enabled", "enabled", &c.acl.enabled);
      read_ignored(a, {"token_ttl", "policy_ttl"});
    }
    for (std::string_view type : kIgnoredBlocks) {
      for (const hcl::Block* b : d.blocks(type)) {
        diags_.warning(b->type_range, "Block ignored",
                       fmt::format("The {} block is valid in Nomad's agent configuration but "
                                   "not used by caravan yet; it is ignored.",
                                   b->type));
      }
    }
    if (overrides) overrides(c);
    validate(c, body);
    return c;
  }

 private:
  BodyDecoder open(const hcl::Block& block, const Schema& schema, const std::string& path) {
    sources_.record(path, block.type_range);
    return BodyDecoder(block.body, schema, ctx_, diags_, &sources_, path, &block.type_range);
  }

  // Arguments Nomad knows that caravan accepts but does not act on: still type-free.
  void read_ignored(BodyDecoder& d, std::initializer_list<const char*> names) {
    for (const char* name : names) (void)d.value(name);
  }

  void read_addresses(const hcl::Block& b, const std::string& path, AgentConfig::Addresses* out) {
    BodyDecoder a = open(b, ports_schema(), path);
    a.read("http", "http", &out->http);
    a.read("rpc", "rpc", &out->rpc);
    a.read("serf", "serf", &out->serf);
  }

  void read_server(const hcl::Block& b, AgentConfig::Server* out) {
    BodyDecoder s = open(b, server_schema(), "server");
    s.read("enabled", "enabled", &out->enabled);
    s.read("bootstrap_expect", "bootstrap_expect", &out->bootstrap_expect);
    s.read("num_schedulers", "num_schedulers", &out->num_schedulers);
    s.read("encrypt", "encrypt", &out->encrypt);
    read_ignored(s, {"data_dir", "heartbeat_grace", "raft_protocol"});
    if (const hcl::Block* j = s.block("server_join")) {
      BodyDecoder sj = open(*j, server_join_schema(), "server.server_join");
      sj.read("retry_join", "retry_join", &out->retry_join);
      read_ignored(sj, {"retry_max", "retry_interval"});
    }
  }

  void read_client(const hcl::Block& b, AgentConfig::Client* out) {
    BodyDecoder c = open(b, client_schema(), "client");
    c.read("enabled", "enabled", &out->enabled);
    c.read("servers", "servers", &out->servers);
    c.read("node_pool", "node_pool", &out->node_pool);
    c.read("node_class", "node_class", &out->node_class);
    c.read("state_dir", "state_dir", &out->state_dir);
    c.read("alloc_dir", "alloc_dir", &out->alloc_dir);
    c.read("network_interface", "network_interface", &out->network_interface);
    c.read("min_dynamic_port", "min_dynamic_port", &out->min_dynamic_port);
    c.read("max_dynamic_port", "max_dynamic_port", &out->max_dynamic_port);
    c.read("meta", "meta", &out->meta);
    c.read("options", "options", &out->options);
    read_ignored(c, {"cpu_total_compute", "memory_total_mb"});
    if (const hcl::Block* r = c.block("reserved")) {
      BodyDecoder rd = open(*r, reserved_schema(), "client.reserved");
      rd.read("cpu", "cpu", &out->reserved.cpu);
      rd.read("memory", "memory", &out->reserved.memory);
      rd.read("disk", "disk", &out->reserved.disk);
      rd.read("reserved_ports", "reserved_ports", &out->reserved.reserved_ports);
      read_ignored(rd, {"cores"});
    }
    for (const hcl::Block* v : c.blocks("host_volume")) {
      std::string path = "client.host_volume." + v->labels[0];
      BodyDecoder vd = open(*v, host_volume_schema(), path);
      AgentConfig::HostVolume volume;
      volume.name = v->labels[0];
      vd.read("path", "path", &volume.path);
      vd.read("read_only", "read_only", &volume.read_only);
      out->host_volumes.push_back(std::move(volume));
    }
    if (const hcl::Block* dr = c.block("drain_on_shutdown")) {
      BodyDecoder dd = open(*dr, drain_schema(), "client.drain_on_shutdown");
      AgentConfig::DrainOnShutdown drain;
      dd.read("deadline", "deadline", &drain.deadline);
      dd.read("force", "force", &drain.force);
      dd.read("ignore_system_jobs", "ignore_system_jobs", &drain.ignore_system_jobs);
      out->drain_on_shutdown = drain;
    }
    for (const char* type : {"server_join", "host_network"}) {
      for (const hcl::Block* ignored : c.blocks(type)) {
        diags_.warning(ignored->type_range, "Block ignored",
                       fmt::format("The client {} block is not used by caravan yet; it is "
                                   "ignored.",
                                   ignored->type));
      }
    }
  }

  SourceRange where(const std::string& path, const hcl::Body& body) const {
    if (auto r = sources_.find(path)) return *r;
    SourceRange r = body.range;
    r.end = r.start;
    return r;
  }

  void check_port(int port, const std::string& path, const hcl::Body& body) {
    if (port < 1 || port > 65535) {
      diags_.error(where(path, body), "Invalid port",
                   fmt::format("The port {} ({}) is out of range: ports must be between 1 and "
                               "65535.",
                               port, path));
    }
  }

  void validate(const AgentConfig& c, const hcl::Body& body) {
    check_port(c.ports.http, "ports.http", body);
    check_port(c.ports.rpc, "ports.rpc", body);
    check_port(c.ports.serf, "ports.serf", body);
    // 0 lets the ingress pick a free port (as `-ingress-port 0`).
    if (c.ingress.http_port != 0) check_port(c.ingress.http_port, "ingress.http_port", body);
    check_port(c.client.min_dynamic_port, "client.min_dynamic_port", body);
    check_port(c.client.max_dynamic_port, "client.max_dynamic_port", body);
    if (c.client.min_dynamic_port > c.client.max_dynamic_port) {
      diags_.error(where("client.min_dynamic_port", body), "Invalid dynamic port range",
                   fmt::format("min_dynamic_port ({}) must not be greater than max_dynamic_port "
                               "({}).",
                               c.client.min_dynamic_port, c.client.max_dynamic_port));
    }
    static constexpr std::string_view kLevels[] = {"TRACE", "DEBUG", "INFO",
                                                   "WARN",  "ERROR", "OFF"};
    std::string level = c.log_level;
    for (char& ch : level) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (std::find(std::begin(kLevels), std::end(kLevels), level) == std::end(kLevels)) {
      diags_.error(where("log_level", body), "Invalid log_level",
                   fmt::format("log_level \"{}\" is not known; use TRACE, DEBUG, INFO, WARN or "
                               "ERROR.",
                               c.log_level));
    }
    if (c.server.bootstrap_expect < 0) {
      diags_.error(where("server.bootstrap_expect", body), "Invalid server block",
                   "bootstrap_expect must be zero or more.");
    }
    if (!c.server.enabled && !c.client.enabled) {
      diags_.error(where("", body), "Nothing to run",
                   "Neither server nor client is enabled; add server { enabled = true } and/or "
                   "client { enabled = true }.");
    }
    if (c.data_dir.empty() && !c.dev_mode) {
      diags_.error(where("", body), "Missing data_dir",
                   "data_dir is required (e.g. data_dir = \"/var/lib/caravan\"), except with "
                   "-dev.");
    }
    if ((c.tls.http || c.tls.rpc) && (c.tls.cert_file.empty() || c.tls.key_file.empty())) {
      diags_.error(where("tls", body), "Invalid tls block",
                   "TLS is enabled but cert_file or key_file is missing.");
    }
  }

  const hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
  SourceMap sources_;
};

}  // namespace

Result<AgentConfig> parse_agent_config_text(std::string text, const std::string& filename,
                                            const AgentConfigOverrides& overrides) {
  hcl::Diagnostics diags;
  std::string source = text;
  std::unique_ptr<hcl::File> file = hcl::parse_file(std::move(text), filename, diags);
  if (file == nullptr || diags.has_errors()) return diags.to_status(&source);
  std::filesystem::path base = std::filesystem::path(filename).parent_path();
  hcl::FunctionTable functions = hcl::standard_functions(base.empty() ? "." : base);
  hcl::EvalContext ctx;
  ctx.functions = &functions;
  ctx.keep_runtime_references = false;
  AgentConfig config = AgentDecoder(ctx, diags).decode(file->body, overrides);
  if (diags.has_errors()) return diags.to_status(&source);
  return config;
}

Result<AgentConfig> parse_agent_config(const std::string& path,
                                       const AgentConfigOverrides& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return invalid_argument(
        fmt::format("cannot read the agent configuration file \"{}\": it does not exist or is "
                    "not readable",
                    path));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_agent_config_text(std::move(text), path, overrides);
}

AgentConfig dev_agent_config() {
  AgentConfig c;
  c.dev_mode = true;
  c.bind_addr = "127.0.0.1";
  c.log_level = "DEBUG";
  c.server.enabled = true;
  c.server.bootstrap_expect = 1;
  c.client.enabled = true;  // joins the server of its own process
  c.ingress.enabled = true;
  return c;
}

}  // namespace caravan::jobspec
