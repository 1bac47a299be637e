// Node drain end to end, with a server and two client agents as processes: a
// service job whose three allocations all run on the first client moves to the
// second one allocation at a time (migrate max_parallel = 1), each move waiting
// for the previous replacement to be healthy; the drain completes and leaves
// the node ineligible; `node drain -disable` makes it eligible again and new
// work lands on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

std::string task_block() {
  return "    task \"t\" {\n"
         "      driver = \"raw_exec\"\n"
         "      config {\n"
         "        command = \"/bin/sh\"\n"
         "        args    = [\"-c\", \"exec sleep 600\"]\n"
         "      }\n"
         "      resources {\n"
         "        cpu    = 20\n"
         "        memory = 16\n"
         "      }\n"
         "    }\n";
}

std::string web_job() {
  return "job \"web\" {\n"
         "  datacenters = [\"*\"]\n"
         "  group \"g\" {\n"
         "    count = 3\n"
         "    migrate {\n"
         "      max_parallel     = 1\n"
         "      min_healthy_time = \"1s\"\n"
         "    }\n" +
         task_block() +
         "  }\n"
         "}\n";
}

std::string pinned_job(const std::string& node_name) {
  return "job \"pinned\" {\n"
         "  datacenters = [\"*\"]\n"
         "  constraint {\n"
         "    attribute = \"${node.unique.name}\"\n"
         "    value     = \"" +
         node_name +
         "\"\n"
         "  }\n"
         "  group \"g\" {\n" +
         task_block() +
         "  }\n"
         "}\n";
}

// "2026-12-07T20:53:34.123456789Z" → ns since the epoch.
std::optional<int64_t> parse_utc(const std::string& text) {
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return std::nullopt;
  int64_t ns = int64_t{timegm(&tm)} * 1'000'000'000;
  if (*rest == '.') {
    std::string frac;
    for (++rest; *rest >= '0' && *rest <= '9'; ++rest) frac += *rest;
    frac.resize(9, '0');
    ns += std::stoll(frac);
  }
  return ns;
}

std::string node_id_named(AgentProcess& server, const std::string& name) {
  for (const auto& node : server.get("/v1/nodes")) {
    if (node["Name"] == name && node["Status"] == "ready") return node["ID"];
  }
  return "";
}

