#include "agent/agent.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/routes.h"
#include "core/temp_file.h"
#include "client/client_agent.h"
#include "http/server.h"
#include "ingress/admin_routes.h"
#include "ingress/ingress.h"
#include "server/server.h"

#ifndef CARAVAN_VERSION
#define CARAVAN_VERSION "0.0.0-dev"
#endif

namespace caravan::agent {
namespace {

namespace fs = std::filesystem;

// The address the HTTP API binds: addresses.http, else bind_addr.
std::string http_bind_address(const jobspec::AgentConfig& config) {
  return config.addresses.http.empty() ? config.bind_addr : config.addresses.http;
}

// The address other processes use to reach this agent.
std::string advertised_address(const jobspec::AgentConfig& config) {
  if (!config.advertise.http.empty()) return config.advertise.http;
  std::string bind = http_bind_address(config);
  return bind == "0.0.0.0" || bind == "::" ? "127.0.0.1" : bind;
}

nlohmann::ordered_json agent_self(const jobspec::AgentConfig& config, const std::string& address,
                                  int port) {
  using Json = nlohmann::ordered_json;
  std::string role = config.server.enabled ? "server" : "client";
  return Json{
      {"config",
       Json{{"Region", config.region},
            {"Datacenter", config.datacenter},
            {"NodeName", config.name},
            {"DataDir", config.data_dir},
            {"BindAddr", config.bind_addr},
            {"Ports", Json{{"HTTP", port}, {"RPC", config.ports.rpc}, {"Serf", config.ports.serf}}},
            {"Version", Json{{"Version", CARAVAN_VERSION}, {"VersionPrerelease", ""}}},
            {"Server", Json{{"Enabled", config.server.enabled}}},
            {"Client", Json{{"Enabled", config.client.enabled}, {"NodePool", config.client.node_pool}}},
            {"DevMode", config.dev_mode}}},
      {"member",
       Json{{"Name", config.name.empty() ? "caravan" : config.name + "." + config.region},
            {"Addr", address},
            {"Port", config.ports.serf},
            {"Status", "alive"},
            {"Tags", Json{{"region", config.region}, {"dc", config.datacenter}, {"role", role},
                          {"build", CARAVAN_VERSION}}}}},
      {"stats", Json::object()},
      // Consul's shape of the same facts, for tools that read the catalog as
      // Consul's (Prometheus consul_sd reads Config.Datacenter). Consul's Go
      // client decodes this document as map[string]map[string]any, so every
      // top-level value is an object; Nomad's matches its lower-case keys exactly.
      {"Config", Json{{"Datacenter", config.datacenter},
                      {"NodeName", config.name},
                      {"Server", config.server.enabled},
                      {"Version", CARAVAN_VERSION}}},
      {"Member", Json{{"Name", config.name}, {"Addr", address}, {"Status", 1}}},
      {"Meta", Json::object()}};
}

// Serves the API's client endpoints from the client agent of this process. The
// routes exist before the client does (the client needs the API's address), so
// the client is attached once started; until then the endpoints answer 503.
class LocalClientServices final : public api::ClientServices {
 public:
  void set(client::ClientAgent* client) { client_.store(client); }
  http::Response task_logs(const http::Request& request, const std::string& alloc_id) override {
    client::ClientAgent* client = client_.load();
    if (client == nullptr) return http::error_response(503, "the client is still starting");
    return client->task_logs(request, alloc_id);
  }
  Status restart_alloc(const std::string& alloc_id, const std::string& task) override {
    client::ClientAgent* client = client_.load();
    if (client == nullptr) return unavailable("the client is still starting");
    return client->restart_alloc(alloc_id, task);
  }

 private:
  std::atomic<client::ClientAgent*> client_{nullptr};
};

// "http://host:port" for a `servers` entry given as "host", "host:port" or a
// URL. Clients reach servers over the HTTP API (port 4646 by default), not over
// Nomad's RPC port: an entry naming port 4647, as Nomad configurations do, is
// taken to mean that server's HTTP API on 4646.
std::string server_url(const std::string& entry) {
  if (entry.starts_with("http://") || entry.starts_with("https://")) return entry;
  std::string host_port = entry;
  if (host_port.find(':') == std::string::npos) host_port += ":4646";
  if (host_port.ends_with(":4647")) {
    host_port.replace(host_port.size() - 4, 4, "4646");
    spdlog::warn("agent: servers entry {} names Nomad's RPC port; caravan clients use the HTTP API at {}",
                 entry, host_port);
  }
  return "http://" + host_port;
}

client::ClientConfig client_config(const jobspec::AgentConfig& config, const std::string& own_url,
                                   int http_port) {
  client::ClientConfig out;
  // A server in the same process: the client talks to it over loopback.
  if (config.server.enabled) out.servers.push_back(own_url);
  for (const std::string& server : config.client.servers) out.servers.push_back(server_url(server));
  out.data_dir = config.data_dir;
  out.node_name = config.name;
  out.datacenter = config.datacenter;
  out.region = config.region;
  out.node_pool = config.client.node_pool;
  out.node_class = config.client.node_class;
  out.meta = config.client.meta;
  out.reserved.cpu_shares = config.client.reserved.cpu;
  out.reserved.memory_mb = config.client.reserved.memory;
  out.reserved.disk_mb = config.client.reserved.disk;
  out.reserved.reserved_host_ports = config.client.reserved.reserved_ports;
  out.min_dynamic_port = config.client.min_dynamic_port;
  out.max_dynamic_port = config.client.max_dynamic_port;
  out.options = config.client.options;
  out.advertise_ip = advertised_address(config);
  out.http_addr = out.advertise_ip + ":" + std::to_string(http_port);
  out.version = CARAVAN_VERSION;
  return out;
}

}  // namespace

struct Agent::Parts {
  jobspec::AgentConfig config;
  std::string dev_data_dir;  // removed at exit
  std::unique_ptr<server::Server> server;
  api::ApiContext api;
  std::unique_ptr<http::Server> http;
  std::unique_ptr<client::ClientAgent> client;
  std::unique_ptr<LocalClientServices> client_services;
  std::unique_ptr<ingress::Ingress> ingress;
  std::atomic<const ingress::Ingress*> running_ingress{nullptr};  // for the API

