#include "scenario_cluster.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace caravan::testing {
namespace {

std::string ingress_file(const ClusterOptions& options, int port) {
  return "listener {\n"
         "  port    = " + std::to_string(port) + "\n"
         "  address = \"127.0.0.1\"\n"
         "  service \"" + options.service + "\" {\n"
         "    hosts = [\"" + options.host + "\"]\n" +
         options.route +
         "  }\n"
         "}\n";
}

}  // namespace

ScenarioCluster::ScenarioCluster(ClusterOptions options)
    : options_(std::move(options)), server_({"-server", "-data-dir", dir_.path() + "/server"}) {
  const std::string join = "127.0.0.1:" + std::to_string(server_.port());
  for (int n = 1; n <= options_.clients; ++n) {
    const std::string name = "c" + std::to_string(n);
    // Each client on its own dynamic ports: on real machines two nodes may
    // hand out the same port, on this one machine they must not. Above the
    // kernel's ephemeral ports (32768-60999) and the default range other
    // tests' agents use (20000-32000).
    const int width = 4500 / options_.clients;
    const int low = 61000 + (n - 1) * width;
    dir_.write(name + ".hcl", "client {\n"
                              "  min_dynamic_port = " + std::to_string(low) + "\n"
                              "  max_dynamic_port = " + std::to_string(low + width - 1) + "\n"
                              "}\n");
    clients_.push_back(std::make_unique<AgentProcess>(std::vector<std::string>{
        "-client", "-config", dir_.file(name + ".hcl"), "-node", name, "-servers", join,
        "-data-dir", dir_.path() + "/" + name}));
  }
  ingress_port_ = free_port();
  ingress_admin_port_ = free_port();
  dir_.write("ingress.hcl", ingress_file(options_, ingress_port_));
  ingress_ = std::make_unique<BackgroundProcess>(
      "ingress", std::vector<std::string>{CARAVAN_BINARY, "ingress", "-config", dir_.file("ingress.hcl"),
                                          "-address", server_.address(), "-admin-port",
                                          std::to_string(ingress_admin_port_),
                                          "-threads", "1"});
}

ScenarioCluster::~ScenarioCluster() {
  // Stop every job while the ingress still reports (its instances turn idle
  // and stop quickly), then wait for the tasks: they would outlive the agents.
  if (!server_.ready()) return;
  http::Response jobs = server_.raw("GET", "/v1/jobs", "");
  nlohmann::json list = nlohmann::json::parse(jobs.body, nullptr, false);
  if (!list.is_array()) return;
  for (const nlohmann::json& job : list) {
    caravan({"job", "stop", "-detach", job.value("ID", "")});
  }
  bool stopped = wait_until([&] {
    for (const nlohmann::json& job : list) {
      for (const nlohmann::json& a : allocations(job.value("ID", ""))) {
        const std::string status = a.value("ClientStatus", "");
        if (status == "running" || status == "pending") return false;
      }
    }
    return true;
  }, std::chrono::seconds(60));
  if (!stopped) ADD_FAILURE() << "the jobs' tasks did not stop\n" << logs();
}

bool ScenarioCluster::ready() {
  if (!server_.ready()) return false;
  for (const auto& client : clients_) {
    if (!client->ready()) return false;
  }
  bool nodes = wait_until([&] {
    node_ids_.assign(clients_.size(), "");
    for (const nlohmann::json& node : server_.get("/v1/nodes")) {
      const std::string name = node.value("Name", "");
      if (node.value("Status", "") != "ready" || name.size() < 2) continue;
      size_t n = std::stoul(name.substr(1));
      if (n >= 1 && n <= node_ids_.size()) node_ids_[n - 1] = node.value("ID", "");
    }
    return std::none_of(node_ids_.begin(), node_ids_.end(), [](const std::string& id) { return id.empty(); });
  }, std::chrono::seconds(30));
  if (!nodes) {
    ADD_FAILURE() << "the clients did not all turn ready nodes\n" << logs();
    return false;
  }
  // The ingress is live once its first report reached the server.
  bool live = wait_until([&] {
    nlohmann::json traffic = server_.get("/v1/ingress/traffic?alloc=none");
    return traffic.is_object() && traffic.value("Ingresses", 0) >= 1;
  }, std::chrono::seconds(30));
  if (!live) ADD_FAILURE() << "the ingress never reported to the server\n" << logs();
  return live;
}

ProcessResult ScenarioCluster::caravan(std::vector<std::string> args) {
  args.insert(args.begin() + std::min<size_t>(2, args.size()), {"-address", server_.address()});
  return run_caravan(args);
}

std::string ScenarioCluster::run_job(const std::string& text) {
  const std::string file = "job" + std::to_string(++job_files_) + ".nomad.hcl";
  dir_.write(file, text);
  ProcessResult run = caravan({"job", "run", "-detach", dir_.file(file)});
  return run.exit_code == 0 ? "" : run.out + run.err;
}

nlohmann::json ScenarioCluster::allocations(const std::string& job) {
  nlohmann::json allocs = server_.get("/v1/job/" + job + "/allocations");
  return allocs.is_array() ? allocs : nlohmann::json::array();
}

int ScenarioCluster::running(const std::string& job, const std::string& node) {
  int n = 0;
  for (const nlohmann::json& a : allocations(job)) {
    n += a.value("ClientStatus", "") == "running" && a.value("DesiredStatus", "") == "run" &&
         (node.empty() || a.value("NodeID", "") == node);
  }
  return n;
}

size_t ScenarioCluster::passing() {
  nlohmann::json instances = server_.get("/v1/health/service/" + options_.service + "?passing");
  return instances.is_array() ? instances.size() : 0;
}

nlohmann::json ScenarioCluster::latest_deployment(const std::string& job) {
  return server_.get("/v1/job/" + job + "/deployment");
}

nlohmann::json ScenarioCluster::ingress_status() {
  Result<http::Client> client =
      http::Client::create("http://127.0.0.1:" + std::to_string(ingress_admin_port_));
  if (!client) return nullptr;
  Result<http::Response> r = client->get("/status");
  if (!r || r->status != 200) return nullptr;
  return nlohmann::json::parse(r->body, nullptr, false);
}

std::string ScenarioCluster::logs() const {
  std::string all = "--- server\n" + server_.output();
  for (size_t i = 0; i < clients_.size(); ++i) {
    all += "--- client c" + std::to_string(i + 1) + "\n" + clients_[i]->output();
  }
  if (ingress_) all += "--- ingress\n" + ingress_->output();
  return all;
}

}  // namespace caravan::testing
