// Server end to end, in process with an in-memory log: a registered node, a
// job registration evaluated by the workers, placements committed by the plan
// applier, a static-port job that does not fit blocked and unblocked when a
// node arrives, job stop, and `job plan`'s dry run leaving state untouched.
#include "server/server.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/uuid.h"

namespace caravan::server {
namespace {

using std::chrono::milliseconds;

model::Node make_node(const std::string& name) {
  model::Node node;
  node.id = generate_uuid();
  node.secret_id = generate_uuid();
  node.name = name;
  node.datacenter = "dc1";
  node.attributes = {{"kernel.name", "linux"}, {"unique.network.ip-address", "127.0.0.1"}};
  node.node_resources.cpu.cpu_shares = 4000;
  node.node_resources.cpu.total_cpu_cores = 2;
  node.node_resources.memory.memory_mb = 8192;
  node.node_resources.disk.disk_mb = 100000;
  node.node_resources.networks.push_back(model::NodeNetwork{"host", "lo", "127.0.0.1", "127.0.0.1/32"});
  node.drivers["raw_exec"] = model::DriverInfo{{}, true, true, "Healthy", ""};
  return node;
}

model::Job make_job(const std::string& id, int count, int static_port) {
  model::Job job;
  job.id = id;
  job.name = id;
  job.namespace_name = "default";
  job.region = "global";
  job.type = "service";
  job.priority = 50;
  job.datacenters = {"*"};
  job.node_pool = "default";
  model::TaskGroup group;
  group.name = "web";
  group.count = count;
  model::NetworkResource network;
  network.mode = "host";
  model::Port port;
  port.label = "http";
  if (static_port > 0) {
    port.value = static_port;
    network.reserved_ports.push_back(port);
  } else {
    network.dynamic_ports.push_back(port);
  }
  group.networks.push_back(network);
  group.ephemeral_disk = model::EphemeralDisk{false, 300, false};
  model::Task task;
  task.name = "server";
  task.driver = "raw_exec";
  task.config = model::RawJson::from_canonical_text(R"({"command":"/bin/sleep","args":["60"]})");
  task.resources.cpu = 100;
  task.resources.memory_mb = 64;
  group.tasks.push_back(task);
  job.task_groups.push_back(group);
  return job;
}

std::unique_ptr<Server> start_server() {
  ServerConfig config;
  config.in_memory = true;
  config.num_schedulers = 2;
  config.scheduler.seed = 7;
  Result<std::unique_ptr<Server>> server = Server::start(config);
  EXPECT_TRUE(server.has_value()) << server.error().message();
  return std::move(server).value();
}

// Waits until the evaluation leaves pending; returns it.
state::EvalPtr wait_eval(Server& server, const std::string& id) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    state::EvalPtr eval = server.state().snapshot()->eval(id);
    if (eval && eval->status != model::kEvalStatusPending) return eval;
    server.state().wait_for(state::Table::kEvals, server.state().index(),
                            std::chrono::steady_clock::now() + milliseconds(100));
  }
  return server.state().snapshot()->eval(id);
}

size_t live_allocs(Server& server, const std::string& job) {
  size_t n = 0;
  for (const state::AllocPtr& alloc : server.state().snapshot()->allocs_by_job("default", job)) {
    if (!alloc->terminal()) ++n;
  }
  return n;
}

TEST(Server, RegisteredJobIsPlacedOnTheNode) {
  std::unique_ptr<Server> server = start_server();
  ASSERT_TRUE(server->register_node(make_node("n1")).has_value());
  Result<RegisterJobResult> registered = server->register_job(make_job("web", 3, 0), std::nullopt);
  ASSERT_TRUE(registered.has_value()) << registered.error().message();
  state::EvalPtr eval = wait_eval(*server, registered->eval_id);
  ASSERT_NE(eval, nullptr);
  EXPECT_EQ(eval->status, model::kEvalStatusComplete) << eval->status_description;
  EXPECT_EQ(live_allocs(*server, "web"), 3u);
  std::set<int> ports;
  for (const state::AllocPtr& alloc : server->state().snapshot()->allocs_by_job("default", "web")) {
    ASSERT_EQ(alloc->allocated_resources.shared.ports.size(), 1u);
    ports.insert(alloc->allocated_resources.shared.ports[0].value);
  }
  EXPECT_EQ(ports.size(), 3u) << "dynamic ports are distinct";
}