TEST(Drain, ServiceAllocsMoveOneAtATimeAndTheNodeStaysIneligible) {
  TempDir dirs;
  AgentProcess server({"-server", "-data-dir", dirs.path() + "/server"});
  ASSERT_TRUE(server.ready()) << server.output();
  std::string join = "127.0.0.1:" + std::to_string(server.port());
  AgentProcess client1(
      {"-client", "-node", "c1", "-servers", join, "-data-dir", dirs.path() + "/c1"});
  ASSERT_TRUE(client1.ready()) << client1.output();
  std::string c1;
  ASSERT_TRUE(wait_until([&] { return !(c1 = node_id_named(server, "c1")).empty(); }));

  // All three instances on c1 (the only node yet).
  dirs.write("web.nomad.hcl", web_job());
  ProcessResult run =
      run_caravan({"job", "run", "-address", server.address(), dirs.file("web.nomad.hcl")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  auto running_on = [&](const std::string& node) {
    int n = 0;
    for (const auto& a : server.get("/v1/job/web/allocations")) {
      n += a["ClientStatus"] == "running" && a["DesiredStatus"] == "run" && a["NodeID"] == node;
    }
    return n;
  };
  ASSERT_TRUE(wait_until([&] { return running_on(c1) == 3; }, std::chrono::seconds(60)))
      << server.get("/v1/job/web/allocations").dump(2);

  AgentProcess client2(
      {"-client", "-node", "c2", "-servers", join, "-data-dir", dirs.path() + "/c2"});
  ASSERT_TRUE(client2.ready()) << client2.output();
  std::string c2;
  ASSERT_TRUE(wait_until([&] { return !(c2 = node_id_named(server, "c2")).empty(); }));

  // Drain c1 (named by an ID prefix); -detach, so a stuck drain fails the
  // wait below instead of hanging the test.
  ProcessResult drain =
      run_caravan({"node", "drain", "-address", server.address(), "-enable", "-deadline", "10m",
                   "-m", "kernel upgrade", "-yes", "-detach", c1.substr(0, 8)});
  ASSERT_EQ(drain.exit_code, 0) << drain.out << drain.err;
  EXPECT_THAT(drain.out, HasSubstr("drain strategy set"));
  EXPECT_EQ(server.get("/v1/node/" + c1)["SchedulingEligibility"], "ineligible");
  ASSERT_TRUE(
      wait_until([&] { return server.get("/v1/node/" + c1)["LastDrain"]["Status"] == "complete"; },
                 std::chrono::seconds(120)))
      << server.get("/v1/job/web/allocations").dump(2) << server.output();
  ASSERT_TRUE(wait_until([&] { return running_on(c2) == 3; }, std::chrono::seconds(60)));
  // The drain completes once c1 is empty; the last replacement may still be
  // on its way to healthy.
  auto healthy_on = [&](const std::string& node) {
    int n = 0;
    for (const auto& a : server.get("/v1/job/web/allocations")) {
      n += a["NodeID"] == node && a["DeploymentStatus"].is_object() &&
           a["DeploymentStatus"]["Healthy"] == true;
    }
    return n;
  };
  ASSERT_TRUE(wait_until([&] { return healthy_on(c2) == 3; }, std::chrono::seconds(60)))
      << server.get("/v1/job/web/allocations").dump(2);
  nlohmann::json allocs = server.get("/v1/job/web/allocations");
  std::vector<nlohmann::json> replacements;
  for (const auto& a : allocs) {
    if (a["NodeID"] == c1) {
      EXPECT_EQ(a["DesiredStatus"], "stop") << a.dump(2);
      EXPECT_EQ(a["DesiredTransition"]["Migrate"], true);
    } else {
      replacements.push_back(server.get("/v1/allocation/" + a["ID"].get<std::string>()));
    }
  }
  ASSERT_EQ(replacements.size(), 3u) << allocs.dump(2);
  // One at a time: each replacement was placed only after the previous one
  // reported healthy.
  std::sort(replacements.begin(), replacements.end(), [](const auto& a, const auto& b) {
    return a["CreateIndex"].template get<int64_t>() < b["CreateIndex"].template get<int64_t>();
  });
  for (size_t i = 0; i < replacements.size(); ++i) {
    const nlohmann::json& r = replacements[i];
    ASSERT_EQ(r["DeploymentStatus"]["Healthy"], true) << r.dump(2);
    EXPECT_FALSE(r["PreviousAllocation"].get<std::string>().empty());
    if (i == 0) continue;
    std::optional<int64_t> previous_healthy =
        parse_utc(replacements[i - 1]["DeploymentStatus"]["Timestamp"].get<std::string>());
    ASSERT_TRUE(previous_healthy.has_value());
    EXPECT_GE(r["CreateTime"].get<int64_t>(), *previous_healthy)
        << "replacement " << i << " was placed before replacement " << i - 1 << " was healthy";
  }

  nlohmann::json node = server.get("/v1/node/" + c1);
  EXPECT_EQ(node["Drain"], false);
  EXPECT_TRUE(node["DrainStrategy"].is_null());
  EXPECT_EQ(node["SchedulingEligibility"], "ineligible");
  EXPECT_EQ(node["LastDrain"]["Status"], "complete");
  EXPECT_EQ(node["LastDrain"]["Meta"]["message"], "kernel upgrade");
  ProcessResult status = run_caravan({"node", "status", "-address", server.address(), c1});
  EXPECT_THAT(status.out, HasSubstr("Last Drain"));

  // Bad bodies change nothing.
  http::Response bad = server.raw("PUT", "/v1/node/" + c1 + "/drain", R"({"DrainSpec": 5})");
  EXPECT_EQ(bad.status, 400);
  http::Response refused =
      server.raw("PUT", "/v1/node/" + c1 + "/eligibility", R"({"Eligibility": "maybe"})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(server.get("/v1/node/" + c1)["SchedulingEligibility"], "ineligible");

  // -disable: eligible again; new work lands on c1.
  ProcessResult undrain =
      run_caravan({"node", "drain", "-address", server.address(), "-disable", c1});
  ASSERT_EQ(undrain.exit_code, 0) << undrain.out << undrain.err;
  EXPECT_EQ(server.get("/v1/node/" + c1)["SchedulingEligibility"], "eligible");
  dirs.write("pinned.nomad.hcl", pinned_job("c1"));
  ProcessResult pinned =
      run_caravan({"job", "run", "-address", server.address(), dirs.file("pinned.nomad.hcl")});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.out << pinned.err;
  EXPECT_TRUE(wait_until(
      [&] {
        for (const auto& a : server.get("/v1/job/pinned/allocations")) {
          if (a["ClientStatus"] == "running" && a["NodeID"] == c1) return true;
        }
        return false;
      },
      std::chrono::seconds(60)))
      << server.get("/v1/job/pinned/allocations").dump(2);

  // node eligibility toggles it on its own.
  ProcessResult off =
      run_caravan({"node", "eligibility", "-address", server.address(), "-disable", c1});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(server.get("/v1/node/" + c1)["SchedulingEligibility"], "ineligible");

  // Tasks outlive their agents (a restarted agent picks them up): stop them.
  for (const char* job : {"web", "pinned"}) {
    ProcessResult stop = run_caravan({"job", "stop", "-address", server.address(), "-detach", job});
    EXPECT_EQ(stop.exit_code, 0) << stop.err;
  }
  EXPECT_TRUE(wait_until(
      [&] {
        for (const char* job : {"web", "pinned"}) {
          for (const auto& a : server.get(std::string("/v1/job/") + job + "/allocations")) {
            if (a["ClientStatus"] == "running") return false;
          }
        }
        return true;
      },
      std::chrono::seconds(60)));
}

}  // namespace
}  // namespace caravan::testing
