// The seed walk-through (a job on a static port, then five of it, then dynamic
// ports) against a real `caravan agent -dev` and real processes: count 1 on a
// static port runs; count 5 on one static port fails in `job plan` the way
// Nomad's does; with dynamic ports all five run, each answering on its port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

// A job of `count` python web servers; port_block is the `port "http"` body.
std::string web_job(const std::string& name, int count, const std::string& port_block) {
  return "job \"" + name + "\" {\n"
         "  datacenters = [\"dc1\"]\n"
         "  group \"web\" {\n"
         "    count = " + std::to_string(count) + "\n"
         "    network {\n"
         "      port \"http\" {" + port_block + "}\n"
         "    }\n"
         "    task \"todo\" {\n"
         "      driver = \"raw_exec\"\n"
         "      config {\n"
         "        command = \"python3\"\n"
         "        args = [\"-m\", \"http.server\", \"${NOMAD_PORT_http}\", \"--bind\", \"127.0.0.1\"]\n"
         "      }\n"
         "      resources {\n"
         "        cpu    = 100\n"
         "        memory = 64\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

bool answers(int port) {
  Result<http::Client> client = http::Client::create("http://127.0.0.1:" + std::to_string(port));
  if (!client) return false;
  Result<http::Response> r = client->get("/");
  return r && r->status == 200;
}

std::vector<int> running_ports(AgentProcess& agent, const std::string& job) {
  std::vector<int> ports;
  nlohmann::json allocs = agent.get("/v1/job/" + job + "/allocations");
  for (const auto& a : allocs) {
    // An allocation being replaced still runs until its client stops it.
    if (a["ClientStatus"] != "running" || a["DesiredStatus"] != "run") continue;
    ports.push_back(a["AllocatedResources"]["Shared"]["Ports"][0]["Value"].get<int>());
  }
  return ports;
}

TEST(SeedWalkthrough, StaticPortThenFiveThenDynamicPorts) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  TempDir dir;
  const int static_port = free_port();
  const std::string address = agent.address();

  // 1. count = 1 on a static port: runs and answers there.
  dir.write("todo.nomad.hcl", web_job("todo", 1, " static = " + std::to_string(static_port) + " "));
  ProcessResult run = run_caravan({"job", "run", "-address", address, dir.file("todo.nomad.hcl")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("finished with status \"complete\""));
  EXPECT_TRUE(wait_until([&] { return answers(static_port); })) << "nothing on port " << static_port;

  // 2. count = 5 on the same static port of a one-node cluster: the plan says
  //    four cannot be placed, and why.
  dir.write("todo5.nomad.hcl", web_job("todo", 5, " static = " + std::to_string(static_port) + " "));
  ProcessResult plan = run_caravan({"job", "plan", "-address", address, dir.file("todo5.nomad.hcl")});
  EXPECT_EQ(plan.exit_code, 1) << "allocations would be created: " << plan.out << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("+/- Count: \"1\" => \"5\""));
  EXPECT_THAT(plan.out, HasSubstr("WARNING: Failed to place all allocations."));
  EXPECT_THAT(plan.out, HasSubstr("Task Group \"web\" (failed to place 4 allocations)"));
  EXPECT_THAT(plan.out, HasSubstr("Dimension \"network: reserved port collision http=" +
                                  std::to_string(static_port) + "\" exhausted on 1 nodes"));
  EXPECT_THAT(plan.out, HasSubstr("caravan job run -check-index"));
  EXPECT_EQ(running_ports(agent, "todo").size(), 1u) << "plan must change nothing";

  // 3. Dynamic ports: all five run, each on its own port.
  dir.write("todo-dyn.nomad.hcl", web_job("todo", 5, ""));
  ProcessResult dynamic = run_caravan({"job", "run", "-address", address, dir.file("todo-dyn.nomad.hcl")});
  EXPECT_EQ(dynamic.exit_code, 0) << dynamic.out << dynamic.err;
  ASSERT_TRUE(wait_until([&] { return running_ports(agent, "todo").size() == 5; },
                         std::chrono::seconds(30)))
      << agent.get("/v1/job/todo/allocations").dump(2);
  std::vector<int> ports = running_ports(agent, "todo");
  EXPECT_EQ(std::set<int>(ports.begin(), ports.end()).size(), 5u);
  for (int port : ports) {
    EXPECT_TRUE(wait_until([&] { return answers(port); })) << "nothing on port " << port;
  }

  ProcessResult status = run_caravan({"job", "status", "-address", address, "todo"});
  EXPECT_THAT(status.out, HasSubstr("Status        = running"));
  ProcessResult stop = run_caravan({"job", "stop", "-address", address, "todo"});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  EXPECT_TRUE(wait_until([&] { return running_ports(agent, "todo").empty(); }));
}

}  // namespace
}  // namespace caravan::testing
