// Controlled traffic shift end to end, with a real agent (server + client +
// ingress): canary instances get only requests that ask for them; scaling a
// job down under steady load (half the clients sticky) drains the instance
// that stops — no failed request, sticky clients keep their instance until it
// has drained, the catalog shows what the ingress still sends it — and an
// allocation nobody uses stops as soon as the ingress reports it idle, long
// before its shutdown_delay.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "agent_process.h"
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

std::string instance_of(const std::string& body) {
  if (!body.starts_with("instance=")) return "";
  return body.substr(9, body.find(' ') - 9);
}

std::string run_job(AgentProcess& agent, TempDir& dir, const std::string& text) {
  dir.write("job.nomad.hcl", text);
  ProcessResult run =
      run_caravan({"job", "run", "-detach", "-address", agent.address(), dir.file("job.nomad.hcl")});
  return run.exit_code == 0 ? "" : run.out + run.err;
}

// The value of `name`=... in a Set-Cookie header, or "".
std::string cookie_value(const http::Response& r, const std::string& name) {
  std::optional<std::string_view> set = r.headers.get("Set-Cookie");
  if (!set || !set->starts_with(name + "=")) return "";
  std::string_view rest = set->substr(name.size() + 1);
  return std::string(rest.substr(0, rest.find(';')));
}

// The draining instance of `service` in the catalog (null when none).
nlohmann::json draining_instance(AgentProcess& agent, const std::string& service) {
  for (const nlohmann::json& i : agent.get("/v1/service/" + service)) {
    if (i.value("Draining", false)) return i;
  }
  return nullptr;
}

// One client of the load: its own keep-alive connection, paced requests.
struct LoadClient {
  int n = 0;
  bool sticky = false;
  std::string cookie;  // web_srv value, once given
  // What it saw, in order: (when, instance); failures counted apart.
  std::vector<std::pair<Clock::time_point, std::string>> seen;
  int sent = 0;
  int failed = 0;
  std::vector<std::string> failures;
  std::atomic<int> ok{0};  // read by the test while the client runs
};

