// The reconciler's decisions, observed through the plans the scheduler submits.
#include "scheduler/reconcile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "harness.h"
#include "scheduler/reschedule.h"
#include "scheduler/task_updates.h"

namespace caravan::scheduler {
namespace {

using testing::Harness;
using testing::kNow;
namespace fx = testing::fixtures;

constexpr int64_t kSecond = 1'000'000'000;

std::set<std::string> names(const std::vector<model::Allocation>& allocs) {
  std::set<std::string> out;
  for (const auto& a : allocs) out.insert(a.name);
  return out;
}

class ReconcileTest : public ::testing::Test {
 protected:
  ReconcileTest() {
    h.state().put_node(fx::node("n1"));
    h.state().put_node(fx::node("n2"));
  }
  // Registers `job` as version `version` with `running` allocations on n1.
  state::JobPtr setup(model::Job job, int running, int64_t version = 0) {
    job.version = version;
    job.job_modify_index = 10 + version;
    state::JobPtr ptr = h.state().put_job(job);
    for (int i = 0; i < running; ++i) h.state().put_alloc(fx::alloc(ptr, "n1", i));
    return ptr;
  }
  state::JobPtr new_version(model::Job job) {
    job.version = 1;
    job.job_modify_index = 20;
    return h.state().put_job(std::move(job));
  }
  const model::DesiredUpdates& updates() const {
    return h.plans.back().annotations.desired_tg_updates.at("web");
  }
  Harness h;
};

TEST_F(ReconcileTest, ScaleUpFillsFreeIndexes) {
  auto job = setup(fx::job("web", 2), 0);
  h.state().put_alloc(fx::alloc(job, "n1", 1));
  job = setup(fx::job("web", 4), 0);
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  EXPECT_EQ(names(h.placed()), (std::set<std::string>{"web.web[0]", "web.web[2]", "web.web[3]"}));
  EXPECT_EQ(updates().place, 3);
  EXPECT_EQ(updates().ignore, 1);
}

TEST_F(ReconcileTest, ScaleDownStopsTheHighestIndexes) {
  setup(fx::job("web", 4), 4);
  auto job = setup(fx::job("web", 2), 0);
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  EXPECT_TRUE(h.placed().empty());
  EXPECT_EQ(names(h.stopped()), (std::set<std::string>{"web.web[2]", "web.web[3]"}));
  for (const auto& a : h.stopped()) {
    EXPECT_EQ(a.desired_status, model::kAllocDesiredStop);
    EXPECT_EQ(a.desired_description, kDescNotNeeded);
  }
  EXPECT_EQ(updates().stop, 2);
  EXPECT_EQ(updates().ignore, 2);
}

TEST_F(ReconcileTest, UnchangedJobIsANoOp) {
  auto job = setup(fx::job("web", 2), 2);
  ASSERT_TRUE(h.process(*job).is_ok());
  EXPECT_TRUE(h.plans.empty()) << "nothing to submit";
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusComplete);
}

TEST_F(ReconcileTest, NonDestructiveChangeUpdatesInPlace) {
  model::Job job = fx::job("web", 2);
  setup(job, 2);
  job.task_groups[0].update = model::UpdateStrategy{};
  job.task_groups[0].update->max_parallel = 1;
  model::Service service;
  service.name = "web";
  service.tags = {"v2"};
  job.task_groups[0].services.push_back(service);
  job.task_groups[0].tasks[0].kill_timeout = std::chrono::seconds(9);
  auto v1 = new_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  EXPECT_EQ(updates().in_place_update, 2);
  EXPECT_TRUE(h.stopped().empty());
  ASSERT_EQ(h.placed().size(), 2u);
  for (const auto& a : h.placed()) {
    EXPECT_EQ(a.job, v1);
    EXPECT_TRUE(a.id.rfind("alloc-n1-", 0) == 0) << "same allocation, updated";
  }
}

TEST_F(ReconcileTest, DestructiveWithoutUpdateBlockReplacesAll) {
  model::Job job = fx::job("web", 3);
  setup(job, 3);
  job.task_groups[0].tasks[0].resources.memory_mb = 512;
  auto v1 = new_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  EXPECT_EQ(updates().destructive_update, 3);
  EXPECT_EQ(h.placed().size(), 3u);
  EXPECT_EQ(h.stopped().size(), 3u);
}

TEST(TasksUpdated, FollowsNomadRules) {
  model::Job a = fx::job();
  auto changed = [&](auto&& mutate) {
    model::Job b = a;
    mutate(b);
    return tasks_updated(a, a.task_groups[0], b, b.task_groups[0]);
  };
  EXPECT_FALSE(changed([](model::Job& j) { j.task_groups[0].count = 7; }));
  EXPECT_FALSE(changed([](model::Job& j) { j.update = model::UpdateStrategy{}; }));
  EXPECT_FALSE(
      changed([](model::Job& j) { j.task_groups[0].tasks[0].kill_timeout = Duration(1); }));
  EXPECT_FALSE(changed([](model::Job& j) { j.constraints.push_back({"a", "b", "="}); }));
  EXPECT_TRUE(changed([](model::Job& j) { j.meta["k"] = "v"; })) << "meta reaches the env";
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].tasks[0].driver = "exec"; }));
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].tasks[0].config = {}; }));
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].tasks[0].resources.cpu = 1; }));
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].networks.emplace_back(); }));
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].tasks[0].artifacts.emplace_back(); }));
  EXPECT_TRUE(changed([](model::Job& j) { j.task_groups[0].tasks[0].templates.emplace_back(); }));
  EXPECT_TRUE(
      changed([](model::Job& j) { j.task_groups[0].tasks.push_back(j.task_groups[0].tasks[0]); }));
}

