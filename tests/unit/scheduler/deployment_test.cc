// Rolling updates and canaries under a deployment, observed through the plans
// the scheduler submits: the deployment a new version starts, batches of
// max_parallel gated on health, canaries beside the old version until
// promotion, and what a failed or replaced deployment holds back.
#include <gtest/gtest.h>

#include <set>

#include "harness.h"
#include "scheduler/reconcile.h"

namespace caravan::scheduler {
namespace {

using testing::Harness;
namespace fx = testing::fixtures;

class DeploymentTest : public ::testing::Test {
 protected:
  DeploymentTest() {
    h.state().put_node(fx::node("n1"));
    h.state().put_node(fx::node("n2"));
  }

  // Version 0 of a 3-instance service with an update block, running on n1.
  model::Job base(int canary = 0) {
    model::Job job = fx::job("web", 3);
    job.task_groups[0].update = model::UpdateStrategy{};
    job.task_groups[0].update->max_parallel = 1;
    job.task_groups[0].update->canary = canary;
    job.task_groups[0].update->auto_revert = true;
    job.task_groups[0].update->progress_deadline = std::chrono::minutes(10);
    job.create_index = 5;
    job.job_modify_index = 10;
    state::JobPtr v0 = h.state().put_job(job);
    for (int i = 0; i < 3; ++i) h.state().put_alloc(fx::alloc(v0, "n1", i));
    return job;
  }
  state::JobPtr next_version(model::Job job, int64_t version = 1) {
    job.version = version;
    job.job_modify_index = 10 + version * 10;
    job.task_groups[0].tasks[0].env["VERSION"] = std::to_string(version);
    return h.state().put_job(std::move(job));
  }
  const model::Plan& plan() const { return h.plans.back(); }
  const model::DesiredUpdates& updates() const {
    return plan().annotations.desired_tg_updates.at("web");
  }
  // Marks an allocation healthy (or not), as the client reports it.
  void report_health(const std::string& id, bool healthy, bool keep_canary = true) {
    model::Allocation a = *h.state().alloc(id);
    model::AllocDeploymentStatus status = a.deployment_status.value_or(model::AllocDeploymentStatus{});
    status.healthy = healthy;
    if (!keep_canary) status.canary = false;
    a.deployment_status = status;
    a.client_status = model::kAllocClientRunning;
    h.state().put_alloc(a);
  }
  std::vector<model::Allocation> live_new(const state::JobPtr& v) {
    std::vector<model::Allocation> out;
    for (const auto& a : h.state().allocs_by_job("default", "web")) {
      if (!a->terminal() && a->job == v) out.push_back(*a);
    }
    return out;
  }
  Harness h;
};

TEST_F(DeploymentTest, NewVersionStartsADeploymentAndReplacesOneAtATime) {
  model::Job job = base();
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  ASSERT_TRUE(plan().deployment.has_value());
  const model::Deployment d = *plan().deployment;
  EXPECT_EQ(d.job_version, 1);
  EXPECT_EQ(d.status, model::kDeploymentRunning);
  const model::DeploymentGroupState& g = d.task_groups.at("web");
  EXPECT_EQ(g.desired_total, 3);
  EXPECT_EQ(g.desired_canaries, 0);
  EXPECT_TRUE(g.auto_revert);
  EXPECT_EQ(updates().destructive_update, 1);
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].deployment_id, d.id);
  EXPECT_EQ(h.last_eval().deployment_id, d.id) << "the evaluation names the deployment it started";
  EXPECT_TRUE(h.created_evals.empty()) << "the watcher, not a timer, starts the next batch";

  // While the replacement is not healthy, nothing else is replaced.
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  EXPECT_EQ(updates().destructive_update, 0);
  EXPECT_FALSE(plan().deployment.has_value()) << "one deployment per version";

  // Healthy: the next one goes.
  report_health(live_new(v1).at(0).id, true);
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  EXPECT_EQ(updates().destructive_update, 1);
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].deployment_id, d.id);
}

