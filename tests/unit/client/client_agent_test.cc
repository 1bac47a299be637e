// ClientAgent against a small in-test server (http::Server + Router) that
// implements the four client endpoints with real in-memory behaviour: register,
// heartbeat (404 for an unknown node), a blocking allocation query, and status
// updates. Checks registration, heartbeats, running an allocation, status
// reports, desired stop, re-registration, logs, and re-attaching after the
// agent is destroyed and recreated with the same data dir (same pid).
#include "client/client_agent.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "http/router.h"
#include "http/server.h"
#include "model/model_json.h"
#include "unit/client/client_test_util.h"
#include "unit/client/runner_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::make_alloc;
using testing::shell_task;
using testing::TempDir;

// The server side a client agent talks to, in memory.
class FakeServer {
 public:
  FakeServer() {
    http::Router router;
    router.add("POST", "/v1/client/node/register",
               [this](const http::Request& r, const http::RouteParams&) { return do_register(r); });
    router.add("PUT", "/v1/client/node/:id/heartbeat",
               [this](const http::Request& r, const http::RouteParams& p) {
                 return heartbeat(r, std::string(p.get("id")));
               });
    router.add("GET", "/v1/client/node/:id/allocations",
               [this](const http::Request& r, const http::RouteParams& p) {
                 return allocations(r, std::string(p.get("id")));
               });
    router.add("POST", "/v1/client/node/:id/allocations/update",
               [this](const http::Request& r, const http::RouteParams& p) {
                 return update(r, std::string(p.get("id")));
               });
    http::ServerOptions options;
    options.port = 0;
    server_ = std::make_unique<http::Server>(std::move(router), options);
    EXPECT_TRUE(server_->start().is_ok());
  }
  ~FakeServer() { server_->stop(5s); }

  std::string url() const { return server_->url(); }

  void put_alloc(model::Allocation alloc) {
    std::lock_guard lock(mu_);
    alloc.alloc_modify_index = ++index_;
    alloc.modify_index = index_;
    allocs_[alloc.id] = std::move(alloc);
    cv_.notify_all();
  }
  void stop_alloc(const std::string& id) {
    std::lock_guard lock(mu_);
    model::Allocation& a = allocs_.at(id);
    a.desired_status = model::kAllocDesiredStop;
    a.alloc_modify_index = a.modify_index = ++index_;
    cv_.notify_all();
  }
  void forget_nodes() {
    std::lock_guard lock(mu_);
    nodes_.clear();
  }
  std::optional<model::Node> node(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(id);
    return it == nodes_.end() ? std::nullopt : std::optional(it->second);
  }
  int registrations() const {
    std::lock_guard lock(mu_);
    return registrations_;
  }
  int heartbeats() const {
    std::lock_guard lock(mu_);
    return heartbeats_;
  }
  // The client's last report on `id`.
  std::optional<model::Allocation> reported(const std::string& id) const {
    std::lock_guard lock(mu_);
    auto it = reports_.find(id);
    return it == reports_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  bool authorised(const http::Request& r, const std::string& node_id) const {
    auto it = nodes_.find(node_id);
    return it != nodes_.end() && r.headers.get("X-Caravan-Node-Secret") == it->second.secret_id;
  }
  static http::Response ttl() { return http::json_response(200, R"({"HeartbeatTTL":200000000})"); }

  http::Response do_register(const http::Request& r) {
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.contains("Node")) return http::error_response(400, "no Node");
    Result<model::Node> node = model::from_json<model::Node>(body["Node"], "Node");
    if (!node) return http::error_response(node.error());
    std::lock_guard lock(mu_);
    ++registrations_;
    nodes_[node->id] = *node;
    return ttl();
  }
  http::Response heartbeat(const http::Request& r, const std::string& id) {
    std::lock_guard lock(mu_);
    if (!nodes_.contains(id)) return http::error_response(404, "node not found");
    if (!authorised(r, id)) return http::error_response(403, "wrong secret");
    ++heartbeats_;
    return ttl();
  }
  http::Response allocations(const http::Request& r, const std::string& id) {
    int64_t min_index = std::stoll(std::string(r.query("index").value_or("0")));
    Result<Duration> wait = parse_duration(r.query("wait").value_or("5s"));
    std::unique_lock lock(mu_);
    if (!nodes_.contains(id)) return http::error_response(404, "node not registered");
    if (!authorised(r, id)) return http::error_response(403, "wrong secret");
    cv_.wait_for(lock, r.stop_token, wait ? *wait : 5s, [&] { return index_ > min_index; });
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& [alloc_id, alloc] : allocs_) {
      if (alloc.node_id == id) out.push_back(model::to_json(alloc));
    }
    http::Response response = http::json_response(200, out.dump());
    response.headers.set("X-Nomad-Index", std::to_string(index_));
    return response;
  }
  http::Response update(const http::Request& r, const std::string& id) {
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    std::lock_guard lock(mu_);
    if (!authorised(r, id)) return http::error_response(403, "wrong secret");
    for (const auto& item : body["Allocs"]) {
      Result<model::Allocation> a = model::from_json<model::Allocation>(item, "Alloc");
      if (!a) return http::error_response(a.error());
      reports_[a->id] = *a;
      if (auto it = allocs_.find(a->id); it != allocs_.end()) {
        it->second.client_status = a->client_status;
        it->second.task_states = a->task_states;
        it->second.modify_index = ++index_;  // as the real server: a client update is a change
      }
    }
    cv_.notify_all();
    return http::json_response(200, "{}");
  }

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  int64_t index_ = 1;
  std::map<std::string, model::Node> nodes_;
  std::map<std::string, model::Allocation> allocs_;
  std::map<std::string, model::Allocation> reports_;
  int registrations_ = 0;
  int heartbeats_ = 0;
  std::unique_ptr<http::Server> server_;
};

