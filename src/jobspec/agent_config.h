// The agent configuration file (`caravan agent -config=agent.hcl`), in the
// shape of Nomad's agent configuration: name, datacenter, data_dir, ports,
// addresses, and the server / client / ingress / tls / acl blocks. Read with the
// same HCL machinery and schema decoder as job files, so unknown keys get the
// same "Did you mean …?" errors. `-dev` uses dev_agent_config() instead.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "core/status.h"

namespace caravan::jobspec {

struct AgentConfig {
  std::string name;  // node name; default: the host name
  std::string datacenter = "dc1";
  std::string region = "global";
  std::string data_dir;  // required unless dev mode
  std::string bind_addr = "0.0.0.0";
  std::string log_level = "INFO";  // TRACE, DEBUG, INFO, WARN, ERROR
  bool dev_mode = false;           // state kept in a temporary directory

  struct Ports {
    int http = 4646;
    int rpc = 4647;
    int serf = 4648;
    bool operator==(const Ports&) const = default;
  } ports;

  // Per-protocol overrides of bind_addr (`addresses`) and the addresses other
  // agents should use (`advertise`); empty means "same as bind_addr".
  struct Addresses {
    std::string http;
    std::string rpc;
    std::string serf;
    bool operator==(const Addresses&) const = default;
  };
  Addresses addresses;
  Addresses advertise;

  struct Server {
    bool enabled = false;
    int bootstrap_expect = 0;
    int num_schedulers = 0;  // 0: one per core
    std::string encrypt;
    std::vector<std::string> retry_join;  // `server_join { retry_join = [...] }`
    bool operator==(const Server&) const = default;
  } server;

  struct HostVolume {
    std::string name;  // the block label
    std::string path;
    bool read_only = false;
    bool operator==(const HostVolume&) const = default;
  };

  struct DrainOnShutdown {
    Duration deadline = std::chrono::hours(1);
    bool force = false;
    bool ignore_system_jobs = false;
    bool operator==(const DrainOnShutdown&) const = default;
  };

  struct Client {
    bool enabled = false;
    std::vector<std::string> servers;
    std::string node_pool = "default";
    std::string node_class;
    std::string state_dir;
    std::string alloc_dir;
    std::string network_interface;
    std::map<std::string, std::string> meta;
    std::map<std::string, std::string> options;
    struct Reserved {
      int cpu = 0;                 // MHz
      int memory = 0;              // MB
      int disk = 0;                // MB
      std::string reserved_ports;  // e.g. "22,80,8000-8100"
      bool operator==(const Reserved&) const = default;
    } reserved;
    int min_dynamic_port = 20000;
    int max_dynamic_port = 32000;
    std::vector<HostVolume> host_volumes;
    std::optional<DrainOnShutdown> drain_on_shutdown;
    bool operator==(const Client&) const = default;
  } client;

  // The ingress gateway in this agent: a listener on address:http_port (when
  // the ingress file declares none) routing by catalog tags and the file.
  struct Ingress {
    bool enabled = false;
    std::string address;  // default: bind_addr
    int http_port = 8080;  // 0 picks a free port
    std::string config_file;
    bool operator==(const Ingress&) const = default;
  } ingress;

  struct Tls {
    bool http = false;
    bool rpc = false;
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    bool verify_server_hostname = false;
    bool verify_https_client = false;
    bool operator==(const Tls&) const = default;
  } tls;

  struct Acl {
    bool enabled = false;
    bool operator==(const Acl&) const = default;
  } acl;

  bool operator==(const AgentConfig&) const = default;
};

// What the command line sets over a file (`agent -config F -client
// -data-dir D`): applied after the file is read and before the whole is
// checked, so a file may leave to the flags what they give.
using AgentConfigOverrides = std::function<void(AgentConfig&)>;

// Reads an agent configuration file. Errors (InvalidArgument) carry the
// formatted diagnostics with file:line:col: syntax errors, unknown arguments
// and blocks ("Did you mean …?"), wrong types, and invalid values (ports out of
// range, min_dynamic_port above max_dynamic_port, unknown log_level, neither
// server nor client enabled, a missing data_dir) of the file with `overrides`
// applied.
Result<AgentConfig> parse_agent_config(const std::string& path,
                                       const AgentConfigOverrides& overrides = {});

// The same from text; `filename` names it in diagnostics.
Result<AgentConfig> parse_agent_config_text(std::string text, const std::string& filename,
                                            const AgentConfigOverrides& overrides = {});

// What `caravan agent -dev` runs with: server (bootstrap_expect 1), client and
// ingress in one process, everything bound to 127.0.0.1, DEBUG logging, state
// in a temporary directory (dev_mode, empty data_dir).
AgentConfig dev_agent_config();

}  // namespace caravan::jobspec