  ~Parts() {
    // The ingress first: it lets requests in flight finish while the
    // instances behind it still run.
    running_ingress.store(nullptr);
    if (ingress) ingress->stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    // The client first. Its tasks keep running for the next agent with this
    // data dir — unless the data dir is thrown away (-dev): then they stop too.
    if (client_services) client_services->set(nullptr);
    if (client && !dev_data_dir.empty()) client->stop_all_allocs(std::chrono::seconds(30));
    client.reset();
    if (http) http->stop();
    http.reset();
    client_services.reset();
    server.reset();
    if (!dev_data_dir.empty()) {
      std::error_code ignored;
      fs::remove_all(dev_data_dir, ignored);
    }
  }
};

Agent::Agent(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Agent::~Agent() = default;

const jobspec::AgentConfig& Agent::config() const { return parts_->config; }

std::string Agent::http_url() const { return parts_->http ? parts_->http->url() : ""; }

Result<std::unique_ptr<Agent>> Agent::start(jobspec::AgentConfig config) {
  auto parts = std::make_unique<Parts>();
  if (config.dev_mode && config.data_dir.empty()) {
    Result<std::string> dir = make_temp_dir("caravan-dev");
    if (!dir) return dir.error();
    parts->dev_data_dir = *dir;
    config.data_dir = *dir;
  }
  if (config.data_dir.empty()) {
    return invalid_argument("the agent needs a data_dir (set it in the configuration or pass -data-dir)");
  }
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) return invalid_argument(fmt::format("cannot create data_dir {}: {}", config.data_dir, ec.message()));
  parts->config = config;

  if (config.server.enabled) {
    server::ServerConfig server_config;
    server_config.data_dir = config.data_dir;
    server_config.region = config.region;
    server_config.datacenter = config.datacenter;
    server_config.num_schedulers = config.server.num_schedulers;
    Result<std::unique_ptr<server::Server>> server = server::Server::start(server_config);
    if (!server) {
      return Status(server.error().code(),
                    fmt::format("cannot start the server: {}", server.error().message()));
    }
    parts->server = std::move(server).value();
    parts->api.server = parts->server.get();
  }

  http::ServerOptions http_options;
  http_options.address = http_bind_address(config);
  http_options.port = static_cast<uint16_t>(config.ports.http);
  http_options.io_threads = 2;
  // The context is complete before the routes take pointers into it; handlers
  // read it concurrently from then on.
  parts->api.agent_self = agent_self(config, advertised_address(config), config.ports.http);
  if (config.client.enabled) {
    parts->client_services = std::make_unique<LocalClientServices>();
    parts->api.client = parts->client_services.get();
  }
  http::Router router;
  api::add_routes(router, parts->api);
  ingress::add_admin_routes(router, "/v1/ingress", [p = parts.get()] { return p->running_ingress.load(); });
  parts->http = std::make_unique<http::Server>(std::move(router), http_options);
  CARAVAN_RETURN_IF_ERROR(parts->http->start());
  spdlog::info("agent: HTTP API listening on {}", parts->http->url());

  if (config.client.enabled) {
    client::ClientConfig cc = client_config(config, parts->http->url(), parts->http->port());
    if (cc.servers.empty()) {
      return invalid_argument(
          "the client has no server to join: set client { servers = [...] } or pass -servers");
    }
    Result<std::unique_ptr<client::ClientAgent>> client = client::ClientAgent::start(cc);
    if (!client) {
      return Status(client.error().code(),
                    fmt::format("cannot start the client: {}", client.error().message()));
    }
    parts->client = std::move(client).value();
    parts->client_services->set(parts->client.get());
  }

  if (config.ingress.enabled) {
    ingress::IngressOptions options;
    options.catalog_servers = config.server.enabled
                                  ? std::vector<std::string>{parts->http->url()}
                                  : client_config(config, parts->http->url(), parts->http->port()).servers;
    options.config_file = config.ingress.config_file;
    options.default_address = config.ingress.address.empty() ? config.bind_addr : config.ingress.address;
    options.default_port = static_cast<uint16_t>(config.ingress.http_port);
    Result<std::unique_ptr<ingress::Ingress>> started = ingress::Ingress::start(options);
    if (!started) {
      return Status(started.error().code(),
                    fmt::format("cannot start the ingress: {}", started.error().message()));
    }
    parts->ingress = std::move(started).value();
    parts->running_ingress.store(parts->ingress.get());
    for (uint16_t port : parts->ingress->ports()) {
      spdlog::info("agent: ingress listening on {}:{}", options.default_address, port);
    }
  }
  return std::unique_ptr<Agent>(new Agent(std::move(parts)));
}

}  // namespace caravan::agent
