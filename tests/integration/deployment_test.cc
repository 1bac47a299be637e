// Deployments end to end against a real `caravan agent -dev` and real
// processes: a canary runs beside the old version until `job promote`, then
// the rolling update finishes and the version turns stable; a version whose
// task fails is never promoted, its deployment fails and the job rolls back to
// the last stable version; `job revert` registers an old version again;
// `job run` without -detach follows the deployment to its end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A web service of `version` (three instances, one canary unless told);
// `broken` versions exit at once.
std::string web_job(int version, bool broken = false, int canary = 1, int count = 3) {
  std::string args = broken ? R"A(["-c", "import sys; sys.exit(3)"])A"
                            : R"A(["-m", "http.server", "${NOMAD_PORT_http}", "--bind", "127.0.0.1"])A";
  return R"(job "web" {
  datacenters = ["dc1"]
  update {
    max_parallel     = 1
    canary           = )" + std::to_string(canary) + R"(
    min_healthy_time = "1s"
    healthy_deadline = "20s"
    health_check     = "task_states"
    auto_revert      = true
  }
  group "web" {
    count = )" + std::to_string(count) + R"(
    restart {
      attempts = 0
      mode     = "fail"
    }
    network {
      port "http" {}
    }
    service {
      name        = "web"
      port        = "http"
      tags        = ["urlprefix-/web"]
      canary_tags = ["canary"]
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = )" + args + R"(
      }
      env {
        VERSION = ")" + std::to_string(version) + R"("
      }
      resources {
        cpu    = 50
        memory = 64
      }
    }
  }
}
)";
}

class DeploymentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(agent_.ready());
    ASSERT_TRUE(wait_until([&] { return agent_.get("/v1/nodes").size() == 1; }));
  }
  ProcessResult caravan(std::vector<std::string> args) {
    args.insert(args.begin() + 2, {"-address", agent_.address()});
    return run_caravan(args);
  }
  void run_version(int version, bool broken = false) {
    std::string file = "web" + std::to_string(version) + ".nomad.hcl";
    dir_.write(file, web_job(version, broken));
    ProcessResult run = caravan({"job", "run", "-detach", dir_.file(file)});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  }
  nlohmann::json latest_deployment() { return agent_.get("/v1/job/web/deployment"); }
  // The deployment of one job version (null when none yet).
  nlohmann::json deployment_of(int64_t version) {
    for (const auto& d : agent_.get("/v1/job/web/deployments")) {
      if (d["JobVersion"] == version) return d;
    }
    return nullptr;
  }
  bool latest_is(const std::string& status) {
    nlohmann::json d = latest_deployment();
    return d.is_object() && d["Status"] == status;
  }
  // Running allocations of the job by the job version they run.
  std::map<int64_t, int> running_by_version() {
    std::map<int64_t, int> out;
    for (const auto& a : agent_.get("/v1/job/web/allocations")) {
      if (a["ClientStatus"] == "running" && a["DesiredStatus"] == "run") {
        ++out[a["JobVersion"].get<int64_t>()];
      }
    }
    return out;
  }

  AgentProcess agent_{{"-dev"}};
  TempDir dir_;
};

TEST_F(DeploymentTest, CanaryWaitsForPromotionThenTheRollingUpdateCompletes) {
  run_version(1);
  ASSERT_TRUE(wait_until([&] { return latest_is("successful"); }, std::chrono::seconds(60)))
      << latest_deployment().dump() << agent_.output();
  EXPECT_TRUE(agent_.get("/v1/job/web")["Stable"].get<bool>());

  run_version(2);
  // One healthy canary beside the three old instances, waiting for a person.
  ASSERT_TRUE(wait_until([&] {
    nlohmann::json d = latest_deployment();
    return d["JobVersion"] == 1 && d["TaskGroups"]["web"]["HealthyAllocs"] == 1;
  }, std::chrono::seconds(60))) << latest_deployment().dump();
  nlohmann::json d = latest_deployment();
  EXPECT_EQ(d["Status"], "running");
  EXPECT_EQ(d["StatusDescription"], "Deployment is running but requires manual promotion");
  EXPECT_EQ(running_by_version(), (std::map<int64_t, int>{{0, 3}, {1, 1}}));
  ProcessResult status =
      caravan({"deployment", "status", d["ID"].get<std::string>().substr(0, 8)});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("requires manual promotion"));
  EXPECT_THAT(status.out, HasSubstr("Canaries"));

  ProcessResult promote = caravan({"job", "promote", "web"});
  EXPECT_EQ(promote.exit_code, 0) << promote.out << promote.err;
  EXPECT_THAT(promote.out, HasSubstr("promoted"));
  ASSERT_TRUE(wait_until([&] { return latest_is("successful"); }, std::chrono::seconds(90)))
      << latest_deployment().dump();
  EXPECT_TRUE(wait_until([&] { return running_by_version() == std::map<int64_t, int>{{1, 3}}; }))
      << agent_.get("/v1/job/web/allocations").dump();
  nlohmann::json job = agent_.get("/v1/job/web");
  EXPECT_EQ(job["Version"], 1);
  EXPECT_TRUE(job["Stable"].get<bool>());
  ProcessResult list = caravan({"deployment", "list"});
  EXPECT_THAT(list.out, HasSubstr("Deployment completed successfully"));

  // The stable mark by hand (PUT /v1/job/:id/stable): off, then on again;
  // bad requests change nothing.
  auto stable_of = [&](int64_t version) {
    const nlohmann::json versions = agent_.get("/v1/job/web/versions");
    for (const auto& v : versions["Versions"]) {
      if (v["Version"] == version) return v["Stable"].get<bool>();
    }
    return false;
  };
  http::Response off = agent_.raw("PUT", "/v1/job/web/stable", R"({"JobVersion": 1, "Stable": false})");
  EXPECT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(stable_of(1));
  EXPECT_FALSE(agent_.get("/v1/job/web")["Stable"].get<bool>());
  EXPECT_TRUE(stable_of(0));
  EXPECT_EQ(agent_.raw("PUT", "/v1/job/web/stable", R"({"Stable": true})").status, 400);
  EXPECT_EQ(agent_.raw("PUT", "/v1/job/web/stable", R"({"JobVersion": 1, "Stable": "yes"})").status, 400);
  EXPECT_EQ(agent_.raw("PUT", "/v1/job/web/stable", R"({"JobVersion": 9, "Stable": true})").status, 404);
  EXPECT_EQ(agent_.raw("PUT", "/v1/job/nope/stable", R"({"JobVersion": 0, "Stable": true})").status, 404);
  EXPECT_FALSE(stable_of(1));
  http::Response on = agent_.raw("POST", "/v1/job/web/stable", R"({"JobVersion": 1, "Stable": true})");
  EXPECT_EQ(on.status, 200) << on.body;
  EXPECT_TRUE(stable_of(1));
  EXPECT_TRUE(agent_.get("/v1/job/web")["Stable"].get<bool>());
}

