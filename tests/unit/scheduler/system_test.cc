// System and sysbatch jobs: one allocation per feasible node.
#include <gtest/gtest.h>

#include <set>

#include "harness.h"
#include "scheduler/reconcile.h"

namespace caravan::scheduler {
namespace {

using testing::Harness;
namespace fx = testing::fixtures;

model::Job system_job(const char* type = model::kJobTypeSystem) {
  model::Job job = fx::job("agent", 1);
  job.type = type;
  return job;
}

std::set<std::string> nodes_of(const std::vector<model::Allocation>& allocs) {
  std::set<std::string> out;
  for (const auto& a : allocs) out.insert(a.node_id);
  return out;
}

class SystemTest : public ::testing::Test {
 protected:
  SystemTest() {
    h.state().put_node(fx::node("ready1"));
    h.state().put_node(fx::node("ready2"));
    model::Node ineligible = fx::node("ineligible");
    ineligible.scheduling_eligibility = model::kNodeIneligible;
    h.state().put_node(ineligible);
    model::Node draining = fx::node("draining");
    draining.drain_strategy = model::DrainStrategy{};
    h.state().put_node(draining);
    model::Node down = fx::node("down");
    down.status = model::kNodeStatusDown;
    h.state().put_node(down);
    model::Node windows = fx::node("windows");
    windows.attributes["kernel.name"] = "windows";
    h.state().put_node(windows);
  }
  Harness h;
};

TEST_F(SystemTest, PlacesOnEveryEligibleFeasibleNodeOnly) {
  model::Job job = system_job();
  job.constraints.push_back({"${attr.kernel.name}", "linux", "="});
  auto ptr = h.state().put_job(job);
  ASSERT_TRUE(h.process(*ptr, "job-register", true).is_ok());
  EXPECT_EQ(nodes_of(h.placed()), (std::set<std::string>{"ready1", "ready2"}));
  for (const auto& a : h.placed()) EXPECT_EQ(a.name, "agent.web[0]");
  EXPECT_EQ(h.plans[0].annotations.desired_tg_updates.at("web").place, 2);
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusComplete);
  EXPECT_TRUE(h.last_eval().failed_tg_allocs.empty());

  // Running again changes nothing.
  ASSERT_TRUE(h.process(*ptr).is_ok());
  EXPECT_EQ(h.plans.size(), 1u);
}

TEST_F(SystemTest, NewNodeGetsAnAllocation) {
  auto job = h.state().put_job(system_job());
  ASSERT_TRUE(h.process(*job).is_ok());
  EXPECT_EQ(h.placed().size(), 3u);  // ready1, ready2, windows
  h.state().put_node(fx::node("ready3"));
  ASSERT_TRUE(h.process(*job, "node-update").is_ok());
  EXPECT_EQ(nodes_of(h.placed()), (std::set<std::string>{"ready3"}));
}

TEST_F(SystemTest, StopsWhereNoLongerFeasibleAndMarksLostOnDownNodes) {
  auto job = h.state().put_job(system_job());
  ASSERT_TRUE(h.process(*job).is_ok());
  model::Node changed = *h.state().node("windows");
  changed.drivers.erase("raw_exec");
  h.state().put_node(changed);
  model::Node down = *h.state().node("ready2");
  down.status = model::kNodeStatusDown;
  h.state().put_node(down);
  model::Node ineligible = *h.state().node("ready1");
  ineligible.scheduling_eligibility = model::kNodeIneligible;
  h.state().put_node(ineligible);
  ASSERT_TRUE(h.process(*job, "node-update", true).is_ok());
  EXPECT_TRUE(h.placed().empty());
  std::map<std::string, model::Allocation> stopped;
  for (const auto& a : h.stopped()) stopped[a.node_id] = a;
  ASSERT_EQ(stopped.size(), 2u);
  EXPECT_EQ(stopped["windows"].desired_description, kDescNodeIneligible);
  EXPECT_EQ(stopped["ready2"].client_status, model::kAllocClientLost);
  EXPECT_EQ(h.plans.back().annotations.desired_tg_updates.at("web").ignore, 1)
      << "an ineligible node keeps its allocation";
}

TEST_F(SystemTest, FullNodeIsReportedAsFailedPlacement) {
  model::Job job = system_job();
  job.task_groups[0].tasks[0].resources.memory_mb = 5000;
  auto other = h.state().put_job(fx::job("hog", 1));
  model::Allocation hog = fx::alloc(other, "ready1", 0);
  hog.allocated_resources.tasks["server"].memory_mb = 4000;
  h.state().put_alloc(hog);
  auto ptr = h.state().put_job(job);
  ASSERT_TRUE(h.process(*ptr).is_ok());
  EXPECT_EQ(nodes_of(h.placed()), (std::set<std::string>{"ready2", "windows"}));
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at("memory"), 1);
  EXPECT_EQ(h.last_eval().queued_allocations.at("web"), 1);
  EXPECT_TRUE(h.created_evals.empty()) << "system jobs are re-evaluated on node changes instead";
}

TEST_F(SystemTest, DestructiveUpdateReplacesOnTheSameNode) {
  model::Job job = system_job();
  auto v0 = h.state().put_job(job);
  ASSERT_TRUE(h.process(*v0).is_ok());
  job.version = 1;
  job.job_modify_index = 5;
  job.task_groups[0].tasks[0].env["X"] = "1";
  auto v1 = h.state().put_job(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  EXPECT_EQ(h.plans.back().annotations.desired_tg_updates.at("web").destructive_update, 3);
  for (const auto& a : h.placed()) {
    ASSERT_FALSE(a.previous_allocation.empty());
    EXPECT_EQ(h.state().alloc(a.previous_allocation)->node_id, a.node_id);
  }
}

TEST_F(SystemTest, SysbatchRunsOncePerNode) {
  auto job = h.state().put_job(system_job(model::kJobTypeSysBatch));
  ASSERT_TRUE(h.process(*job).is_ok());
  ASSERT_EQ(h.placed().size(), 3u);
  for (const auto& a : h.placed()) {
    model::Allocation done = *h.state().alloc(a.id);
    done.client_status = model::kAllocClientComplete;
    h.state().put_alloc(done);
  }
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  EXPECT_TRUE(h.plans.back().empty());
  EXPECT_EQ(h.plans.back().annotations.desired_tg_updates.at("web").ignore, 3);
}

TEST_F(SystemTest, StoppedSystemJobStopsEverything) {
  model::Job job = system_job();
  auto v0 = h.state().put_job(job);
  ASSERT_TRUE(h.process(*v0).is_ok());
  job.stop = true;
  auto stopped = h.state().put_job(job);
  ASSERT_TRUE(h.process(*stopped).is_ok());
  EXPECT_EQ(h.stopped().size(), 3u);
}

}  // namespace
}  // namespace caravan::scheduler
