// The deployment watcher's decisions on a real state store: success once every
// group is healthy (and promoted), failure on an unhealthy allocation or a
// missed progress deadline with the revert to the last stable version, and
// automatic promotion of healthy canaries.
#include "server/deployment_watcher.h"

#include <gtest/gtest.h>

#include "unit/state/state_test_util.h"

namespace caravan::server {
namespace {

using state::testing::make_alloc;
using state::testing::make_job;
using state::testing::make_node;
using state::testing::must_apply;
using state::testing::open_memory_store;

constexpr int64_t kNow = 1'700'000'000'000'000'000;
constexpr int64_t kMinute = 60'000'000'000;

class DeploymentWatcherTest : public ::testing::Test {
 protected:
  DeploymentWatcherTest() { must_apply(*store_, state::NodeRegister{make_node("n1")}); }

  // Registers version `version` of the job (stable when asked) and starts its
  // deployment with `allocs` new allocations (`canaries` of them canaries).
  void start(int allocs, int canaries, bool auto_promote = false, bool auto_revert = false) {
    model::Job job = make_job("web");
    job.task_groups[0].count = allocs - canaries;
    job.meta["v"] = std::to_string(++versions_);
    must_apply(*store_, state::JobRegister{job, std::nullopt});
    state::JobPtr stored = store_->snapshot()->job("default", "web");
    model::Deployment d;
    d.id = "d" + std::to_string(versions_);
    d.job_id = "web";
    d.job_version = stored->version;
    model::DeploymentGroupState group;
    group.desired_total = allocs - canaries;
    group.desired_canaries = canaries;
    group.auto_promote = auto_promote;
    group.auto_revert = auto_revert;
    group.progress_deadline = std::chrono::minutes(10);
    d.task_groups["web"] = group;
    state::ApplyPlanResults plan;
    plan.eval_id = "e";
    plan.deployment = d;
    for (int i = 0; i < allocs; ++i) {
      model::Allocation a = make_alloc(d.id + "-a" + std::to_string(i), stored, "n1", i);
      a.deployment_id = d.id;
      if (i < canaries) a.deployment_status = model::AllocDeploymentStatus{.canary = true};
      plan.allocs_placed.push_back(a);
    }
    must_apply(*store_, plan);
    id_ = d.id;
  }
  void report(int i, bool healthy) {
    model::Allocation a = *store_->snapshot()->alloc(id_ + "-a" + std::to_string(i));
    model::AllocDeploymentStatus s = a.deployment_status.value_or(model::AllocDeploymentStatus{});
    s.healthy = healthy;
    a.deployment_status = s;
    must_apply(*store_, state::AllocClientUpdate{{a}, {}});
  }
  DeploymentDecision decide(int64_t now = kNow) {
    state::StateViewPtr view = store_->snapshot();
    return decide_deployment(*view, *view->deployment(id_), now, [](const model::Job& job) {
      model::Evaluation eval;
      eval.id = "eval-for-" + job.id;
      eval.job_id = job.id;
      return eval;
    });
  }
  void apply(DeploymentDecision decision) {
    if (decision.status) must_apply(*store_, *decision.status);
  }

  std::unique_ptr<state::StateStore> store_ = open_memory_store();
  int versions_ = 0;
  std::string id_;
};

TEST_F(DeploymentWatcherTest, SucceedsWhenEveryAllocationIsHealthy) {
  start(2, 0);
  DeploymentDecision waiting = decide();
  EXPECT_FALSE(waiting.status.has_value());
  EXPECT_EQ(waiting.next_deadline, kNow + 10 * kMinute) << "it looks again at the deadline";
  report(0, true);
  EXPECT_FALSE(decide().status.has_value());
  report(1, true);
  DeploymentDecision done = decide();
  ASSERT_TRUE(done.status.has_value());
  EXPECT_EQ(done.status->update.status, model::kDeploymentSuccessful);
}

TEST_F(DeploymentWatcherTest, AnUnhealthyAllocationFailsAndRevertsToTheLastStableVersion) {
  start(1, 0);
  report(0, true);
  apply(decide());  // version 0 succeeds: stable
  ASSERT_TRUE(store_->snapshot()->job("default", "web")->stable);
  start(1, 0, false, /*auto_revert=*/true);
  report(0, false);
  DeploymentDecision failed = decide();
  ASSERT_TRUE(failed.status.has_value());
  EXPECT_EQ(failed.status->update.status, model::kDeploymentFailed);
  EXPECT_EQ(failed.status->update.status_description,
            "Failed due to unhealthy allocations - rolling back to job version 0");
  ASSERT_TRUE(failed.status->job.has_value());
  EXPECT_EQ(failed.status->job->version, 0);
  ASSERT_TRUE(failed.status->eval.has_value());
  apply(std::move(failed));
  EXPECT_EQ(store_->snapshot()->job("default", "web")->meta.at("v"), "1");
}

TEST_F(DeploymentWatcherTest, AMissedProgressDeadlineFails) {
  start(2, 0);
  report(0, true);
  state::StateViewPtr view = store_->snapshot();
  int64_t by = view->deployment(id_)->task_groups.at("web").require_progress_by;
  EXPECT_FALSE(decide(by - 1).status.has_value());
  DeploymentDecision late = decide(by);
  ASSERT_TRUE(late.status.has_value());
  EXPECT_EQ(late.status->update.status_description, model::kDeploymentDescProgressDeadline);
  EXPECT_FALSE(late.status->job.has_value()) << "no auto_revert";
}

TEST_F(DeploymentWatcherTest, HealthyCanariesWaitForAPersonUnlessAutoPromote) {
  start(3, 1);
  report(0, true);
  DeploymentDecision manual = decide(kNow + 60 * kMinute);
  EXPECT_FALSE(manual.status.has_value()) << "no deadline while healthy canaries wait";
  EXPECT_FALSE(manual.promote.has_value());

  start(3, 1, /*auto_promote=*/true);
  EXPECT_FALSE(decide().promote.has_value()) << "not before the canary is healthy";
  report(0, true);
  DeploymentDecision automatic = decide();
  ASSERT_TRUE(automatic.promote.has_value());
  EXPECT_TRUE(automatic.promote->all);
  EXPECT_EQ(automatic.promote->deployment_id, id_);
}

}  // namespace
}  // namespace caravan::server