TEST_F(ReconcileTest, LostAllocationIsStoppedAndReplaced) {
  auto job = setup(fx::job("web", 1), 1);
  model::Node down = *h.state().node("n1");
  down.status = model::kNodeStatusDown;
  h.state().put_node(down);
  ASSERT_TRUE(h.process(*job, "node-update", true).is_ok());
  ASSERT_EQ(h.stopped().size(), 1u);
  EXPECT_EQ(h.stopped()[0].client_status, model::kAllocClientLost);
  EXPECT_EQ(h.stopped()[0].desired_description, kDescLost);
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n2");
  EXPECT_EQ(h.placed()[0].name, "web.web[0]");
  EXPECT_EQ(h.placed()[0].previous_allocation, "alloc-n1-0");
  EXPECT_EQ(updates().place, 1);
  EXPECT_EQ(updates().stop, 1);
}

TEST_F(ReconcileTest, MigratingAllocationOnDrainingNodeIsReplaced) {
  auto job = setup(fx::job("web", 2), 2);
  model::Node draining = *h.state().node("n1");
  draining.drain_strategy = model::DrainStrategy{};
  h.state().put_node(draining);
  model::Allocation marked = *h.state().alloc("alloc-n1-0");
  marked.desired_transition.migrate = true;
  h.state().put_alloc(marked);
  ASSERT_TRUE(h.process(*job, "node-drain", true).is_ok());
  EXPECT_EQ(updates().migrate, 1);
  EXPECT_EQ(updates().ignore, 1);
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n2");
  EXPECT_EQ(h.stopped()[0].desired_description, kDescMigrating);
}

