// plan_service_instances: one instance per group- and task-level service with
// Nomad's registration id, the address and port of its port label, tags
// interpolated (canary_tags for a canary), and each check's id, name, task and
// initial status; a service naming a port the allocation lacks is an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/service_instances.h"

namespace caravan::client {
namespace {

using ::testing::HasSubstr;

model::Allocation make_alloc() {
  auto job = std::make_shared<model::Job>();
  job->id = "shop";
  model::TaskGroup group;
  group.name = "web";
  model::Service web;
  web.name = "web-${NOMAD_ALLOC_INDEX}";
  web.port_label = "http";
  web.tags = {"urlprefix-/shop", "v1"};
  web.canary_tags = {"canary"};
  model::ServiceCheck alive;
  alive.type = "http";
  alive.path = "/health";
  web.checks.push_back(alive);
  model::ServiceCheck named;
  named.name = "deep";
  named.type = "tcp";
  named.initial_status = "passing";
  web.checks.push_back(named);
  group.services.push_back(web);
  model::Task task;
  task.name = "server";
  model::Service admin;
  admin.name = "admin";
  admin.port_label = "admin";
  task.services.push_back(admin);
  group.tasks.push_back(task);
  job->task_groups.push_back(group);

  model::Allocation alloc;
  alloc.id = "a1";
  alloc.job_id = "shop";
  alloc.namespace_name = "default";
  alloc.task_group = "web";
  alloc.node_id = "n1";
  alloc.job = job;
  alloc.allocated_resources.shared.ports = {{"http", 23456, 0, "10.0.0.7"}, {"admin", 23457, 0, "10.0.0.7"}};
  return alloc;
}

model::Node make_node() {
  model::Node node;
  node.id = "n1";
  node.datacenter = "dc7";
  return node;
}

std::string fake_interpolate(std::string_view task, std::string_view text) {
  std::string out(text);
  const std::string ref = "${NOMAD_ALLOC_INDEX}";
  if (size_t at = out.find(ref); at != std::string::npos) out.replace(at, ref.size(), "0");
  return out + (task == "server" ? "" : "?");  // every text is interpolated for task "server"
}

TEST(ServiceInstances, GroupAndTaskServicesBecomeInstancesWithResolvedAddressesAndChecks) {
  Result<std::vector<PlannedInstance>> planned = plan_service_instances(make_alloc(), make_node(), fake_interpolate);
  ASSERT_TRUE(planned.has_value()) << planned.error().to_string();
  ASSERT_EQ(planned->size(), 2u);

  const PlannedInstance& web = (*planned)[0];
  EXPECT_EQ(web.task, "");
  EXPECT_EQ(web.registration.id, "_nomad-task-a1-group-web-web-0-http");
  EXPECT_EQ(web.registration.service_name, "web-0");
  EXPECT_EQ(web.registration.address, "10.0.0.7");
  EXPECT_EQ(web.registration.port, 23456);
  EXPECT_EQ(web.registration.datacenter, "dc7");
  EXPECT_EQ(web.registration.job_id, "shop");
  EXPECT_EQ(web.registration.tags, (std::vector<std::string>{"urlprefix-/shop", "v1"}));
  EXPECT_FALSE(web.registration.canary);
  ASSERT_EQ(web.checks.size(), 2u);
  EXPECT_EQ(web.checks[0].name, "service: \"web-0\" check 0");
  EXPECT_EQ(web.checks[0].id, web.registration.id + "-service: \"web-0\" check 0");
  EXPECT_EQ(web.checks[0].task, "server");
  EXPECT_EQ(web.checks[1].name, "deep");
  ASSERT_EQ(web.registration.checks.size(), 2u);
  EXPECT_EQ(web.registration.checks[0].status, "critical") << "Nomad's initial status";
  EXPECT_EQ(web.registration.checks[1].status, "passing") << "initial_status";
  EXPECT_EQ(web.registration.status(), "critical");

  const PlannedInstance& admin = (*planned)[1];
  EXPECT_EQ(admin.task, "server");
  EXPECT_EQ(admin.registration.id, "_nomad-task-a1-server-admin-admin");
  EXPECT_EQ(admin.registration.port, 23457);
  EXPECT_TRUE(admin.checks.empty());
  EXPECT_EQ(admin.registration.status(), "passing") << "no checks";
}

TEST(ServiceInstances, ACanaryRegistersItsCanaryTags) {
  model::Allocation alloc = make_alloc();
  alloc.deployment_status = model::AllocDeploymentStatus{};
  alloc.deployment_status->canary = true;
  Result<std::vector<PlannedInstance>> planned = plan_service_instances(alloc, make_node(), fake_interpolate);
  ASSERT_TRUE(planned.has_value());
  EXPECT_TRUE((*planned)[0].registration.canary);
  EXPECT_EQ((*planned)[0].registration.tags, (std::vector<std::string>{"canary"}));
}

TEST(ServiceInstances, AMissingPortLabelNamesTheServiceAndTheLabel) {
  model::Allocation alloc = make_alloc();
  alloc.allocated_resources.shared.ports.pop_back();  // no "admin"
  Result<std::vector<PlannedInstance>> planned = plan_service_instances(alloc, make_node(), fake_interpolate);
  ASSERT_FALSE(planned.has_value());
  EXPECT_THAT(planned.error().message(), HasSubstr("admin"));
}

}  // namespace
}  // namespace caravan::client
