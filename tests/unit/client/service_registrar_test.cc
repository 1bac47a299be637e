// ServiceRegistrar without a server: a promoted canary's instances are
// replaced by the normal ones (tags, meta) keeping each check's last status and
// a drain in progress; drain() marks every instance draining once.
#include "client/service_registrar.h"

#include <gtest/gtest.h>

namespace caravan::client {
namespace {

// One instance of alloc a1 as plan_service_instances would give it.
PlannedInstance planned(bool canary) {
  PlannedInstance p;
  model::ServiceRegistration& r = p.registration;
  r.id = "_nomad-task-a1-group-web-web-http";
  r.service_name = "web";
  r.alloc_id = "a1";
  r.address = "127.0.0.1";
  r.port = 8000;
  r.canary = canary;
  r.tags = canary ? std::vector<std::string>{"canary"} : std::vector<std::string>{"urlprefix-/"};
  r.checks.push_back(model::ServiceCheckStatus{r.id + "-alive", "alive", "http", "critical", "", 0});
  return p;
}

ServiceRegistrarOptions offline() {
  ServiceRegistrarOptions options;
  options.servers = {"http://127.0.0.1:1"};  // nobody answers: nothing is confirmed
  options.node_id = "n1";
  options.retry_initial = std::chrono::seconds(30);
  return options;
}

TEST(ServiceRegistrar, PromotionRegistersTheNormalTagsAndKeepsCheckStatusAndDrain) {
  ServiceRegistrar registrar(offline());
  std::vector<PlannedInstance> canary;
  canary.push_back(planned(true));
  canary[0].registration.checks[0].status = "passing";  // as its check last said
  registrar.add("a1", std::move(canary));
  ASSERT_EQ(registrar.canary("a1"), std::optional<bool>(true));
  EXPECT_EQ(registrar.canary("other"), std::nullopt);

  std::vector<PlannedInstance> promoted;
  promoted.push_back(planned(false));
  registrar.replace("a1", std::move(promoted));
  std::vector<model::ServiceRegistration> now = registrar.instances("a1");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_FALSE(now[0].canary);
  EXPECT_EQ(now[0].tags, std::vector<std::string>{"urlprefix-/"});
  EXPECT_EQ(now[0].checks[0].status, "passing") << "the promoted instance stays routable";
  EXPECT_EQ(registrar.canary("a1"), std::optional<bool>(false));

  EXPECT_TRUE(registrar.drain("a1"));
  int64_t started = registrar.instances("a1")[0].drain_start_time;
  EXPECT_GT(started, 0);
  EXPECT_TRUE(registrar.drain("a1"));  // again: the start time stays
  EXPECT_EQ(registrar.instances("a1")[0].drain_start_time, started);
  std::vector<PlannedInstance> again;
  again.push_back(planned(false));
  registrar.replace("a1", std::move(again));
  EXPECT_TRUE(registrar.instances("a1")[0].draining) << "a re-plan keeps the drain";
  EXPECT_FALSE(registrar.drain("unknown"));
  registrar.replace("unknown", {});  // no-op
  EXPECT_FALSE(registrar.has("unknown"));
}

}  // namespace
}  // namespace caravan::client