class ClientAgentTest : public ::testing::Test {
 protected:
  std::unique_ptr<ClientAgent> start_agent() {
    ClientConfig config;
    config.servers = {server_.url()};
    config.data_dir = tmp_.path();
    config.node_name = "agent-test";
    config.options = {{"driver.allowlist", "raw_exec"}};
    config.watch_wait = 1s;
    config.update_batch = 50ms;
    config.retry_initial = 50ms;
    config.retry_max = 500ms;
    Result<std::unique_ptr<ClientAgent>> agent = ClientAgent::start(config);
    EXPECT_TRUE(agent.has_value()) << agent.error().message();
    return agent.has_value() ? std::move(*agent) : nullptr;
  }
  // Whether the client reported the allocation's health (healthy or not).
  bool health_reported(const std::string& id) const {
    auto r = server_.reported(id);
    return r && r->deployment_status && r->deployment_status->healthy.has_value();
  }
  // `alloc` with a migrate block whose min_healthy_time is `min_healthy`.
  static void set_migrate(model::Allocation& alloc, Duration min_healthy) {
    auto job = std::make_shared<model::Job>(*alloc.job);
    job->task_groups[0].migrate = model::MigrateStrategy{};
    job->task_groups[0].migrate->min_healthy_time = min_healthy;
    alloc.job = job;
  }
  std::string reported_status(const std::string& id) const {
    auto r = server_.reported(id);
    return r ? r->client_status : "";
  }
  static int task_pid(const ClientAgent& agent, const std::string& alloc, const std::string& task) {
    auto runner = agent.alloc_runner(alloc);
    if (!runner || runner->task_runner(task) == nullptr) return 0;
    auto handle = runner->task_runner(task)->handle();
    return handle ? handle->target.pid : 0;
  }

  TempDir tmp_;
  FakeServer server_;
};

TEST_F(ClientAgentTest, RegistersWithDriversAndHeartbeats) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  std::optional<model::Node> node = server_.node(agent->node().id);
  ASSERT_TRUE(node.has_value());
  EXPECT_EQ(node->name, "agent-test");
  ASSERT_TRUE(node->drivers.contains("raw_exec"));
  EXPECT_TRUE(node->drivers.at("raw_exec").detected);
  EXPECT_FALSE(node->drivers.contains("exec"));  // not in the allowlist
  EXPECT_EQ(node->attributes.at("driver.raw_exec"), "1");
  ASSERT_TRUE(eventually([&] { return server_.heartbeats() >= 2; }));

  server_.forget_nodes();  // e.g. the server lost its state: the client registers again
  ASSERT_TRUE(eventually([&] { return server_.registrations() >= 2; }));
  EXPECT_TRUE(server_.node(agent->node().id).has_value());
}