void run_client(LoadClient& c, int port, std::atomic<bool>& stop) {
  std::optional<http::Client> client;
  while (!stop.load()) {
    if (!client) {
      Result<http::Client> made = http::Client::create("http://127.0.0.1:" + std::to_string(port));
      if (!made) {
        ++c.failed;
        c.failures.push_back(made.error().message());
        continue;
      }
      client.emplace(std::move(*made));
    }
    http::RequestOptions options;
    options.headers.set("Host", "web.example.com");
    if (c.sticky && !c.cookie.empty()) {
      // The session cookie of the application next to the ingress's cookie.
      options.headers.set("Cookie", "web_srv=" + c.cookie + "; sid=client" + std::to_string(c.n));
    }
    options.timeout = std::chrono::seconds(10);
    ++c.sent;
    Result<http::Response> r = client->get("/work", options);
    if (!r || r->status != 200) {
      ++c.failed;
      c.failures.push_back(r ? std::to_string(r->status) + " " + r->body : r.error().message());
      client.reset();
      continue;
    }
    c.seen.emplace_back(Clock::now(), instance_of(r->body));
    ++c.ok;
    if (c.sticky) {
      if (std::string v = cookie_value(*r, "web_srv"); !v.empty()) c.cookie = v;
    }
    // About 10 requests per second per client.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TEST(TrafficShift, ScalingDownUnderLoadDrainsTheStoppingInstanceWithoutAFailedRequest) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  const int port = ingress_port(agent);
  ASSERT_GT(port, 0);
  TempDir dir;
  ASSERT_EQ(run_job(agent, dir, web_job(3, "8s")), "");
  ASSERT_TRUE(wait_until([&] { return passing(agent, "web") == 3; }, std::chrono::seconds(60)))
      << agent.get("/v1/service/web").dump();

  constexpr int kClients = 32;  // half sticky; ~10 requests/s each
  std::vector<LoadClient> clients(kClients);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    clients[i].n = i;
    clients[i].sticky = i % 2 == 0;
    threads.emplace_back(run_client, std::ref(clients[i]), port, std::ref(stop));
  }
  auto total_ok = [&] {
    size_t n = 0;
    for (const LoadClient& c : clients) n += static_cast<size_t>(c.ok.load());
    return n;
  };
  auto stop_load = [&] {
    stop = true;
    for (std::thread& t : threads) t.join();
    threads.clear();
  };
  // Every client has its instance (sticky ones their cookie) before the change.
  bool warmed = wait_until([&] { return total_ok() >= kClients * 10; }, std::chrono::seconds(60));
  if (!warmed) stop_load();
  ASSERT_TRUE(warmed);

  Clock::time_point scaled_at = Clock::now();
  std::string error = run_job(agent, dir, web_job(2, "8s"));
  if (!error.empty()) stop_load();
  ASSERT_EQ(error, "");

  // The stopping allocation's instance turns draining; the catalog shows what
  // the ingress still sends it (its sticky sessions stay live under load).
  nlohmann::json draining;
  bool saw_drain = wait_until([&] {
    draining = draining_instance(agent, "web");
    return !draining.is_null();
  }, std::chrono::seconds(30));
  Clock::time_point drain_seen = Clock::now();
  nlohmann::json reported;
  bool saw_sessions = saw_drain && wait_until([&] {
    nlohmann::json now = draining_instance(agent, "web");
    if (!now.is_null()) reported = now;
    return !now.is_null() && now["Traffic"].value("Sessions", 0) > 0;
  }, std::chrono::seconds(10));
  // The ingress's own status shows the same.
  nlohmann::json ingress_draining = agent.get("/v1/ingress")["Draining"];
  // Tools reading Consul's or Nomad's ?passing see only the two that stay.
  size_t consul_passing = passing(agent, "web");
  size_t nomad_passing = agent.get("/v1/service/web?passing").size();
  // Then it leaves the catalog (shutdown_delay ran out: its sessions were live).
  bool gone = saw_drain && wait_until([&] {
    return agent.get("/v1/service/web").size() == 2 && draining_instance(agent, "web").is_null();
  }, std::chrono::seconds(40));
  Clock::time_point gone_at = Clock::now();
  // Some load after the move.
  size_t at_gone = total_ok();
  wait_until([&] { return total_ok() >= at_gone + kClients * 10; }, std::chrono::seconds(30));
  stop_load();
  ASSERT_TRUE(saw_drain) << agent.output();
  ASSERT_TRUE(gone) << agent.get("/v1/service/web").dump();
  const std::string drained = draining["AllocID"].get<std::string>();

  int sent = 0, failed = 0, sticky_on_drained = 0, moved = 0, moved_early = 0, new_on_drained = 0;
  for (const LoadClient& c : clients) {
    sent += c.sent;
    failed += c.failed;
    for (const std::string& f : c.failures) ADD_FAILURE() << "client " << c.n << ": " << f;
    if (c.sticky) {
      // Its instance at the scale-down, and whether (and when) it changed.
      std::string first;
      for (const auto& [when, instance] : c.seen) {
        if (when <= scaled_at) first = instance;
      }
      if (first.empty()) {
        ADD_FAILURE() << "sticky client " << c.n << " had no answer before the scale-down";
        continue;
      }
      if (first == drained) ++sticky_on_drained;
      std::string current = first;
      bool changed = false;
      for (const auto& [when, instance] : c.seen) {
        if (when <= scaled_at || instance == current) continue;
        // A sticky client changes instance only once its own instance drained.
        if (first != drained || when < drain_seen) ++moved_early;
        current = instance;
        changed = true;
      }
      if (changed) ++moved;
    } else {
      // Not sticky: no new request lands on the draining instance once the
      // ingress has seen the drain (a second after the catalog showed it).
      for (const auto& [when, instance] : c.seen) {
        if (when > drain_seen + std::chrono::seconds(1) && instance == drained) ++new_on_drained;
      }
    }
  }
  double seconds = std::chrono::duration<double>(gone_at - scaled_at).count();
  std::printf("traffic shift: %d clients (%d sticky), requests sent=%d failed=%d, "
              "sticky sessions on the drained instance=%d moved=%d (moved early=%d), "
              "non-sticky requests on it after the drain=%d, drained and gone %.1f s after the "
              "scale-down, reported while draining: %s\n",
              kClients, kClients / 2, sent, failed, sticky_on_drained, moved, moved_early,
              new_on_drained, seconds, reported.is_null() ? "-" : reported["Traffic"].dump().c_str());
  EXPECT_GE(sent, kClients * 20);
  EXPECT_EQ(failed, 0);
  EXPECT_TRUE(saw_sessions) << reported.dump();
  EXPECT_EQ(consul_passing, 2u);
  EXPECT_EQ(nomad_passing, 2u);
  ASSERT_EQ(ingress_draining.size(), 1u) << ingress_draining.dump();
  EXPECT_EQ(ingress_draining[0]["ID"], draining["ID"]);
  EXPECT_GT(sticky_on_drained, 0);
  EXPECT_EQ(moved, sticky_on_drained);
  EXPECT_EQ(moved_early, 0);
  EXPECT_EQ(new_on_drained, 0);
  // Live sessions kept it until the shutdown_delay (8 s) ran out.
  EXPECT_GE(seconds, 7.0);
  // `caravan service info` shows the two that are left.
  ProcessResult info = run_caravan({"service", "info", "-address", agent.address(), "web"});
  EXPECT_EQ(info.exit_code, 0) << info.err;
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
    return r && r->status == 200 ? instance_of(r->body) : "failed";
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
}

}  // namespace
}  // namespace caravan::testing
