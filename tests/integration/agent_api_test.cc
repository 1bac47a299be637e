// `caravan agent -dev` as users and tools reach it: Nomad's HTTP API on its
// port, jobs registered and read back, bad requests answered with a 400 that
// names the problem while nothing stored is lost, and state that survives
// kill -9 of an agent with a data dir.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

const std::string kExamples = std::string(CARAVAN_SOURCE_DIR) + "/examples";

// The register request of an example job, as `caravan job inspect` prints it.
nlohmann::json example_request(const std::string& name) {
  ProcessResult r = run_caravan({"job", "inspect", kExamples + "/" + name});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

TEST(AgentApi, DevAgentAnswersNomadsEndpoints) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  EXPECT_EQ(agent.get("/v1/jobs"), nlohmann::json::array());
  nlohmann::json self = agent.get("/v1/agent/self");
  EXPECT_EQ(self["config"]["Server"]["Enabled"], true);
  EXPECT_EQ(self["config"]["Datacenter"], "dc1");
  EXPECT_TRUE(agent.get("/v1/status/leader").is_string());
  http::Response jobs = agent.raw("GET", "/v1/jobs", "");
  EXPECT_TRUE(jobs.headers.get("X-Nomad-Index").has_value());
}

TEST(AgentApi, RegisteredJobIsStoredWithItsEvaluation) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  nlohmann::json registered = agent.post("/v1/jobs", example_request("batch.nomad.hcl"));
  ASSERT_TRUE(registered.is_object());
  std::string eval_id = registered["EvalID"];
  EXPECT_FALSE(eval_id.empty());
  EXPECT_GT(registered["JobModifyIndex"].get<int64_t>(), 0);

  nlohmann::json jobs = agent.get("/v1/jobs");
  ASSERT_EQ(jobs.size(), 1u);
  std::string id = jobs[0]["ID"];
  nlohmann::json job = agent.get("/v1/job/" + id);
  EXPECT_EQ(job["ID"], id);
  EXPECT_EQ(job["Version"], 0);
  nlohmann::json eval = agent.get("/v1/evaluation/" + eval_id);
  EXPECT_EQ(eval["JobID"], id);
  EXPECT_EQ(eval["TriggeredBy"], "job-register");

  // The same job again is the same version; a changed one is the next.
  agent.post("/v1/jobs", example_request("batch.nomad.hcl"));
  EXPECT_EQ(agent.get("/v1/job/" + id)["Version"], 0);
  nlohmann::json changed = example_request("batch.nomad.hcl");
  changed["Job"]["Meta"] = {{"release", "2"}};
  agent.post("/v1/jobs", changed);
  EXPECT_EQ(agent.get("/v1/job/" + id)["Version"], 1);
  EXPECT_EQ(agent.get("/v1/job/" + id + "/versions")["Versions"].size(), 2u);
}

TEST(AgentApi, BadRequestsAreClear400sAndLoseNothing) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  agent.post("/v1/jobs", example_request("batch.nomad.hcl"));

  http::Response garbage = agent.raw("POST", "/v1/jobs", "{not json");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_THAT(http::error_message(garbage), HasSubstr("not valid JSON"));

  nlohmann::json bad = example_request("web.nomad.hcl");
  bad["Job"]["TaskGroups"][0]["Count"] = -1;
  http::Response invalid = agent.raw("POST", "/v1/jobs", bad.dump());
  EXPECT_EQ(invalid.status, 400);
  EXPECT_THAT(http::error_message(invalid), HasSubstr("count"));
  EXPECT_EQ(invalid.headers.get("Content-Type").value_or(""), "application/json");

  EXPECT_EQ(agent.raw("GET", "/v1/job/nope", "").status, 404);
  EXPECT_EQ(agent.raw("GET", "/v1/jobs?index=abc", "").status, 400);
  EXPECT_EQ(agent.get("/v1/jobs").size(), 1u) << "the stored job must survive bad requests";
}

TEST(AgentApi, BlockingQueryReturnsWhenTheTableChanges) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  http::Response first = agent.raw("GET", "/v1/jobs", "");
  std::string index(first.headers.get("X-Nomad-Index").value_or("0"));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    agent.post("/v1/jobs", example_request("batch.nomad.hcl"));
  });
  auto start = std::chrono::steady_clock::now();
  nlohmann::json jobs = agent.get("/v1/jobs?index=" + index + "&wait=20s");
  auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  EXPECT_EQ(jobs.size(), 1u);
  EXPECT_LT(waited, std::chrono::seconds(10)) << "woken by the change, not the wait";
  EXPECT_GE(waited, std::chrono::milliseconds(200)) << "it must have blocked";
}

TEST(AgentApi, JobsSurviveKillMinusNine) {
  TempDir data;
  std::string id;
  {
    AgentProcess agent({"-server", "-data-dir", data.path()});
    ASSERT_TRUE(agent.ready());
    agent.post("/v1/jobs", example_request("batch.nomad.hcl"));
    id = agent.get("/v1/jobs")[0]["ID"];
    agent.kill9();
  }
  AgentProcess again({"-server", "-data-dir", data.path()});
  ASSERT_TRUE(again.ready());
  nlohmann::json job = again.get("/v1/job/" + id);
  EXPECT_EQ(job["ID"], id);
}

}  // namespace
}  // namespace caravan::testing