TEST_F(DeploymentTest, CanariesRunBesideTheOldVersionUntilPromoted) {
  model::Job job = base(/*canary=*/1);
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  ASSERT_TRUE(plan().deployment.has_value());
  std::string deployment_id = plan().deployment->id;
  EXPECT_EQ(plan().deployment->task_groups.at("web").desired_canaries, 1);
  EXPECT_EQ(plan().deployment->status_description, model::kDeploymentDescNeedsPromotion);
  EXPECT_TRUE(h.stopped().empty()) << "canaries replace nothing before promotion";
  ASSERT_EQ(h.placed().size(), 1u);
  model::Allocation canary = h.placed()[0];
  EXPECT_TRUE(canary.deployment_status && canary.deployment_status->canary);
  EXPECT_EQ(canary.name, "web.web[0]") << "named after the allocation it will replace";
  EXPECT_EQ(updates().canary, 1);

  // Healthy but not promoted: nothing more happens.
  report_health(canary.id, true);
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  EXPECT_TRUE(h.plans.size() == 1 || (h.placed().empty() && h.stopped().empty()));

  // Promotion (the FSM clears the canary flag and marks the group promoted).
  model::Deployment promoted = *h.state().deployment(deployment_id);
  promoted.task_groups["web"].promoted = true;
  promoted.task_groups["web"].placed_canaries = {canary.id};
  h.state().put_deployment(promoted);
  report_health(canary.id, true, /*keep_canary=*/false);
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  std::set<std::string> stopped_names;
  for (const auto& a : h.stopped()) stopped_names.insert(a.name);
  EXPECT_TRUE(stopped_names.count("web.web[0]")) << "the old holder of the canary's name stops";
  EXPECT_EQ(updates().destructive_update, 1) << "then the rolling update continues";
  for (const auto& a : h.placed()) EXPECT_FALSE(a.deployment_status && a.deployment_status->canary);
}

TEST_F(DeploymentTest, FailedDeploymentStopsCanariesAndHoldsTheUpdate) {
  model::Job job = base(/*canary=*/1);
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  std::string deployment_id = plan().deployment->id;
  std::string canary_id = h.placed().at(0).id;
  model::Deployment failed = *h.state().deployment(deployment_id);
  failed.status = model::kDeploymentFailed;
  h.state().put_deployment(failed);
  report_health(canary_id, false);
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  ASSERT_EQ(h.stopped().size(), 1u);
  EXPECT_EQ(h.stopped()[0].id, canary_id);
  EXPECT_TRUE(h.placed().empty()) << "no new version allocation after the deployment failed";
}

TEST_F(DeploymentTest, PausedDeploymentPlacesNothingNew) {
  model::Job job = base();
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  model::Deployment paused = *h.state().deployment(plan().deployment->id);
  paused.status = model::kDeploymentPaused;
  h.state().put_deployment(paused);
  report_health(live_new(v1).at(0).id, true);
  ASSERT_TRUE(h.process(*v1, "deployment-watcher", true).is_ok());
  EXPECT_EQ(updates().destructive_update, 0);
}

TEST_F(DeploymentTest, ANewerVersionCancelsTheRunningDeployment) {
  model::Job job = base();
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  std::string first = plan().deployment->id;
  state::JobPtr v2 = next_version(job, 2);
  ASSERT_TRUE(h.process(*v2, "job-register", true).is_ok());
  ASSERT_EQ(plan().deployment_updates.size(), 1u);
  EXPECT_EQ(plan().deployment_updates[0].deployment_id, first);
  EXPECT_EQ(plan().deployment_updates[0].status, model::kDeploymentCancelled);
  EXPECT_EQ(plan().deployment_updates[0].status_description, model::kDeploymentDescNewerJob);
  ASSERT_TRUE(plan().deployment.has_value());
  EXPECT_EQ(plan().deployment->job_version, 2);
}

TEST_F(DeploymentTest, StoppingTheJobCancelsItsDeployment) {
  model::Job job = base();
  state::JobPtr v1 = next_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  model::Job stopped = *v1;
  stopped.stop = true;
  stopped.version = 2;
  state::JobPtr v2 = h.state().put_job(stopped);
  ASSERT_TRUE(h.process(*v2, "job-deregister", true).is_ok());
  ASSERT_EQ(plan().deployment_updates.size(), 1u);
  EXPECT_EQ(plan().deployment_updates[0].status_description, model::kDeploymentDescStoppedJob);
  EXPECT_FALSE(plan().deployment.has_value());
}

TEST_F(DeploymentTest, BatchJobsHaveNoDeployment) {
  model::Job job = fx::job("web", 2);
  job.type = model::kJobTypeBatch;
  job.task_groups[0].update = model::UpdateStrategy{};
  job.task_groups[0].update->max_parallel = 1;
  state::JobPtr v0 = h.state().put_job(job);
  ASSERT_TRUE(h.process(*v0, "job-register", true).is_ok());
  EXPECT_FALSE(plan().deployment.has_value());
  for (const auto& a : h.placed()) EXPECT_TRUE(a.deployment_id.empty());
}

}  // namespace
}  // namespace caravan::scheduler
