// `caravan agent`: runs an agent until SIGINT/SIGTERM. `-dev` runs server,
// client and API together on 127.0.0.1 with throw-away state; `-config FILE`
// reads an agent configuration; a few of nomad's agent flags override it.

#include <ostream>

#include "agent/agent.h"
#include "cli/command_support.h"
#include "cli/commands.h"
#include "core/strings.h"
#include "jobspec/agent_config.h"

namespace caravan::cli {
namespace {

constexpr std::string_view kHelp =
    "Usage: caravan agent [options]\n\n"
    "  Starts a caravan agent and runs until an interrupt (Ctrl-C) or SIGTERM.\n"
    "  An agent is a server, a client, or both.\n\n"
    "Agent Options:\n\n"
    "  -dev\n"
    "    Server and client in one process on 127.0.0.1, state in a temporary\n"
    "    directory that is removed at exit. The quickest way to try caravan.\n\n"
    "  -config=<path>\n"
    "    An agent configuration file (HCL), as nomad's.\n\n"
    "  -data-dir=<path>\n"
    "    Where the agent keeps its state (overrides data_dir).\n\n"
    "  -bind=<address>\n"
    "    The address the agent binds (overrides bind_addr).\n\n"
    "  -http-port=<port>\n"
    "    The HTTP API port (overrides ports { http }); a caravan addition.\n\n"
    "  -ingress-port=<port>\n"
    "    The ingress's port (overrides ingress { http_port }; -dev: 8080; 0 picks\n"
    "    a free one); a caravan addition.\n\n"
    "  -server, -client\n"
    "    Enable the server or the client part.\n\n"
    "  -servers=<host:port,...>\n"
    "    Servers a client joins (overrides client { servers }).\n\n"
    "  -node=<name>, -dc=<datacenter>, -region=<region>, -node-pool=<pool>\n"
    "    Override name, datacenter, region and the client's node pool.\n\n";

int run_agent(const std::vector<std::string>& args, CommandIo& io) {
  FlagSet flags;
  bool dev = false, server = false, client = false;
  std::string config_path, data_dir, bind, servers, node, dc, region, node_pool;
  int http_port = 0;
  int ingress_port = -1;
  flags.add_bool("dev", &dev, "development mode");
  flags.add_string("config", &config_path, "agent configuration file");
  flags.add_string("data-dir", &data_dir, "data directory");
  flags.add_string("bind", &bind, "bind address");
  flags.add_int("http-port", &http_port, "HTTP API port");
  flags.add_int("ingress-port", &ingress_port, "ingress port");
  flags.add_bool("server", &server, "enable the server");
  flags.add_bool("client", &client, "enable the client");
  flags.add_string("servers", &servers, "servers to join");
  flags.add_string("node", &node, "node name");
  flags.add_string("dc", &dc, "datacenter");
  flags.add_string("region", &region, "region");
  flags.add_string("node-pool", &node_pool, "node pool");
  int exit_code = 0;
  auto positional = parse_command_flags(flags, args, kHelp, io, &exit_code);
  if (!positional) return exit_code;
  if (!positional->empty()) {
    io.err << "This command takes no arguments\n\n" << kHelp;
    return 1;
  }
  if (!dev && config_path.empty() && !server && !client) {
    io.err << "Must specify either -dev, -config, -server or -client\n\n" << kHelp;
    return 1;
  }

  // The flags win over the file; the whole is checked once they are applied.
  auto apply_flags = [&](jobspec::AgentConfig& config) {
    if (dev) config.dev_mode = true;
    if (server) config.server.enabled = true;
    if (client) config.client.enabled = true;
    if (!data_dir.empty()) config.data_dir = data_dir;
    if (!bind.empty()) config.bind_addr = bind;
    if (http_port != 0) config.ports.http = http_port;
    if (ingress_port >= 0) config.ingress.http_port = ingress_port;
    if (!servers.empty()) config.client.servers = split(servers, ',');
    if (!node.empty()) config.name = node;
    if (!dc.empty()) config.datacenter = dc;
    if (!region.empty()) config.region = region;
    if (!node_pool.empty()) config.client.node_pool = node_pool;
  };
  jobspec::AgentConfig config;
  if (!config_path.empty()) {
    Result<jobspec::AgentConfig> parsed = jobspec::parse_agent_config(config_path, apply_flags);
    if (!parsed) {
      io.err << "Error loading configuration from " << config_path << ":\n"
             << parsed.error().to_string() << "\n";
      return 1;
    }
    config = std::move(parsed).value();
  } else {
    if (dev) config = jobspec::dev_agent_config();
    apply_flags(config);
  }

  block_termination_signals();

  io.out << "==> Starting caravan agent...\n";
  Result<std::unique_ptr<agent::Agent>> started = agent::Agent::start(config);
  if (!started) {
    io.err << "==> Error starting agent: " << started.error().message() << "\n";
    return 1;
  }
  const jobspec::AgentConfig& running = (*started)->config();
  io.out << "==> Caravan agent configuration:\n\n"
         << "       Advertise Addrs: HTTP: " << (*started)->http_url() << "\n"
         << "                Client: " << (running.client.enabled ? "true" : "false") << "\n"
         << "             Data Dir: " << running.data_dir << "\n"
         << "            Datacenter: " << running.datacenter << "\n"
         << "                Region: " << running.region << "\n"
         << "                Server: " << (running.server.enabled ? "true" : "false") << "\n\n"
         << "==> Caravan agent started! Log data will stream in below:\n"
         << std::flush;
  wait_for_termination_signal();
  io.out << "==> Caught signal, shutting down...\n" << std::flush;
  started->reset();
  io.out << "==> Shutdown complete\n";
  return 0;
}

}  // namespace

const Command kAgentCommand{"agent", "Runs a caravan agent", kHelp, run_agent};

}  // namespace caravan::cli
