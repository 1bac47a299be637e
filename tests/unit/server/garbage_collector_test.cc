// Garbage collection rules on a real state store: old terminal evaluations go
// with their finished allocations and never while one still runs; a live batch
// job keeps its history; finished jobs go whole after job_gc_threshold; forced
// collection ignores age; a purge is refused when the job changed meanwhile.
#include "server/garbage_collector.h"

#include <gtest/gtest.h>

#include "unit/state/state_test_util.h"

namespace caravan::server {
namespace {

using state::testing::make_alloc;
using state::testing::make_eval;
using state::testing::make_job;
using state::testing::make_node;
using state::testing::must_apply;
using state::testing::open_memory_store;
using namespace std::chrono_literals;

constexpr int64_t kT0 = 1'700'000'000'000'000'000;  // the store's fixed clock

int64_t at(std::chrono::nanoseconds after) { return kT0 + after.count(); }

class GarbageCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override { must_apply(*store_, state::NodeRegister{make_node("n1")}); }

  state::JobPtr register_job(model::Job job) {
    std::string id = job.id;
    must_apply(*store_, state::JobRegister{std::move(job), std::nullopt});
    return view()->job("default", id);
  }
  void finish_eval(const std::string& id, const std::string& job, const std::string& type) {
    model::Evaluation eval = make_eval(id, job, model::kEvalStatusComplete);
    eval.type = type;
    must_apply(*store_, state::EvalUpsert{{eval}});
  }
  void place(model::Allocation alloc, const std::string& eval_id) {
    alloc.eval_id = eval_id;
    state::ApplyPlanResults plan;
    plan.eval_id = eval_id;
    plan.allocs_placed = {std::move(alloc)};
    must_apply(*store_, plan);
  }
  void report(const std::string& alloc_id, const std::string& client_status) {
    model::Allocation alloc = *view()->alloc(alloc_id);
    alloc.client_status = client_status;
    must_apply(*store_, state::AllocClientUpdate{{alloc}, {}});
  }
  state::StateViewPtr view() const { return store_->snapshot(); }

  std::unique_ptr<state::StateStore> store_ = open_memory_store();
};

TEST_F(GarbageCollectorTest, OldEvalGoesWithItsFinishedAllocsButNotWhileOneRuns) {
  state::JobPtr job = register_job(make_job("web"));
  finish_eval("e1", "web", model::kJobTypeService);
  finish_eval("e2", "web", model::kJobTypeService);
  place(make_alloc("a1", job, "n1"), "e1");
  place(make_alloc("a2", job, "n1", 1), "e2");
  report("a1", model::kAllocClientComplete);
  report("a2", model::kAllocClientRunning);

  EXPECT_TRUE(plan_garbage_collection(*view(), GcThresholds{}, at(30min)).empty())
      << "younger than eval_gc_threshold";
  GcPlan plan = plan_garbage_collection(*view(), GcThresholds{}, at(2h));
  EXPECT_EQ(plan.eval_ids, std::vector<std::string>{"e1"});
  EXPECT_EQ(plan.alloc_ids, std::vector<std::string>{"a1"});
  EXPECT_TRUE(plan.jobs.empty()) << "the job still runs a2";
}

TEST_F(GarbageCollectorTest, LiveBatchJobKeepsItsFinishedAllocations) {
  state::JobPtr job = register_job(make_job("report", model::kJobTypeBatch));
  finish_eval("e1", "report", model::kJobTypeBatch);
  place(make_alloc("a1", job, "n1"), "e1");
  place(make_alloc("a2", job, "n1", 1), "e1");
  report("a1", model::kAllocClientComplete);
  report("a2", model::kAllocClientRunning);
  EXPECT_TRUE(plan_garbage_collection(*view(), GcThresholds::force(), at(48h)).empty())
      << "collecting a1 would make the scheduler run it again";
}

TEST_F(GarbageCollectorTest, FinishedBatchJobGoesWholeAfterTheJobThreshold) {
  state::JobPtr job = register_job(make_job("report", model::kJobTypeBatch));
  finish_eval("e1", "report", model::kJobTypeBatch);
  place(make_alloc("a1", job, "n1"), "e1");
  report("a1", model::kAllocClientComplete);
  ASSERT_EQ(view()->job("default", "report")->status, model::kJobStatusDead);

  EXPECT_TRUE(plan_garbage_collection(*view(), GcThresholds{}, at(2h)).empty());
  GcPlan plan = plan_garbage_collection(*view(), GcThresholds{}, at(5h));
  ASSERT_EQ(plan.jobs.size(), 1u);
  EXPECT_EQ(plan.jobs[0].id, "report");
  EXPECT_EQ(plan.jobs[0].job_modify_index, view()->job("default", "report")->job_modify_index);
  EXPECT_EQ(plan.eval_ids, std::vector<std::string>{"e1"});
  EXPECT_EQ(plan.alloc_ids, std::vector<std::string>{"a1"});
}

TEST_F(GarbageCollectorTest, StoppedAllocOnADownNodeIsFinished) {
  state::JobPtr job = register_job(make_job("web"));
  finish_eval("e1", "web", model::kJobTypeService);
  place(make_alloc("a1", job, "n1"), "e1");
  state::ApplyPlanResults stop;
  stop.allocs_stopped = {state::AllocStopUpdate{"a1", model::kAllocDesiredStop, "node down", "", ""}};
  must_apply(*store_, stop);
  EXPECT_TRUE(plan_garbage_collection(*view(), GcThresholds::force(), at(1s)).empty())
      << "the client has not reported the stop yet";
  must_apply(*store_, state::NodeUpdateStatus{"n1", model::kNodeStatusDown, std::nullopt, {}});
  GcPlan plan = plan_garbage_collection(*view(), GcThresholds::force(), at(1s));
  EXPECT_EQ(plan.alloc_ids, std::vector<std::string>{"a1"});
}

TEST_F(GarbageCollectorTest, PurgeIsRefusedWhenTheJobChangedSinceTheCollectorLooked) {
  state::JobPtr job = register_job(make_job("web"));
  state::JobDeregister stale;
  stale.job_id = "web";
  stale.purge = true;
  stale.if_job_modify_index = job->job_modify_index;
  model::Job changed = make_job("web");
  changed.priority = 70;
  register_job(changed);
  Result<int64_t> refused = store_->apply(state::LogRequest{stale});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(view()->job("default", "web"), nullptr);
}

}  // namespace
}  // namespace caravan::server
