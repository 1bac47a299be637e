#include "client/service_checks.h"

#include <gtest/gtest.h>

#include <chrono>

#include "unit/client/check_test_util.h"

namespace caravan::client {
namespace {

using namespace std::chrono_literals;

TaskEnv env_with(std::map<std::string, std::string> vars) {
  Result<AllocDir> dir = AllocDir::under("/tmp/caravan-none", "alloc-1");
  EXPECT_TRUE(dir.has_value());
  return TaskEnv(*dir, "server", std::move(vars), {});
}

TEST(InterpolateCheck, ResolvesTaskVariablesInTheCheckFields) {
  model::ServiceCheck check;
  check.name = "alive-${NOMAD_TASK_NAME}";
  check.type = "script";
  check.command = "${NOMAD_TASK_DIR}/probe";
  check.args = {"--port", "${NOMAD_PORT_http}", "${unknown.ref}"};
  check.path = "/health/${NOMAD_ALLOC_ID}";
  check.header = {{"X-Alloc", {"${NOMAD_ALLOC_ID}"}}};
  check.body = "{\"port\":${NOMAD_PORT_http}}";
  TaskEnv env = env_with({{"NOMAD_TASK_NAME", "server"},
                          {"NOMAD_TASK_DIR", "/local"},
                          {"NOMAD_PORT_http", "8080"},
                          {"NOMAD_ALLOC_ID", "a1"}});
  model::ServiceCheck out = interpolate_check(check, env);
  EXPECT_EQ(out.name, "alive-server");
  EXPECT_EQ(out.command, "/local/probe");
  EXPECT_EQ(out.args, (std::vector<std::string>{"--port", "8080", "${unknown.ref}"}));
  EXPECT_EQ(out.path, "/health/a1");
  EXPECT_EQ(out.header.at("X-Alloc"), std::vector<std::string>{"a1"});
  EXPECT_EQ(out.body, "{\"port\":8080}");
  EXPECT_EQ(out.type, "script");
}

TEST(PrepareCheck, BuildsARunnableHttpCheckForTheServicesPort) {
  testing::TestHttpServer server(testing::TestHttpServer::response(200, "OK", "ready"));
  model::AllocatedSharedResources shared;
  shared.ports = {{"http", server.port(), 0, "127.0.0.1"}};
  model::Service service;
  service.name = "web";
  service.port_label = "http";
  service.check_restart = model::CheckRestart{3, 5s, false};
  model::ServiceCheck check;
  check.name = "alive";
  check.type = "http";
  check.path = "/ready";
  check.interval = 2s;
  check.timeout = 1s;
  check.success_before_passing = 2;
  Result<PreparedCheck> prepared = prepare_check(service, check, shared, {}, {});
  ASSERT_TRUE(prepared.has_value()) << prepared.error().message();
  EXPECT_EQ(prepared->target, (CheckTarget{"127.0.0.1", server.port()}));
  EXPECT_EQ(prepared->options.interval, 2s);
  EXPECT_EQ(prepared->options.success_before_passing, 2);
  ASSERT_TRUE(prepared->restart.has_value());
  EXPECT_EQ(prepared->restart->limit, 3);
  CheckResult r = prepared->checker->probe({std::chrono::steady_clock::now() + 5s, -1});
  EXPECT_EQ(r.status, CheckStatus::kPassing);
  EXPECT_NE(r.output.find("/ready: 200 OK Output: ready"), std::string::npos) << r.output;
}

TEST(PrepareCheck, ReportsWhatIsWrongWithTheCheck) {
  model::Service service;
  service.name = "web";
  model::ServiceCheck check;
  check.name = "alive";
  check.type = "tcp";
  Result<PreparedCheck> no_port = prepare_check(service, check, {}, {}, {});
  ASSERT_FALSE(no_port.has_value());
  EXPECT_NE(no_port.error().message().find("no port to check"), std::string::npos);
  check.type = "script";
  check.command = "/bin/true";
  check.initial_status = "unknown";
  Result<PreparedCheck> bad_status = prepare_check(service, check, {}, {}, {});
  ASSERT_FALSE(bad_status.has_value());
  EXPECT_NE(bad_status.error().message().find("initial_status"), std::string::npos);
}

}  // namespace
}  // namespace caravan::client
