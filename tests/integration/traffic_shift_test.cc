// Controlled traffic shift end to end, with a real agent (server + client +
// ingress): canary instances get only requests that ask for them, and an
// allocation nobody uses stops as soon as the ingress reports it idle, long
// before its shutdown_delay. The same under load, across a cluster, is
// scenario_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "agent_process.h"
#include "load_generator.h"
#include "process.h"

namespace caravan::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string web_job(int count, const std::string& shutdown_delay) {
  return R"J(job "web" {
  datacenters = ["dc1"]
  group "web" {
    count          = )J" + std::to_string(count) + R"J(
    shutdown_delay = ")J" + shutdown_delay + R"J("
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      tags = ["traefik.http.routers.web.rule=Host(`web.example.com`)",
              "traefik.http.services.web.loadbalancer.sticky.cookie=true",
              "traefik.http.services.web.loadbalancer.sticky.cookie.name=web_srv"]
      check {
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "2s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = [")J" + std::string(CARAVAN_SOURCE_DIR) + R"J(/tests/data/ingress/backend.py",
                   "${NOMAD_PORT_http}", "${NOMAD_ALLOC_ID}", "/nonexistent/fail"]
      }
      resources {
        cpu    = 50
        memory = 48
      }
    }
  }
}
)J";
}

int ingress_port(AgentProcess& agent) {
  nlohmann::json status = agent.get("/v1/ingress");
  return status.is_object() && !status["Ports"].empty() ? status["Ports"][0].get<int>() : 0;
}

size_t passing(AgentProcess& agent, const std::string& service) {
  return agent.get("/v1/health/service/" + service + "?passing").size();
}

std::string run_job(AgentProcess& agent, TempDir& dir, const std::string& text) {
  dir.write("job.nomad.hcl", text);
  ProcessResult run =
      run_caravan({"job", "run", "-detach", "-address", agent.address(), dir.file("job.nomad.hcl")});
  return run.exit_code == 0 ? "" : run.out + run.err;
}

TEST(TrafficShift, AnIdleAllocationStopsLongBeforeItsShutdownDelay) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  TempDir dir;
  ASSERT_EQ(run_job(agent, dir, web_job(2, "2m")), "");
  ASSERT_TRUE(wait_until([&] { return passing(agent, "web") == 2; }, std::chrono::seconds(60)));
  // The ingress reports (it is live, nothing is draining yet).
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/ingress/traffic?alloc=x")["Ingresses"] == 1; }));
  Clock::time_point scaled_at = Clock::now();
  ASSERT_EQ(run_job(agent, dir, web_job(1, "2m")), "");
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/service/web").size() == 1; },
                         std::chrono::seconds(60)));
  double seconds = std::chrono::duration<double>(Clock::now() - scaled_at).count();
  std::printf("traffic shift: an idle instance left the catalog %.1f s after the scale-down "
              "(shutdown_delay 2m)\n", seconds);
  EXPECT_LT(seconds, 30.0);
  EXPECT_THAT(agent.output(), ::testing::HasSubstr("draining its service instances"));
  EXPECT_THAT(agent.output(), ::testing::HasSubstr("its instances are idle"));
}

// The node's secret, read from the -dev agent's data dir (the test registers
// an instance as its client would).
std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string find_file(const std::string& root, const std::string& name) {
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename() == name) return it->path().string();
  }
  return "";
}

TEST(TrafficShift, CanariesGetOnlyRequestsThatAskForThem) {
  TempDir data;
  AgentProcess agent({"-dev", "-data-dir", data.path()});
  ASSERT_TRUE(agent.ready());
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  const int port = ingress_port(agent);
  TempDir dir;
  ASSERT_EQ(run_job(agent, dir, web_job(2, "0s")), "");
  ASSERT_TRUE(wait_until([&] { return passing(agent, "web") == 2; }, std::chrono::seconds(60)));

  // A canary instance next to them, registered as a client would.
  int canary_port = free_port();
  BackgroundProcess canary("canary", {"/usr/bin/python3",
                                      std::string(CARAVAN_SOURCE_DIR) + "/tests/data/ingress/backend.py",
                                      std::to_string(canary_port), "the-canary", "/nonexistent/fail"});
  nlohmann::json base = agent.get("/v1/service/web")[0];
  std::string node_id = read_first_line(find_file(data.path(), "node-id"));
  std::string secret = read_first_line(find_file(data.path(), "secret-id"));
  ASSERT_EQ(node_id, base["NodeID"].get<std::string>());
  nlohmann::json registration = base;
  registration["ID"] = base["ID"].get<std::string>() + "-canary";
  registration["Port"] = canary_port;
  registration["Canary"] = true;
  registration["Checks"] = nlohmann::json::array();
  http::Response put = [&] {
    Result<http::Client> client = http::Client::create(agent.address());
    http::RequestOptions options;
    options.headers.set("X-Caravan-Node-Secret", secret);
    Result<http::Response> r = client->put("/v1/client/node/" + node_id + "/services",
                                           nlohmann::json{{"Services", {registration}}}.dump(), options);
    return r ? *r : http::Response{};
  }();
  ASSERT_EQ(put.status, 200) << put.body;
  nlohmann::json all = agent.get("/v1/service/web");
  ASSERT_EQ(all.size(), 3u) << all.dump();

  auto ask = [&](bool canary_header) {
    Result<http::Client> client = http::Client::create("http://127.0.0.1:" + std::to_string(port));
    http::RequestOptions options;
    options.headers.set("Host", "web.example.com");
    if (canary_header) options.headers.set("X-Canary", "always");
    Result<http::Response> r = client->get("/", options);
    return r && r->status == 200 ? answering_instance(r->body) : "failed";
  };
  // The ingress follows the catalog: wait until the canary answers the header.
  ASSERT_TRUE(wait_until([&] { return ask(true) == "the-canary"; })) << agent.output();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ask(true), "the-canary");
  std::set<std::string> normal;
  for (int i = 0; i < 30; ++i) normal.insert(ask(false));
  EXPECT_EQ(normal.count("the-canary"), 0u);
  EXPECT_EQ(normal.count("failed"), 0u);
  EXPECT_EQ(normal.size(), 2u);
  // `caravan service info` marks it.
  ProcessResult info = run_caravan({"service", "info", "-address", agent.address(), "web"});
  EXPECT_THAT(info.out, ::testing::HasSubstr("canary"));

  // This agent keeps its data dir, so its tasks would outlive it (holding
  // their ports): stop them first.
  ProcessResult stop = run_caravan({"job", "stop", "-detach", "-address", agent.address(), "web"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  EXPECT_TRUE(wait_until([&] {
    for (const auto& a : agent.get("/v1/job/web/allocations")) {
      if (a["ClientStatus"] == "running") return false;
    }
    return true;
  }, std::chrono::seconds(30)));
}

}  // namespace
}  // namespace caravan::testing
