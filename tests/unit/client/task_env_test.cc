#include "client/task_env.h"

#include <gtest/gtest.h>

#include "client_test_util.h"

namespace caravan::client {
namespace {

using testing::test_allocation;
using testing::test_node;

class TaskEnvTest : public ::testing::Test {
 protected:
  TaskEnv build(DirView view = DirView::kHost, std::string alloc_ip = "") {
    TaskEnvOptions options;
    options.dir_view = view;
    options.alloc_network_ip = std::move(alloc_ip);
    options.host_env = {{"PATH", "/usr/bin"}, {"NOMAD_TASK_NAME", "overridden"}};
    Result<TaskEnv> env = build_task_env(node_, alloc_, "server", dir_, options);
    EXPECT_TRUE(env.has_value()) << env.status().to_string();
    return std::move(env).value();
  }
  std::string var(const TaskEnv& env, const std::string& name) {
    auto it = env.vars().find(name);
    return it == env.vars().end() ? "<unset>" : it->second;
  }

  model::Node node_ = test_node();
  model::Allocation alloc_ = test_allocation();
  AllocDir dir_ = *AllocDir::under("/data", alloc_.id);
};

TEST_F(TaskEnvTest, SetsIdentityAndResourceVariables) {
  TaskEnv env = build();
  EXPECT_EQ(var(env, "NOMAD_ALLOC_ID"), alloc_.id);
  EXPECT_EQ(var(env, "NOMAD_SHORT_ALLOC_ID"), "8a9b7c6d");
  EXPECT_EQ(var(env, "NOMAD_ALLOC_NAME"), "web.frontend[2]");
  EXPECT_EQ(var(env, "NOMAD_ALLOC_INDEX"), "2");
  EXPECT_EQ(var(env, "NOMAD_TASK_NAME"), "server");  // beats the host env
  EXPECT_EQ(var(env, "NOMAD_GROUP_NAME"), "frontend");
  EXPECT_EQ(var(env, "NOMAD_JOB_ID"), "web");
  EXPECT_EQ(var(env, "NOMAD_JOB_NAME"), "web-name");
  EXPECT_EQ(var(env, "NOMAD_JOB_PARENT_ID"), "<unset>");
  EXPECT_EQ(var(env, "NOMAD_NAMESPACE"), "default");
  EXPECT_EQ(var(env, "NOMAD_REGION"), "eu");
  EXPECT_EQ(var(env, "NOMAD_DC"), "dc1");
  EXPECT_EQ(var(env, "NOMAD_CPU_LIMIT"), "500");
  EXPECT_EQ(var(env, "NOMAD_CPU_CORES"), "0-1,3");
  EXPECT_EQ(var(env, "NOMAD_MEMORY_LIMIT"), "256");
  EXPECT_EQ(var(env, "NOMAD_MEMORY_MAX_LIMIT"), "512");
  EXPECT_EQ(var(env, "PATH"), "/usr/bin");
}

TEST_F(TaskEnvTest, DirsAreHostPathsOrTheSandboxView) {
  TaskEnv host = build(DirView::kHost);
  EXPECT_EQ(var(host, "NOMAD_ALLOC_DIR"), dir_.shared_dir());
  EXPECT_EQ(var(host, "NOMAD_TASK_DIR"), dir_.task_local_dir("server"));
  EXPECT_EQ(var(host, "NOMAD_SECRETS_DIR"), dir_.task_secrets_dir("server"));
  TaskEnv task = build(DirView::kTask);
  EXPECT_EQ(var(task, "NOMAD_ALLOC_DIR"), "/alloc");
  EXPECT_EQ(var(task, "NOMAD_TASK_DIR"), "/local");
  EXPECT_EQ(var(task, "NOMAD_SECRETS_DIR"), "/secrets");
}

TEST_F(TaskEnvTest, PortVariablesFollowNomad) {
  TaskEnv env = build();
  EXPECT_EQ(var(env, "NOMAD_PORT_http"), "8080");  // the mapped port inside the task
  EXPECT_EQ(var(env, "NOMAD_HOST_PORT_http"), "23456");
  EXPECT_EQ(var(env, "NOMAD_IP_http"), "10.0.0.5");
  EXPECT_EQ(var(env, "NOMAD_ADDR_http"), "10.0.0.5:23456");
  EXPECT_EQ(var(env, "NOMAD_HOST_IP_http"), "10.0.0.5");
  EXPECT_EQ(var(env, "NOMAD_HOST_ADDR_http"), "10.0.0.5:23456");
  EXPECT_EQ(var(env, "NOMAD_PORT_admin"), "9000");
  EXPECT_EQ(var(env, "NOMAD_PORT_my_port"), "24000");  // label cleaned
  EXPECT_EQ(var(env, "NOMAD_PORT_my-port"), "<unset>");
  EXPECT_EQ(var(env, "NOMAD_ALLOC_PORT_http"), "<unset>");  // host networking
  TaskEnv bridged = build(DirView::kHost, "172.26.64.3");
  EXPECT_EQ(var(bridged, "NOMAD_ALLOC_IP_http"), "172.26.64.3");
  EXPECT_EQ(var(bridged, "NOMAD_ALLOC_PORT_http"), "8080");
  EXPECT_EQ(var(bridged, "NOMAD_ALLOC_ADDR_http"), "172.26.64.3:8080");
}

TEST_F(TaskEnvTest, GroupNetworkPortsAndIpv6Addresses) {
  model::NetworkResource net;
  net.dynamic_ports = {{"grpc", 25000, 50051, ""}};
  alloc_.allocated_resources.shared.networks = {net};
  alloc_.allocated_resources.shared.ports.push_back({"v6", 26000, 0, "::1"});
  TaskEnv env = build();
  EXPECT_EQ(var(env, "NOMAD_PORT_grpc"), "50051");
  EXPECT_EQ(var(env, "NOMAD_HOST_PORT_grpc"), "25000");
  EXPECT_EQ(var(env, "NOMAD_ADDR_v6"), "[::1]:26000");
}

TEST_F(TaskEnvTest, MetaIsMergedTaskWinsAndExposedInBothCases) {
  TaskEnv env = build();
  EXPECT_EQ(var(env, "NOMAD_META_tier"), "task");
  EXPECT_EQ(var(env, "NOMAD_META_TIER"), "task");
  EXPECT_EQ(var(env, "NOMAD_META_owner"), "ops");
  EXPECT_EQ(var(env, "NOMAD_META_OWNER"), "ops");
  EXPECT_EQ(var(env, "NOMAD_META_my_key"), "dash");
  EXPECT_EQ(var(env, "NOMAD_META_MY_KEY"), "dash");
}

TEST_F(TaskEnvTest, EnvBlockIsInterpolatedKeysAndValues) {
  TaskEnv env = build();
  EXPECT_EQ(var(env, "GREETING"), "hello server on linux");
  EXPECT_EQ(var(env, "PORT_8080"), "key-interpolated");
}

TEST_F(TaskEnvTest, InterpolatesEveryKindOfReference) {
  TaskEnv env = build();
  EXPECT_EQ(env.interpolate("${NOMAD_ADDR_http}/x"), "10.0.0.5:23456/x");
  EXPECT_EQ(env.interpolate("${env[\"NOMAD_PORT_http\"]} ${env['PATH']}"), "8080 /usr/bin");
  EXPECT_EQ(env.interpolate("${attr.cpu.arch}-${meta.rack}"), "amd64-r1");
  EXPECT_EQ(env.interpolate("${node.unique.id} ${node.unique.name} ${node.datacenter}"),
            "node-uuid node-1 dc1");
  EXPECT_EQ(env.interpolate("${node.class} ${node.region} ${node.pool}"), "compute eu default");
  EXPECT_EQ(env.interpolate("${NOMAD_PORT_my-port}"), "24000");
  EXPECT_EQ(env.interpolate("${GREETING}"), "hello server on linux");
}

TEST_F(TaskEnvTest, UnknownReferencesStayVerbatim) {
  TaskEnv env = build();
  EXPECT_EQ(env.interpolate("${NOPE} ${attr.nope} ${env[\"NOPE\"]} ${unclosed"),
            "${NOPE} ${attr.nope} ${env[\"NOPE\"]} ${unclosed");
  EXPECT_EQ(env.interpolate("no refs $ {x} $$"), "no refs $ {x} $$");
}

TEST_F(TaskEnvTest, InterpolatesStringsInsideDriverConfigJson) {
  TaskEnv env = build(DirView::kTask);
  model::RawJson config = *model::RawJson::parse(
      R"({"command":"${NOMAD_TASK_DIR}/run","args":["-port","${NOMAD_PORT_http}",3,true],)"
      R"("nested":{"x":["${attr.kernel.name}"]},"${NOMAD_JOB_ID}":null})");
  Result<model::RawJson> out = env.interpolate_json(config);
  ASSERT_TRUE(out.has_value()) << out.status().to_string();
  EXPECT_EQ(out->text(), R"({"${NOMAD_JOB_ID}":null,"args":["-port","8080",3,true],)"
                         R"("command":"/local/run","nested":{"x":["linux"]}})");
  EXPECT_FALSE(env.interpolate_json(model::RawJson()).value().has_value());
}

TEST_F(TaskEnvTest, ClientPathUsesHostDirsAndStaysInsideTheAllocation) {
  TaskEnv env = build(DirView::kTask);  // the task sees /local, the client writes the host path
  EXPECT_EQ(*env.client_path("${NOMAD_TASK_DIR}/app.conf"),
            dir_.task_local_dir("server") + "/app.conf");
  EXPECT_EQ(*env.client_path("local/app.conf"), dir_.task_local_dir("server") + "/app.conf");
  EXPECT_EQ(*env.client_path("${NOMAD_ALLOC_DIR}/data/x"), dir_.shared_data_dir() + "/x");
  EXPECT_FALSE(env.client_path("../../../etc/passwd").has_value());
  EXPECT_FALSE(env.client_path("/etc/passwd").has_value());
}

TEST_F(TaskEnvTest, TemplateEnvOverridesTheEnvBlock) {
  TaskEnv env = build();
  env.override_vars({{"GREETING", "from template"}, {"NEW", "1"}});
  EXPECT_EQ(var(env, "GREETING"), "from template");
  EXPECT_EQ(var(env, "NEW"), "1");
  std::vector<std::string> environ = env.to_environ();
  EXPECT_NE(std::find(environ.begin(), environ.end(), "NEW=1"), environ.end());
}

TEST_F(TaskEnvTest, ErrorsNameTheMissingPiece) {
  Result<TaskEnv> no_task = build_task_env(node_, alloc_, "nope", dir_, {});
  ASSERT_FALSE(no_task.has_value());
  EXPECT_NE(no_task.error().message().find("has no task \"nope\""), std::string::npos);
  alloc_.job.reset();
  EXPECT_EQ(build_task_env(node_, alloc_, "server", dir_, {}).error().code(),
            StatusCode::kFailedPrecondition);
}

TEST(FilterHostEnv, DropsDeniedNamesAndMalformedEntries) {
  auto env = filter_host_env({"PATH=/bin", "VAULT_TOKEN=s3cret", "EMPTY=", "junk", "=x", "A=b=c"},
                             default_env_denylist());
  EXPECT_EQ(env,
            (std::map<std::string, std::string>{{"A", "b=c"}, {"EMPTY", ""}, {"PATH", "/bin"}}));
}

TEST(CleanEnvVarName, ReplacesInvalidCharacters) {
  EXPECT_EQ(clean_env_var_name("NOMAD_PORT_my-port.x"), "NOMAD_PORT_my_port_x");
  EXPECT_EQ(clean_env_var_name("OK_123"), "OK_123");
}

}  // namespace
}  // namespace caravan::client