TEST_F(ReconcileTest, FailedAllocationIsRescheduledAfterItsDelay) {
  auto job = setup(fx::job("web", 1), 1);
  model::Allocation failed = *h.state().alloc("alloc-n1-0");
  failed.client_status = model::kAllocClientFailed;
  failed.modify_time = kNow;
  h.state().put_alloc(failed);
  ASSERT_TRUE(h.process(*job, "alloc-failure", true).is_ok());
  // Service default: 30s exponential delay → a follow-up eval, nothing placed.
  ASSERT_EQ(h.created_evals.size(), 1u);
  const model::Evaluation followup = h.created_evals[0];
  EXPECT_EQ(followup.triggered_by, model::kEvalTriggerRetryFailedAlloc);
  EXPECT_EQ(followup.wait_until, kNow + 30 * kSecond);
  EXPECT_EQ(followup.status, model::kEvalStatusPending);
  ASSERT_EQ(h.placed().size(), 1u) << "the failed alloc, annotated";
  EXPECT_EQ(h.placed()[0].id, "alloc-n1-0");
  EXPECT_EQ(h.placed()[0].followup_eval_id, followup.id);
  EXPECT_EQ(updates().place, 0);

  // Another evaluation before the time does not create a second follow-up.
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  EXPECT_EQ(h.created_evals.size(), 1u);
  EXPECT_TRUE(h.plans.back().empty());

  // The follow-up itself reschedules, away from the node where it failed.
  h.config.now_ns = kNow + 30 * kSecond;
  model::Evaluation eval = followup;
  ASSERT_TRUE(h.process(eval).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  const model::Allocation replacement = h.placed()[0];
  EXPECT_EQ(replacement.previous_allocation, "alloc-n1-0");
  EXPECT_EQ(replacement.node_id, "n2");
  ASSERT_TRUE(replacement.reschedule_tracker.has_value());
  ASSERT_EQ(replacement.reschedule_tracker->events.size(), 1u);
  EXPECT_EQ(replacement.reschedule_tracker->events[0].prev_alloc_id, "alloc-n1-0");
  EXPECT_EQ(replacement.reschedule_tracker->events[0].delay, std::chrono::seconds(30));
  ASSERT_EQ(h.stopped().size(), 1u);
  EXPECT_EQ(h.stopped()[0].desired_description, kDescRescheduled);
}

TEST_F(ReconcileTest, BatchFailureOutOfAttemptsIsNotReplaced) {
  model::Job batch = fx::job("report", 1);
  batch.type = model::kJobTypeBatch;
  auto job = setup(batch, 1);
  model::Allocation failed = *h.state().alloc("alloc-n1-0");
  failed.client_status = model::kAllocClientFailed;
  failed.reschedule_tracker = model::RescheduleTracker{};
  failed.reschedule_tracker->events.push_back({kNow - 3600 * kSecond, "older", "n2", Duration(0)});
  h.state().put_alloc(failed);
  ASSERT_TRUE(h.process(*job, "alloc-failure", true).is_ok());
  EXPECT_TRUE(h.placed().empty());
  EXPECT_TRUE(h.created_evals.empty());
  EXPECT_EQ(updates().ignore, 1);
}

TEST_F(ReconcileTest, BatchFailureWithinDelayWindowIsRescheduledNow) {
  model::Job batch = fx::job("report", 1);
  batch.type = model::kJobTypeBatch;
  auto job = setup(batch, 1);
  model::Allocation failed = *h.state().alloc("alloc-n1-0");
  failed.client_status = model::kAllocClientFailed;
  failed.modify_time = kNow - 10 * kSecond;  // 5s constant delay has passed
  h.state().put_alloc(failed);
  ASSERT_TRUE(h.process(*job, "alloc-failure", true).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].previous_allocation, "alloc-n1-0");
}

TEST_F(ReconcileTest, CompletedBatchAllocationsAreNotReplaced) {
  model::Job batch = fx::job("report", 2);
  batch.type = model::kJobTypeBatch;
  auto job = setup(batch, 2);
  model::Allocation done = *h.state().alloc("alloc-n1-0");
  done.client_status = model::kAllocClientComplete;
  h.state().put_alloc(done);
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  EXPECT_TRUE(h.placed().empty());
  EXPECT_EQ(updates().ignore, 2);
}

