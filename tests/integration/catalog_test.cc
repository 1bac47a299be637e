// The catalog end to end with a real agent and real processes: a job's
// service instances appear in Nomad's and Consul's APIs with the results of
// their http checks, `caravan service list/info` show them, a Consul blocking
// query wakes when they change, they leave when the job stops — and a real
// Consul client library (Debian's python3-consul) watching the catalog the way
// Prometheus' consul_sd does sees them come and go. (Debian's Prometheus is
// built without Consul service discovery, so it cannot be the client here.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <sstream>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

// `count` python web servers offering two services on one port: "web", whose
// check asks for "/" (200), and "web-admin", whose check asks for a page that
// does not exist (404: critical).
std::string catalog_job(int count) {
  return R"(job "shop" {
  datacenters = ["dc1"]
  group "web" {
    count = )" + std::to_string(count) + R"(
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      tags = ["urlprefix-/shop", "alloc-${NOMAD_ALLOC_INDEX}"]
      check {
        type     = "http"
        path     = "/"
        interval = "1s"
        timeout  = "1s"
      }
    }
    service {
      name = "web-admin"
      port = "http"
      check {
        type     = "http"
        path     = "/no-such-page"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "127.0.0.1"]
      }
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
)";
}

// Runs the shop job (two instances) once the agent's client has registered;
// -detach, since its web-admin check fails on purpose: the deployment never
// turns healthy and would keep `job run` waiting until the healthy deadline.
void run_shop(AgentProcess& agent, const TempDir& dir) {
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  dir.write("shop.nomad.hcl", catalog_job(2));
  ProcessResult run =
      run_caravan({"job", "run", "-detach", "-address", agent.address(), dir.file("shop.nomad.hcl")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
}

size_t passing_count(const nlohmann::json& instances) {
  size_t passing = 0;
  for (const auto& instance : instances) {
    bool ok = true;
    for (const auto& check : instance["Checks"]) ok = ok && check["Status"] == "passing";
    passing += ok && !instance["Checks"].empty() ? 1 : 0;
  }
  return passing;
}

TEST(Catalog, InstancesCarryCheckResultsInBothDialectsAndLeaveWhenTheJobStops) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(run_shop(agent, dir));

  nlohmann::json web;
  ASSERT_TRUE(wait_until([&] {
    web = agent.get("/v1/service/web");
    return web.size() == 2 && passing_count(web) == 2;
  })) << web.dump(2);
  std::set<std::string> tags;
  for (const auto& instance : web) {
    EXPECT_EQ(instance["JobID"], "shop");
    EXPECT_EQ(instance["Address"], "127.0.0.1");
    EXPECT_GT(instance["Port"].get<int>(), 0);
    for (const auto& tag : instance["Tags"]) tags.insert(tag.get<std::string>());
  }
  EXPECT_EQ(tags, (std::set<std::string>{"urlprefix-/shop", "alloc-0", "alloc-1"}));

  // The failing check makes web-admin critical: listed, but not with ?passing.
  nlohmann::json admin;
  ASSERT_TRUE(wait_until([&] {
    admin = agent.get("/v1/health/service/web-admin");
    // The first probe may still find the port closed; wait for the 404 itself.
    return admin.size() == 2 && admin[0]["Checks"].size() == 2 &&
           admin[0]["Checks"][1]["Status"] == "critical" && admin[1]["Checks"][1]["Status"] == "critical" &&
           admin[0]["Checks"][1]["Output"].get<std::string>().find("404") != std::string::npos;
  })) << admin.dump(2);
  EXPECT_THAT(admin[0]["Checks"][1]["Output"].get<std::string>(), HasSubstr("404"));
  EXPECT_EQ(admin[0]["Checks"][0]["CheckID"], "serfHealth");
  EXPECT_TRUE(agent.get("/v1/health/service/web-admin?passing").empty());
  EXPECT_EQ(agent.get("/v1/health/service/web?passing").size(), 2u);
  EXPECT_EQ(agent.get("/v1/health/service/web?passing&tag=alloc-1").size(), 1u);
  EXPECT_EQ(agent.get("/v1/catalog/service/web?tag=nope").size(), 0u);

  nlohmann::json catalog = agent.get("/v1/catalog/services");
  EXPECT_EQ(catalog["web"], nlohmann::json({"alloc-0", "alloc-1", "urlprefix-/shop"}));
  EXPECT_TRUE(catalog.contains("web-admin"));
  nlohmann::json self = agent.get("/v1/agent/self");
  EXPECT_EQ(self["Config"]["Datacenter"], "dc1");

  ProcessResult list = run_caravan({"service", "list", "-address", agent.address()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("Service Name  Tags\nweb           [alloc-0,alloc-1,urlprefix-/shop]\n"));
  EXPECT_THAT(list.out, HasSubstr("web-admin     []\n"));
  ProcessResult info = run_caravan({"service", "info", "-address", agent.address(), "web"});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.out, HasSubstr("Health"));
  EXPECT_THAT(info.out, HasSubstr("passing"));
  ProcessResult missing = run_caravan({"service", "info", "-address", agent.address(), "nothing"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("No service registrations found for \"nothing\""));

  // A Consul blocking query on the service wakes when the job stops.
  http::Response current = agent.raw("GET", "/v1/health/service/web", "");
  std::string index(current.headers.get("X-Consul-Index").value_or(""));
  ASSERT_FALSE(index.empty());
  auto blocked = std::async(std::launch::async, [&] {
    return agent.raw("GET", "/v1/health/service/web?index=" + index + "&wait=30s", "");
  });
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout)
      << "nothing changed yet";
  ProcessResult stop = run_caravan({"job", "stop", "-address", agent.address(), "shop"});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  ASSERT_EQ(blocked.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  http::Response woke = blocked.get();
  EXPECT_GT(std::stoll(std::string(woke.headers.get("X-Consul-Index").value_or("0"))), std::stoll(index));
  EXPECT_TRUE(wait_until([&] { return agent.get("/v1/service/web").empty(); }));
  EXPECT_TRUE(agent.get("/v1/health/service/web-admin").empty());
}

// A watcher written with python-consul (Debian's python3-consul), the way
// Prometheus' consul_sd watches Consul: read the datacenter from
// /v1/agent/self, block on /v1/catalog/services until the service appears,
// read its passing instances from /v1/health/service, then block on that
// until none is left. It prints one JSON line at each step.
constexpr std::string_view kConsulWatcher = R"(import consul, json, sys
c = consul.Consul(host="127.0.0.1", port=int(sys.argv[1]))
dc = c.agent.self()["Config"]["Datacenter"]
index, services = c.catalog.services()
while "web" not in services:
    index, services = c.catalog.services(index=index, wait="30s")
index, nodes = c.health.service("web", passing=True, tag="urlprefix-/shop")
while len(nodes) < 2:
    index, nodes = c.health.service("web", index=index, wait="30s", passing=True, tag="urlprefix-/shop")
targets = sorted("%s:%d" % (n["Service"]["Address"], n["Service"]["Port"]) for n in nodes)
print(json.dumps({"dc": dc, "targets": targets}), flush=True)
while nodes:
    index, nodes = c.health.service("web", index=index, wait="30s")
print(json.dumps({"gone": True}), flush=True)
)";

// The JSON lines the watcher printed so far.
std::vector<nlohmann::json> watcher_lines(const BackgroundProcess& watcher) {
  std::vector<nlohmann::json> lines;
  std::istringstream output(watcher.output());
  for (std::string line; std::getline(output, line);) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
    if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
  }
  return lines;
}

