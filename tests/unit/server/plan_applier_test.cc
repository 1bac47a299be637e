// The plan applier's optimistic concurrency on a real state store: two workers
// planned against the same snapshot and both chose the same static port (or the
// last of a node's memory); the first plan commits, the second commits only its
// other nodes and gets a refresh index; a node that went away or a plan whose
// evaluation was redelivered is refused.
#include "server/plan_applier.h"

#include <gtest/gtest.h>

#include "server/eval_broker.h"
#include "unit/state/state_test_util.h"

namespace caravan::server {
namespace {

using state::testing::make_job;
using state::testing::make_node;
using state::testing::must_apply;
using state::testing::open_memory_store;

class PlanApplierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_.set_enabled(true);
    for (const char* id : {"n1", "n2"}) {
      model::Node node = make_node(id);
      node.node_resources.cpu.cpu_shares = 1000;
      node.node_resources.memory.memory_mb = 1024;
      node.node_resources.disk.disk_mb = 10000;
      must_apply(*store_, state::NodeRegister{node});
    }
    must_apply(*store_, state::JobRegister{make_job("web"), std::nullopt});
    job_ = store_->snapshot()->job("default", "web");
  }

  // A plan of an evaluation this test holds from the broker.
  model::Plan held_plan(const std::string& eval_id) {
    model::Evaluation eval;
    eval.id = eval_id;
    eval.job_id = "web-" + eval_id;  // the broker hands out one evaluation per job at a time
    eval.type = model::kJobTypeService;
    broker_.enqueue(eval);
    std::optional<Delivery> delivery = broker_.dequeue({model::kJobTypeService}, std::chrono::seconds(1));
    EXPECT_TRUE(delivery.has_value());
    model::Plan plan;
    plan.eval_id = eval_id;
    plan.eval_token = delivery ? delivery->token : "";
    plan.job = job_;
    return plan;
  }

  model::Allocation alloc(const std::string& id, const std::string& node, int port, int memory) {
    model::Allocation a = state::testing::make_alloc(id, job_, node);
    a.allocated_resources.tasks["web"] = model::AllocatedTaskResources{100, {}, memory, 0};
    if (port > 0) a.allocated_resources.shared.ports = {model::AllocatedPort{"http", port, 0, ""}};
    return a;
  }

  std::unique_ptr<state::StateStore> store_ = open_memory_store();
  EvalBroker broker_{EvalBrokerConfig{}};
  PlanApplier applier_{*store_, broker_};
  state::JobPtr job_;
};

TEST_F(PlanApplierTest, SecondPlanForTheSamePortCommitsOnlyWhatStillFits) {
  model::Plan first = held_plan("e1");
  first.node_allocation["n1"] = {alloc("a1", "n1", 8080, 64)};
  // The second worker planned against the same (older) snapshot: port 8080 on
  // n1 looked free; its n2 placement is fine.
  model::Plan second = held_plan("e2");
  second.node_allocation["n1"] = {alloc("b1", "n1", 8080, 64)};
  second.node_allocation["n2"] = {alloc("b2", "n2", 8080, 64)};

  Result<scheduler::PlanSubmitResult> one = applier_.apply(first);
  ASSERT_TRUE(one.has_value()) << one.error().message();
  EXPECT_TRUE(one->result.full_commit(first));
  Result<scheduler::PlanSubmitResult> two = applier_.apply(second);
  ASSERT_TRUE(two.has_value()) << two.error().message();
  EXPECT_FALSE(two->result.full_commit(second));
  EXPECT_EQ(two->result.node_allocation.count("n1"), 0u);
  EXPECT_EQ(two->result.node_allocation.at("n2").size(), 1u);
  EXPECT_GT(two->result.refresh_index, 0);
  ASSERT_NE(two->refreshed_state, nullptr);
  EXPECT_NE(two->refreshed_state->alloc("a1"), nullptr) << "the worker replans with a1 in view";

  state::StateViewPtr view = store_->snapshot();
  EXPECT_NE(view->alloc("a1"), nullptr);
  EXPECT_EQ(view->alloc("b1"), nullptr);
  EXPECT_NE(view->alloc("b2"), nullptr);
  EXPECT_EQ(view->node_usage("n1")->ports, (std::vector<int>{8080}));
}

TEST_F(PlanApplierTest, MemoryTakenMeanwhileIsRechecked) {
  model::Plan first = held_plan("e1");
  first.node_allocation["n1"] = {alloc("a1", "n1", 0, 800)};
  ASSERT_TRUE(applier_.apply(first).has_value());
  std::string why;
  model::Plan second = held_plan("e2");
  second.node_allocation["n1"] = {alloc("b1", "n1", 0, 300)};
  EXPECT_FALSE(plan_fits_node(*store_->snapshot(), second, "n1", &why));
  EXPECT_EQ(why, "memory");
  // Stopping a1 in the same plan makes room.
  second.node_update["n1"] = {*store_->snapshot()->alloc("a1")};
  second.node_update["n1"][0].desired_status = model::kAllocDesiredStop;
  EXPECT_TRUE(plan_fits_node(*store_->snapshot(), second, "n1", &why)) << why;
}

TEST_F(PlanApplierTest, GoneNodeAndRedeliveredEvaluationAreRefused) {
  model::Plan plan = held_plan("e1");
  plan.node_allocation["n9"] = {alloc("a1", "n9", 0, 64)};
  std::string why;
  EXPECT_FALSE(plan_fits_node(*store_->snapshot(), plan, "n9", &why));
  EXPECT_EQ(why, "node is gone");

  model::Plan stale = held_plan("e2");
  stale.eval_token = "not-the-token";
  stale.node_allocation["n1"] = {alloc("a2", "n1", 0, 64)};
  Result<scheduler::PlanSubmitResult> refused = applier_.apply(stale);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->snapshot()->alloc("a2"), nullptr);
}

}  // namespace
}  // namespace caravan::server