TEST_F(ReconcileTest, CompletedServiceAllocationsAreReplaced) {
  auto job = setup(fx::job("web", 1), 1);
  model::Allocation done = *h.state().alloc("alloc-n1-0");
  done.client_status = model::kAllocClientComplete;
  h.state().put_alloc(done);
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].name, "web.web[0]");
}

TEST_F(ReconcileTest, StoppedJobStopsEverything) {
  model::Job job = fx::job("web", 3);
  setup(job, 3);
  job.stop = true;
  auto stopped = h.state().put_job(job);
  ASSERT_TRUE(h.process(*stopped, "job-deregister", true).is_ok());
  EXPECT_EQ(h.stopped().size(), 3u);
  EXPECT_EQ(updates().stop, 3);
  for (const auto& a : h.stopped()) EXPECT_EQ(a.desired_description, kDescJobStopped);
}

TEST_F(ReconcileTest, RemovedGroupIsStopped) {
  model::Job job = fx::job("web", 1);
  setup(job, 1);
  job.task_groups[0].name = "api";
  auto v1 = new_version(job);
  ASSERT_TRUE(h.process(*v1, "job-register", true).is_ok());
  EXPECT_EQ(h.stopped().size(), 1u);
  EXPECT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].name, "web.api[0]");
}

TEST(Reschedule, DelayFunctions) {
  EffectivePolicy p;
  p.delay = std::chrono::seconds(5);
  p.max_delay = std::chrono::seconds(60);
  model::Allocation alloc;
  alloc.reschedule_tracker = model::RescheduleTracker{};
  auto delay_after = [&](const char* fn, int previous) {
    p.delay_function = fn;
    alloc.reschedule_tracker->events.assign(previous, model::RescheduleEvent{});
    return std::chrono::duration_cast<std::chrono::seconds>(reschedule_delay(p, alloc)).count();
  };
  EXPECT_EQ(delay_after("constant", 3), 5);
  EXPECT_EQ(delay_after("exponential", 0), 5);
  EXPECT_EQ(delay_after("exponential", 2), 20);
  EXPECT_EQ(delay_after("exponential", 9), 60);
  EXPECT_EQ(delay_after("fibonacci", 0), 5);
  EXPECT_EQ(delay_after("fibonacci", 1), 5);
  EXPECT_EQ(delay_after("fibonacci", 2), 10);
  EXPECT_EQ(delay_after("fibonacci", 3), 15);
  EXPECT_EQ(delay_after("fibonacci", 4), 25);
  EXPECT_EQ(delay_after("fibonacci", 20), 60);
}

TEST(Reschedule, AttemptsWithinInterval) {
  model::Job job = fx::job();
  job.task_groups[0].reschedule_policy = model::ReschedulePolicy{};
  job.task_groups[0].reschedule_policy->attempts = 2;
  job.task_groups[0].reschedule_policy->interval = std::chrono::hours(1);
  job.task_groups[0].reschedule_policy->unlimited = false;
  EffectivePolicy p = effective_policy(job, job.task_groups[0]);
  model::Allocation alloc;
  alloc.reschedule_tracker = model::RescheduleTracker{};
  alloc.reschedule_tracker->events.push_back({kNow - 7200 * kSecond, "", "", Duration(0)});
  alloc.reschedule_tracker->events.push_back({kNow - 60 * kSecond, "", "", Duration(0)});
  EXPECT_TRUE(reschedule_time(p, alloc, kNow).has_value()) << "one attempt in the window";
  alloc.reschedule_tracker->events.push_back({kNow - 30 * kSecond, "", "", Duration(0)});
  EXPECT_FALSE(reschedule_time(p, alloc, kNow).has_value());
  job.task_groups[0].reschedule_policy->attempts = 0;
  EXPECT_FALSE(
      reschedule_time(effective_policy(job, job.task_groups[0]), model::Allocation{}, kNow));
}

}  // namespace
}  // namespace caravan::scheduler