TEST(Catalog, AConsulClientLibraryWatchesInstancesComeAndGo) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  TempDir dir;
  dir.write("watch.py", std::string(kConsulWatcher));
  BackgroundProcess watcher("consul watcher",
                            {"/usr/bin/python3", dir.file("watch.py"), std::to_string(agent.port())});
  ASSERT_NO_FATAL_FAILURE(run_shop(agent, dir));
  nlohmann::json web;
  ASSERT_TRUE(wait_until([&] {
    web = agent.get("/v1/service/web");
    return web.size() == 2;
  })) << web.dump(2);
  std::vector<std::string> expected;
  for (const auto& instance : web) {
    expected.push_back("127.0.0.1:" + std::to_string(instance["Port"].get<int>()));
  }
  std::sort(expected.begin(), expected.end());

  ASSERT_TRUE(wait_until([&] { return !watcher_lines(watcher).empty(); }, std::chrono::seconds(30)))
      << watcher.output();
  nlohmann::json found = watcher_lines(watcher)[0];
  EXPECT_EQ(found["dc"], "dc1");
  EXPECT_EQ(found["targets"], nlohmann::json(expected));

  ProcessResult stop = run_caravan({"job", "stop", "-address", agent.address(), "shop"});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  ASSERT_TRUE(wait_until([&] { return watcher_lines(watcher).size() == 2; }, std::chrono::seconds(30)))
      << watcher.output();
  EXPECT_EQ(watcher_lines(watcher)[1]["gone"], true);
}

}  // namespace
}  // namespace caravan::testing