TEST(Server, StaticPortCollisionBlocksUntilANodeArrives) {
  std::unique_ptr<Server> server = start_server();
  ASSERT_TRUE(server->register_node(make_node("n1")).has_value());
  Result<RegisterJobResult> registered = server->register_job(make_job("web", 2, 8080), std::nullopt);
  ASSERT_TRUE(registered.has_value());
  state::EvalPtr eval = wait_eval(*server, registered->eval_id);
  ASSERT_NE(eval, nullptr);
  EXPECT_EQ(live_allocs(*server, "web"), 1u);
  ASSERT_EQ(eval->failed_tg_allocs.count("web"), 1u);
  EXPECT_EQ(eval->failed_tg_allocs.at("web").dimension_exhausted.count(
                "network: reserved port collision http=8080"),
            1u);
  EXPECT_FALSE(eval->blocked_eval.empty());

  // A second node brings capacity: the blocked evaluation places the other one.
  ASSERT_TRUE(server->register_node(make_node("n2")).has_value());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (live_allocs(*server, "web") < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(live_allocs(*server, "web"), 2u) << [&] {
    std::string out;
    for (const auto& e : server->state().snapshot()->evals_by_job("default", "web")) {
      out += e->id.substr(0, 8) + " " + e->triggered_by + " " + e->status + " " +
             e->status_description + " blocked=" + e->blocked_eval.substr(0, 8) + "\n";
    }
    for (const auto& a : server->state().snapshot()->allocs_by_job("default", "web")) {
      out += a->id.substr(0, 8) + " " + a->node_id + " " + a->desired_status + " " + a->client_status + "\n";
    }
    return out;
  }();
}

TEST(Server, PlanIsADryRunThatReportsFailuresAndChangesNothing) {
  std::unique_ptr<Server> server = start_server();
  ASSERT_TRUE(server->register_node(make_node("n1")).has_value());
  int64_t before = server->state().index();
  Result<PlanJobResult> plan = server->plan_job(make_job("web", 5, 8080), true, false);
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  EXPECT_EQ(server->state().index(), before);
  EXPECT_EQ(plan->annotations.desired_tg_updates.at("web").place, 5);
  ASSERT_EQ(plan->failed_tg_allocs.count("web"), 1u);
  EXPECT_EQ(plan->failed_tg_allocs.at("web").coalesced_failures, 3);
  ASSERT_TRUE(plan->diff.has_value());
  EXPECT_EQ(plan->diff->type, model::DiffType::kAdded);
  EXPECT_EQ(plan->diff->task_groups[0].updates.at("create"), 5);
}

TEST(Server, StoppedJobHasItsAllocationsStopped) {
  std::unique_ptr<Server> server = start_server();
  ASSERT_TRUE(server->register_node(make_node("n1")).has_value());
  Result<RegisterJobResult> registered = server->register_job(make_job("web", 2, 0), std::nullopt);
  ASSERT_TRUE(registered.has_value());
  wait_eval(*server, registered->eval_id);
  ASSERT_EQ(live_allocs(*server, "web"), 2u);
  Result<RegisterJobResult> stopped = server->deregister_job("default", "web", false);
  ASSERT_TRUE(stopped.has_value());
  state::EvalPtr eval = wait_eval(*server, stopped->eval_id);
  EXPECT_EQ(eval->status, model::kEvalStatusComplete);
  EXPECT_EQ(live_allocs(*server, "web"), 0u);
  EXPECT_TRUE(server->state().snapshot()->job("default", "web")->stop);
}

TEST(Server, CheckIndexIsEnforced) {
  std::unique_ptr<Server> server = start_server();
  Result<RegisterJobResult> first = server->register_job(make_job("web", 1, 0), 0);
  ASSERT_TRUE(first.has_value());
  Result<RegisterJobResult> stale = server->register_job(make_job("web", 2, 0), 0);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(server->register_job(make_job("web", 2, 0), first->job_modify_index).has_value());
}

TEST(Server, HeartbeatsKeepANodeAndSilenceMarksItDown) {
  ServerConfig config;
  config.in_memory = true;
  config.num_schedulers = 1;
  config.heartbeat_ttl = milliseconds(300);
  Result<std::unique_ptr<Server>> server = Server::start(config);
  ASSERT_TRUE(server.has_value());
  model::Node node = make_node("n1");
  ASSERT_TRUE((*server)->register_node(node).has_value());
  EXPECT_EQ((*server)->heartbeat(node.id, "wrong").error().code(), StatusCode::kPermissionDenied);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*server)->state().snapshot()->node(node.id)->status != model::kNodeStatusDown &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ((*server)->state().snapshot()->node(node.id)->status, model::kNodeStatusDown);
  ASSERT_TRUE((*server)->heartbeat(node.id, node.secret_id).has_value());
  EXPECT_EQ((*server)->state().snapshot()->node(node.id)->status, model::kNodeStatusReady);
}

}  // namespace
}  // namespace caravan::server
