// A small cluster for the scenario tests, all on this machine: one server
// agent, client agents c1..cN joined to it, and `caravan ingress` as its own
// process in front of them, following the server's catalog with the route the
// test gives (sticky cookie or consistent hashing). The jobs are stopped before
// the agents when the cluster goes (tasks outlive their agents).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent_process.h"
#include "background_process.h"
#include "process.h"

namespace caravan::testing {

struct ClusterOptions {
  int clients = 2;
  // The service the ingress routes on Host `host`, from the catalog.
  std::string service = "web";
  std::string host = "web.example.com";
  // The body of the ingress file's service block after its hosts (balancing,
  // sticky cookie, hash key).
  std::string route;
};

class ScenarioCluster {
 public:
  explicit ScenarioCluster(ClusterOptions options);
  ~ScenarioCluster();
  ScenarioCluster(const ScenarioCluster&) = delete;
  ScenarioCluster& operator=(const ScenarioCluster&) = delete;

  // Waits until the server answers, every client is a ready node and the
  // ingress is live (it reports to the server); false (with the reason in
  // the test log) otherwise.
  bool ready();

  AgentProcess& server() { return server_; }
  int ingress_port() const { return ingress_port_; }
  // The ingress's own status (its admin /status: ports, catalog index, the
  // draining instances it still routes sessions to); null when it is down.
  nlohmann::json ingress_status();
  const ClusterOptions& options() const { return options_; }
  // The node ID of client "c<n>" (1-based), once ready.
  const std::string& node_id(int n) const { return node_ids_.at(static_cast<size_t>(n - 1)); }

  // `caravan <words...>` against the server: -address goes after the first
  // two words (the command and subcommand).
  ProcessResult caravan(std::vector<std::string> args);
  // Writes `text` to a job file and runs `job run -detach`; "" when it was
  // accepted, else what the CLI printed.
  std::string run_job(const std::string& text);

  // The job's allocations (the API's stubs) and how many run on `node` ("" = any)
  // with DesiredStatus run.
  nlohmann::json allocations(const std::string& job);
  int running(const std::string& job, const std::string& node = "");
  // Passing instances of the service in the catalog (Consul's ?passing view).
  size_t passing();
  // The job's latest deployment (null when none).
  nlohmann::json latest_deployment(const std::string& job);

  // Every process's output, for a failure message.
  std::string logs() const;

 private:
  ClusterOptions options_;
  TempDir dir_;
  AgentProcess server_;
  std::vector<std::unique_ptr<AgentProcess>> clients_;
  std::vector<std::string> node_ids_;
  int ingress_port_ = 0;
  int ingress_admin_port_ = 0;
  std::unique_ptr<BackgroundProcess> ingress_;
  int job_files_ = 0;
};

}  // namespace caravan::testing
