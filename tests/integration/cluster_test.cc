// Server and clients as separate processes on one machine: a server-only agent
// and two client-only agents with their own names, data dirs and HTTP ports
// join it over the HTTP API; a job spread over both runs one instance on each,
// `alloc logs` through the server's address reaches the client that runs the
// task, and `job stop` through the server stops both.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

std::string spread_job() {
  return "job \"pair\" {\n"
         "  datacenters = [\"*\"]\n"
         "  constraint {\n"
         "    operator = \"distinct_hosts\"\n"
         "    value    = \"true\"\n"
         "  }\n"
         "  group \"g\" {\n"
         "    count = 2\n"
         "    task \"t\" {\n"
         "      driver = \"raw_exec\"\n"
         "      config {\n"
         "        command = \"/bin/sh\"\n"
         "        args    = [\"-c\", \"echo hello from ${node.unique.name}; exec sleep 600\"]\n"
         "      }\n"
         "      resources {\n"
         "        cpu    = 20\n"
         "        memory = 16\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

TEST(Cluster, TwoClientAgentsJoinAServerAgentAndShareTheWork) {
  TempDir dirs;
  AgentProcess server({"-server", "-data-dir", dirs.path() + "/server"});
  ASSERT_TRUE(server.ready()) << server.output();
  std::string join = "127.0.0.1:" + std::to_string(server.port());
  AgentProcess client1({"-client", "-node", "c1", "-servers", join, "-data-dir", dirs.path() + "/c1"});
  AgentProcess client2({"-client", "-node", "c2", "-servers", join, "-data-dir", dirs.path() + "/c2"});
  ASSERT_TRUE(client1.ready()) << client1.output();
  ASSERT_TRUE(client2.ready()) << client2.output();

  auto ready_names = [&] {
    std::set<std::string> names;
    for (const auto& node : server.get("/v1/nodes")) {
      if (node["Status"] == "ready") names.insert(node["Name"].get<std::string>());
    }
    return names;
  };
  ASSERT_TRUE(wait_until([&] { return ready_names() == std::set<std::string>{"c1", "c2"}; }))
      << server.get("/v1/nodes").dump(2) << client1.output();

  dirs.write("pair.nomad.hcl", spread_job());
  ProcessResult run = run_caravan({"job", "run", "-address", server.address(), dirs.file("pair.nomad.hcl")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json allocs;
  ASSERT_TRUE(wait_until([&] {
    allocs = server.get("/v1/job/pair/allocations");
    int running = 0;
    for (const auto& a : allocs) running += a["ClientStatus"] == "running" ? 1 : 0;
    return running == 2;
  })) << allocs.dump(2);
  std::set<std::string> nodes;
  for (const auto& a : allocs) nodes.insert(a["NodeID"].get<std::string>());
  EXPECT_EQ(nodes.size(), 2u) << "distinct_hosts: one instance per client";

  // Logs live on the client; the CLI pointed at the server finds them there.
  for (const auto& a : allocs) {
    std::string id = a["ID"];
    std::string expected = "hello from " + a["NodeName"].get<std::string>();
    ProcessResult logs;
    EXPECT_TRUE(wait_until([&] {
      logs = run_caravan({"alloc", "logs", "-address", server.address(), id});
      return logs.out.find(expected) != std::string::npos;
    })) << logs.out << logs.err;
  }

  ProcessResult stop = run_caravan({"job", "stop", "-address", server.address(), "pair"});
  EXPECT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  EXPECT_TRUE(wait_until([&] {
    for (const auto& a : server.get("/v1/job/pair/allocations")) {
      if (a["ClientStatus"] == "running") return false;
    }
    return true;
  }));
}

}  // namespace
}  // namespace caravan::testing