TEST_F(ClientAgentTest, RunsReportsStopsAndReattachesAfterRestart) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  std::string node_id = agent->node().id;

  model::Allocation alloc = make_alloc({shell_task("web", "echo up; exec sleep 60")}, "service");
  alloc.node_id = node_id;
  server_.put_alloc(alloc);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientRunning; }));
  int pid = task_pid(*agent, alloc.id, "web");
  ASSERT_GT(pid, 0);
  EXPECT_EQ(server_.reported(alloc.id)->task_states.at("web").state, model::kTaskStateRunning);

  // Logs through the agent's service.
  http::Request request;
  request.method = "GET";
  request.query_params = {{"task", "web"}, {"type", "stdout"}, {"plain", "true"}};
  ASSERT_TRUE(eventually([&] { return agent->task_logs(request, alloc.id).body == "up\n"; }));
  EXPECT_EQ(agent->task_logs(request, "no-such-alloc").status, 404);

  // kill -9 of the agent, in spirit: it goes away without stopping its task.
  agent.reset();
  ASSERT_EQ(::kill(pid, 0), 0) << "the task must outlive the agent";
  agent = start_agent();
  ASSERT_TRUE(agent);
  EXPECT_EQ(agent->node().id, node_id);
  ASSERT_TRUE(eventually([&] { return task_pid(*agent, alloc.id, "web") != 0; }));
  EXPECT_EQ(task_pid(*agent, alloc.id, "web"), pid) << "re-attached, not started again";
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  std::optional<model::Allocation> status = agent->alloc_status(alloc.id);
  ASSERT_TRUE(status.has_value());
  int started = 0;
  for (const auto& e : status->task_states.at("web").events) started += e.type == "Started";
  EXPECT_EQ(started, 1);

  // The server stops the allocation.
  server_.stop_alloc(alloc.id);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientComplete; }));
  EXPECT_EQ(server_.reported(alloc.id)->task_states.at("web").events.back().type, "Killed");
  EXPECT_TRUE(eventually([&] { return ::kill(pid, 0) != 0; }));
}

TEST_F(ClientAgentTest, BatchAllocationCompletes) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  model::Allocation alloc = make_alloc({shell_task("job", "echo done")}, "batch");
  alloc.node_id = agent->node().id;
  server_.put_alloc(alloc);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientComplete; }));
  EXPECT_FALSE(server_.reported(alloc.id)->task_states.at("job").failed);
}

TEST_F(ClientAgentTest, ReportsDeploymentHealthAfterMinHealthyTime) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  model::Allocation alloc = make_alloc({shell_task("web", "exec sleep 60")}, "service");
  auto job = std::make_shared<model::Job>(*alloc.job);
  job->task_groups[0].update = model::UpdateStrategy{};
  job->task_groups[0].update->min_healthy_time = 300ms;
  alloc.job = job;
  alloc.deployment_id = "deployment-1";
  alloc.node_id = agent->node().id;
  server_.put_alloc(alloc);
  ASSERT_TRUE(eventually([&] { return health_reported(alloc.id); }));
  EXPECT_EQ(server_.reported(alloc.id)->deployment_status->healthy, true);
  EXPECT_EQ(server_.reported(alloc.id)->client_status, model::kAllocClientRunning);
  server_.stop_alloc(alloc.id);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientComplete; }));
}

TEST_F(ClientAgentTest, ReportsHealthPerTheMigrateBlockWithoutADeployment) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  model::Allocation alloc = make_alloc({shell_task("web", "exec sleep 60")}, "service");
  set_migrate(alloc, 300ms);
  alloc.node_id = agent->node().id;
  server_.put_alloc(alloc);
  ASSERT_TRUE(eventually([&] { return health_reported(alloc.id); }));
  EXPECT_EQ(server_.reported(alloc.id)->deployment_status->healthy, true);
  EXPECT_FALSE(server_.reported(alloc.id)->deployment_status->timestamp.empty());
  server_.stop_alloc(alloc.id);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientComplete; }));
}

TEST_F(ClientAgentTest, BatchAllocationsGetNoHealth) {
  auto agent = start_agent();
  ASSERT_TRUE(agent);
  ASSERT_TRUE(eventually([&] { return agent->registered(); }));
  model::Allocation alloc = make_alloc({shell_task("job", "sleep 1")}, "batch");
  set_migrate(alloc, 1ms);
  alloc.node_id = agent->node().id;
  server_.put_alloc(alloc);
  ASSERT_TRUE(eventually([&] { return reported_status(alloc.id) == model::kAllocClientComplete; }));
  auto reported = server_.reported(alloc.id);
  EXPECT_FALSE(reported->deployment_status && reported->deployment_status->healthy.has_value());
}

}  // namespace
}  // namespace caravan::client
