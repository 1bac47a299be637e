// process_eval's submission loop: partial commits, retries against the
// refreshed state, and giving up after Nomad's attempt limits.
#include <gtest/gtest.h>

#include <set>

#include "harness.h"

namespace caravan::scheduler {
namespace {

using testing::Harness;
namespace fx = testing::fixtures;

// Commits only the first allocation placed by the plan.
model::PlanResult first_only(const model::Plan& plan) {
  model::PlanResult result;
  const auto& [node, allocs] = *plan.node_allocation.begin();
  result.node_allocation[node].push_back(allocs.front());
  return result;
}

TEST(Retry, PartialCommitIsRetriedAgainstTheRefreshedState) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  h.state().put_node(fx::node("n2"));
  model::Job job = fx::job("web", 4);
  h.state().put_job(job);
  int calls = 0;
  h.commit_filter = [&](const model::Plan& plan) {
    if (++calls == 1) return first_only(plan);
    return model::PlanResult{plan.node_update, plan.node_allocation, 0, 0};
  };
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.plans.size(), 2u);
  EXPECT_EQ(h.placed().size(), 3u) << "the second plan places only what is missing";
  EXPECT_EQ(h.state().allocs().size(), 4u);
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusComplete);
  EXPECT_EQ(h.updated_evals.size(), 1u);
  std::set<std::string> names;
  for (const auto& a : h.state().allocs()) names.insert(a->name);
  EXPECT_EQ(names.size(), 4u);
}

TEST(Retry, GivesUpAfterMaxAttempts) {
  for (const char* type : {model::kJobTypeService, model::kJobTypeBatch}) {
    Harness h;
    h.state().put_node(fx::node("n1"));
    model::Job job = fx::job("web", 1);
    job.type = type;
    h.state().put_job(job);
    h.commit_filter = [](const model::Plan&) { return model::PlanResult{}; };
    ASSERT_TRUE(h.process(job).is_ok());
    EXPECT_EQ(h.plans.size(), job.type == model::kJobTypeBatch ? 2u : 5u) << type;
    EXPECT_EQ(h.last_eval().status, model::kEvalStatusFailed);
    ASSERT_EQ(h.created_evals.size(), 1u);
    EXPECT_EQ(h.created_evals[0].triggered_by, model::kEvalTriggerMaxPlans);
    EXPECT_EQ(h.created_evals[0].status, model::kEvalStatusBlocked);
  }
}

TEST(Retry, PlannerErrorsAreReturned) {
  struct Failing : Harness {
    Result<PlanSubmitResult> submit_plan(const model::Plan&) override {
      return unavailable("not the leader");
    }
  } h;
  h.state().put_node(fx::node("n1"));
  model::Job job = fx::job();
  h.state().put_job(job);
  Status status = h.process(job);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(h.updated_evals.empty());
}

TEST(Retry, UnknownSchedulerTypeFailsTheEval) {
  Harness h;
  model::Evaluation eval;
  eval.id = "e1";
  eval.type = "_core";
  ASSERT_TRUE(h.process(eval).is_ok());
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusFailed);
}

TEST(Retry, PurgedJobStopsItsAllocations) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  auto job = std::make_shared<const model::Job>(fx::job());
  h.state().put_alloc(fx::alloc(job, "n1", 0));
  ASSERT_TRUE(h.process(*job, "job-deregister").is_ok());
  ASSERT_EQ(h.stopped().size(), 1u);
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusComplete);
}

}  // namespace
}  // namespace caravan::scheduler