TEST_F(DeploymentTest, AFailingVersionIsRolledBackAndNeverReplacesTheOldOne) {
  run_version(1);
  ASSERT_TRUE(wait_until([&] { return latest_is("successful"); }, std::chrono::seconds(60)))
      << latest_deployment().dump();

  // Without -detach, `job run` follows the failing deployment, then the
  // rollback's, and exits 1 for the failure.
  dir_.write("broken.nomad.hcl", web_job(2, /*broken=*/true));
  ProcessResult run = caravan({"job", "run", dir_.file("broken.nomad.hcl")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("failed: Failed due to unhealthy allocations - rolling back to "
                                 "job version 0"));
  EXPECT_THAT(run.out, HasSubstr("(the rollback, job version 2)"));
  ASSERT_TRUE(wait_until([&] {
    nlohmann::json d = deployment_of(1);
    return d.is_object() && d["Status"] == "failed";
  }, std::chrono::seconds(60))) << agent_.get("/v1/job/web/deployments").dump();
  EXPECT_EQ(deployment_of(1)["StatusDescription"],
            "Failed due to unhealthy allocations - rolling back to job version 0");
  // The revert is version 2 with version 0's specification; the old instances
  // kept running throughout.
  ASSERT_TRUE(wait_until([&] { return agent_.get("/v1/job/web")["Version"] == 2; }));
  nlohmann::json job = agent_.get("/v1/job/web");
  EXPECT_EQ(job["TaskGroups"][0]["Tasks"][0]["Env"]["VERSION"], "1");
  EXPECT_TRUE(wait_until([&] {
    std::map<int64_t, int> running = running_by_version();
    return running.size() == 1 && running.begin()->second == 3 && running.count(1) == 0;
  })) << agent_.get("/v1/job/web/allocations").dump();

  // Reverting to the current version is refused; `job revert` to version 1
  // (the broken one) registers it again as version 3 (which then fails and
  // is rolled back in turn).
  ProcessResult same = caravan({"job", "revert", "-detach", "web", "2"});
  EXPECT_EQ(same.exit_code, 1);
  EXPECT_THAT(same.err, HasSubstr("it is the current version"));
  ProcessResult revert = caravan({"job", "revert", "-detach", "web", "1"});
  EXPECT_EQ(revert.exit_code, 0) << revert.out << revert.err;
  EXPECT_TRUE(wait_until([&] { return agent_.get("/v1/job/web")["Version"] >= 3; }));
  std::string reverted;
  nlohmann::json versions = agent_.get("/v1/job/web/versions");
  for (const auto& v : versions["Versions"]) {
    if (v["Version"] == 3) reverted = v["TaskGroups"][0]["Tasks"][0]["Env"]["VERSION"];
  }
  EXPECT_EQ(reverted, "2") << "version 3 carries version 1's specification";
}

TEST_F(DeploymentTest, JobRunMonitorsTheRollingUpdateUntilItSucceeds) {
  // Two instances without canaries: the update replaces one at a time.
  dir_.write("v1.nomad.hcl", web_job(1, false, /*canary=*/0, /*count=*/2));
  ProcessResult first = caravan({"job", "run", dir_.file("v1.nomad.hcl")});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("Monitoring deployment"));

  dir_.write("v2.nomad.hcl", web_job(2, false, /*canary=*/0, /*count=*/2));
  ProcessResult run = caravan({"job", "run", dir_.file("v2.nomad.hcl")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("finished with status \"complete\""));
  EXPECT_THAT(run.out, HasSubstr("Monitoring deployment"));
  // Not a terminal: plain lines, one per change, and no redraw sequences.
  EXPECT_THAT(run.out, HasSubstr("group \"web\": desired 2, placed 2, healthy 2, unhealthy 0"));
  EXPECT_THAT(run.out, HasSubstr("status \"successful\": Deployment completed successfully"));
  EXPECT_THAT(run.out, HasSubstr("\" successful\n"));
  EXPECT_THAT(run.out, HasSubstr("Job Version = 1"));
  EXPECT_THAT(run.out, Not(HasSubstr("\x1b[")));
  EXPECT_TRUE(latest_is("successful"));
}

}  // namespace
}  // namespace caravan::testing
