// The FSM through the state store (MemoryLog): every entry type, job
// versioning, job status derivation, indexes of tables and objects, and the
// secondary indexes (allocs by job/node, evals by job).
#include <gtest/gtest.h>

#include "state_test_util.h"

namespace caravan::state {
namespace {

using testing::make_alloc;
using testing::make_eval;
using testing::make_job;
using testing::make_node;
using testing::must_apply;
using testing::open_memory_store;

constexpr int64_t kNow = 1'700'000'000'000'000'000;

class FsmTest : public ::testing::Test {
 protected:
  JobPtr register_job(model::Job job, std::optional<model::Evaluation> eval = std::nullopt) {
    std::string id = job.id;
    must_apply(*store_, JobRegister{std::move(job), std::move(eval)});
    return store_->snapshot()->job("default", id);
  }
  void place(const std::vector<model::Allocation>& allocs) {
    ApplyPlanResults plan;
    plan.eval_id = "e1";
    plan.allocs_placed = allocs;
    must_apply(*store_, plan);
  }
  StateViewPtr view() const { return store_->snapshot(); }

  std::unique_ptr<StateStore> store_ = open_memory_store();
};

TEST_F(FsmTest, JobRegisterSetsServerFields) {
  int64_t index = must_apply(*store_, JobRegister{make_job("web"), make_eval("e1", "web")});
  JobPtr job = view()->job("default", "web");
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(job->version, 0);
  EXPECT_EQ(job->create_index, index);
  EXPECT_EQ(job->modify_index, index);
  EXPECT_EQ(job->job_modify_index, index);
  EXPECT_EQ(job->submit_time, kNow);
  EXPECT_EQ(job->status, "pending");
  EXPECT_EQ(view()->table_index(Table::kJobs), index);
  EXPECT_EQ(view()->table_index(Table::kEvals), index);
  EvalPtr eval = view()->eval("e1");
  ASSERT_NE(eval, nullptr);
  EXPECT_EQ(eval->create_index, index);
  EXPECT_EQ(eval->job_modify_index, index);
  EXPECT_EQ(view()->evals_by_job("default", "web").size(), 1u);
}

TEST_F(FsmTest, JobVersionBumpsOnlyWhenTheSpecChanges) {
  JobPtr v0 = register_job(make_job("web"));
  JobPtr same = register_job(make_job("web"));
  EXPECT_EQ(same->version, 0);
  EXPECT_EQ(same->job_modify_index, v0->job_modify_index);
  EXPECT_GT(same->modify_index, v0->modify_index);

  model::Job changed = make_job("web");
  changed.priority = 70;
  JobPtr v1 = register_job(changed);
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->create_index, v0->create_index);
  EXPECT_GT(v1->job_modify_index, v0->job_modify_index);
  ASSERT_EQ(view()->job_versions("default", "web").size(), 2u);
  EXPECT_EQ(view()->job_versions("default", "web")[0]->version, 1);  // newest first
  EXPECT_EQ(view()->job_version("default", "web", 0)->priority, 50);
}

TEST_F(FsmTest, OnlyTheLastSixVersionsAreKept) {
  for (int i = 0; i < 9; ++i) {
    model::Job job = make_job("web");
    job.priority = 10 + i;
    register_job(job);
  }
  auto versions = view()->job_versions("default", "web");
  ASSERT_EQ(versions.size(), 6u);
  EXPECT_EQ(versions.front()->version, 8);
  EXPECT_EQ(versions.back()->version, 3);
  EXPECT_EQ(view()->job_version("default", "web", 2), nullptr);
}

TEST_F(FsmTest, DeregisterStopsWithANewVersionAndPurgeDeletes) {
  JobPtr job = register_job(make_job("web"));
  place({make_alloc("a1", job, "n1")});
  must_apply(*store_, JobDeregister{"default", "web", false, make_eval("e2", "web")});
  JobPtr stopped = view()->job("default", "web");
  EXPECT_TRUE(stopped->stop);
  EXPECT_EQ(stopped->version, 1);
  EXPECT_EQ(view()->job_versions("default", "web").size(), 2u);

  must_apply(*store_, JobDeregister{"default", "web", true, std::nullopt});
  EXPECT_EQ(view()->job("default", "web"), nullptr);
  EXPECT_TRUE(view()->job_versions("default", "web").empty());
  EXPECT_EQ(view()->allocs_by_job("default", "web").size(), 1u);  // until GC
  EXPECT_NE(view()->eval("e2"), nullptr);

  Result<int64_t> missing = store_->apply(JobDeregister{"default", "nope", false, {}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
}

TEST_F(FsmTest, JobStatusFollowsAllocsAndEvals) {
  JobPtr job = register_job(make_job("web"), make_eval("e1", "web"));
  EXPECT_EQ(job->status, "pending");
  place({make_alloc("a1", job, "n1")});
  EXPECT_EQ(view()->job("default", "web")->status, "running");

  model::Allocation done = *view()->alloc("a1");
  done.client_status = model::kAllocClientComplete;
  must_apply(*store_, AllocClientUpdate{{done}, {}});
  EXPECT_EQ(view()->job("default", "web")->status, "pending");  // eval e1 is still pending

  model::Evaluation complete = *view()->eval("e1");
  complete.status = model::kEvalStatusComplete;
  int64_t index = must_apply(*store_, EvalUpsert{{complete}});
  JobPtr dead = view()->job("default", "web");
  EXPECT_EQ(dead->status, "dead");
  EXPECT_EQ(dead->modify_index, index);

  // System jobs run until stopped.
  JobPtr system = register_job(make_job("sys", model::kJobTypeSystem));
  EXPECT_EQ(system->status, "running");
  must_apply(*store_, JobDeregister{"default", "sys", false, {}});
  EXPECT_EQ(view()->job("default", "sys")->status, "dead");
}

TEST_F(FsmTest, PlacementsRelinkToTheStoredJobVersion) {
  JobPtr job = register_job(make_job("web"));
  // A reference stub, as decoded from the log.
  auto stub = std::make_shared<model::Job>();
  stub->id = "web";
  stub->namespace_name = "default";
  stub->version = 0;
  model::Allocation alloc = make_alloc("a1", job, "n1");
  alloc.job = stub;
  int64_t index = must_apply(*store_, ApplyPlanResults{"e1", {}, {alloc}, {}});
  AllocPtr stored = view()->alloc("a1");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->job, view()->job_version("default", "web", 0));  // the same object
  EXPECT_EQ(stored->create_index, index);
  EXPECT_EQ(stored->modify_index, index);
  EXPECT_EQ(stored->alloc_modify_index, index);
  EXPECT_EQ(stored->create_time, kNow);
  EXPECT_EQ(view()->table_index(Table::kAllocs), index);

  stub->version = 7;
  model::Allocation unknown = make_alloc("a2", job, "n1");
  unknown.job = stub;
  Result<int64_t> rejected = store_->apply(ApplyPlanResults{"e1", {}, {unknown}, {}});
  ASSERT_FALSE(rejected.has_value());
  EXPECT_NE(rejected.error().message().find("version 7"), std::string::npos);
  EXPECT_EQ(view()->alloc("a2"), nullptr);
  EXPECT_EQ(store_->stats().rejected, 1);
}

TEST_F(FsmTest, StopsAndInPlaceUpdatesKeepClientFields) {
  JobPtr job = register_job(make_job("web"));
  place({make_alloc("a1", job, "n1"), make_alloc("a2", job, "n1", 1)});
  model::Allocation running = *view()->alloc("a1");
  running.client_status = model::kAllocClientRunning;
  running.task_states["web"].state = model::kTaskStateRunning;
  must_apply(*store_, AllocClientUpdate{{running}, {}});
  int64_t created = view()->alloc("a1")->create_index;

  // In-place update: the scheduler's copy carries stale client fields.
  model::Allocation update = make_alloc("a1", job, "n1");
  update.desired_description = "in-place";
  ApplyPlanResults plan;
  plan.allocs_placed = {update};
  plan.allocs_stopped = {AllocStopUpdate{"a2", model::kAllocDesiredStop, "alloc not needed", "", ""}};
  int64_t index = must_apply(*store_, plan);
  AllocPtr a1 = view()->alloc("a1");
  EXPECT_EQ(a1->client_status, model::kAllocClientRunning);
  EXPECT_EQ(a1->task_states.at("web").state, model::kTaskStateRunning);
  EXPECT_EQ(a1->create_index, created);
  EXPECT_EQ(a1->alloc_modify_index, index);
  AllocPtr a2 = view()->alloc("a2");
  EXPECT_EQ(a2->desired_status, model::kAllocDesiredStop);
  EXPECT_EQ(a2->desired_description, "alloc not needed");
  EXPECT_TRUE(a2->terminal());
}

TEST_F(FsmTest, ClientUpdateMergesOnlyClientFields) {
  JobPtr job = register_job(make_job("web"));
  place({make_alloc("a1", job, "n1")});
  model::Allocation report = make_alloc("a1", job, "n1");
  report.desired_status = model::kAllocDesiredStop;  // not the client's to change
  report.client_status = model::kAllocClientFailed;
  report.client_description = "exit 1";
  report.deployment_status = model::AllocDeploymentStatus{false, "", false, 0};
  int64_t before = view()->alloc("a1")->alloc_modify_index;
  int64_t index = must_apply(*store_, AllocClientUpdate{{report}, {}});
  AllocPtr stored = view()->alloc("a1");
  EXPECT_EQ(stored->desired_status, model::kAllocDesiredRun);
  EXPECT_EQ(stored->client_status, model::kAllocClientFailed);
  EXPECT_EQ(stored->client_description, "exit 1");
  EXPECT_EQ(stored->deployment_status->modify_index, index);
  EXPECT_EQ(stored->modify_index, index);
  EXPECT_EQ(stored->alloc_modify_index, before);
}

TEST_F(FsmTest, NodeRegisterAndUpdates) {
  int64_t index = must_apply(*store_, NodeRegister{make_node("n1")});
  NodePtr node = view()->node("n1");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->create_index, index);
  ASSERT_EQ(node->events.size(), 1u);
  EXPECT_EQ(node->events[0].message, "Node registered");

  must_apply(*store_, NodeUpdateStatus{"n1", model::kNodeStatusDown, std::nullopt,
                                       {make_eval("e1", "web")}});
  EXPECT_EQ(view()->node("n1")->status, model::kNodeStatusDown);
  EXPECT_EQ(view()->node("n1")->status_updated_at, kNow / 1'000'000'000);
  EXPECT_NE(view()->eval("e1"), nullptr);

  // Re-registration keeps drain and eligibility, records the return.
  model::DrainStrategy drain;
  drain.deadline = Duration(std::chrono::hours(1));
  must_apply(*store_, NodeUpdateDrain{"n1", drain, false, false, {{"message", "kernel"}}, {}});
  EXPECT_EQ(view()->node("n1")->scheduling_eligibility, model::kNodeIneligible);
  ASSERT_TRUE(view()->node("n1")->last_drain.has_value());
  EXPECT_EQ(view()->node("n1")->last_drain->status, model::kDrainStatusDraining);
  EXPECT_EQ(view()->node("n1")->last_drain->meta.at("message"), "kernel");
  Result<int64_t> eligible =
      store_->apply(NodeUpdateEligibility{"n1", model::kNodeEligible, {}});
  ASSERT_FALSE(eligible.has_value());
  EXPECT_EQ(eligible.error().code(), StatusCode::kFailedPrecondition);

  index = must_apply(*store_, NodeRegister{make_node("n1")});
  node = view()->node("n1");
  EXPECT_TRUE(node->drain());
  EXPECT_TRUE(node->last_drain.has_value()) << "kept when the client registers again";
  EXPECT_EQ(node->modify_index, index);
  EXPECT_EQ(node->events.back().message, "Node re-registered");

  must_apply(*store_, NodeUpdateDrain{"n1", std::nullopt, true, false, {}, {}});
  EXPECT_FALSE(view()->node("n1")->drain());
  EXPECT_EQ(view()->node("n1")->scheduling_eligibility, model::kNodeEligible);
  EXPECT_EQ(view()->node("n1")->last_drain->status, model::kDrainStatusCanceled);
  EXPECT_EQ(view()->node("n1")->last_drain->meta.at("message"), "kernel");
  must_apply(*store_, NodeUpdateEligibility{"n1", model::kNodeIneligible, {}});
  EXPECT_EQ(view()->node("n1")->scheduling_eligibility, model::kNodeIneligible);

  EXPECT_EQ(store_->apply(NodeUpdateStatus{"nope", "ready", {}, {}}).error().code(),
            StatusCode::kNotFound);

  // A drain the drainer completes leaves the node ineligible.
  must_apply(*store_, NodeUpdateDrain{"n1", drain, false, false, {}, {}});
  must_apply(*store_, NodeUpdateDrain{"n1", std::nullopt, false, true, {}, {}});
  node = view()->node("n1");
  EXPECT_FALSE(node->drain());
  EXPECT_EQ(node->scheduling_eligibility, model::kNodeIneligible);
  EXPECT_EQ(node->last_drain->status, model::kDrainStatusComplete);
}

TEST_F(FsmTest, DesiredTransitionAndAllocStop) {
  JobPtr job = register_job(make_job("web"));
  place({make_alloc("a1", job, "n1"), make_alloc("a2", job, "n1", 1)});
  model::DesiredTransition reschedule;
  reschedule.reschedule = true;
  must_apply(*store_, AllocDesiredTransition{{{"a1", reschedule}}, {make_eval("e5", "web")}});
  EXPECT_EQ(view()->alloc("a1")->desired_transition.reschedule, true);
  EXPECT_EQ(view()->alloc("a1")->desired_transition.migrate, std::nullopt);
  EXPECT_NE(view()->eval("e5"), nullptr);

  must_apply(*store_, AllocStop{"a2", make_eval("e6", "web")});
  EXPECT_EQ(view()->alloc("a2")->desired_transition.migrate, true);
  EXPECT_NE(view()->eval("e6"), nullptr);
  EXPECT_EQ(store_->apply(AllocStop{"zz", make_eval("e7", "web")}).error().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(view()->eval("e7"), nullptr);  // a rejected entry changes nothing
}

TEST_F(FsmTest, EvalDeleteGarbageCollectsAndKeepsIndexesConsistent) {
  JobPtr job = register_job(make_job("web"), make_eval("e1", "web"));
  place({make_alloc("a1", job, "n1"), make_alloc("a2", job, "n2", 1)});
  EXPECT_EQ(view()->allocs_by_node("n1").size(), 1u);
  EXPECT_EQ(view()->allocs_by_job("default", "web").size(), 2u);
  must_apply(*store_, EvalDelete{{"e1"}, {"a1", "a2"}});
  EXPECT_EQ(view()->eval("e1"), nullptr);
  EXPECT_TRUE(view()->evals_by_job("default", "web").empty());
  EXPECT_TRUE(view()->allocs_by_node("n1").empty());
  EXPECT_TRUE(view()->allocs_by_job("default", "web").empty());
  EXPECT_TRUE(view()->allocs().empty());
  EXPECT_EQ(view()->job("default", "web")->status, "dead");
}

model::Allocation with_resources(model::Allocation alloc, int64_t cpu, int port) {
  alloc.allocated_resources.tasks["web"] = model::AllocatedTaskResources{cpu, {}, 64, 0};
  alloc.allocated_resources.shared.disk_mb = 10;
  alloc.allocated_resources.shared.ports = {model::AllocatedPort{"http", port, 0, "10.0.0.1"}};
  return alloc;
}

// The node usage index follows placements, in-place resizes, client reports,
// stops and garbage collection, and matches summing the node's allocations.
TEST_F(FsmTest, NodeUsageFollowsTheLiveAllocationsOfEachNode) {
  JobPtr job = register_job(make_job("web"));
  EXPECT_EQ(view()->node_usage("n1"), nullptr);
  place({with_resources(make_alloc("a1", job, "n1"), 100, 20001),
         with_resources(make_alloc("a2", job, "n1", 1), 200, 20002),
         with_resources(make_alloc("a3", job, "n2", 2), 300, 20001)});
  auto usage = view()->node_usage("n1");
  ASSERT_NE(usage, nullptr);
  EXPECT_EQ(usage->cpu, 300);
  EXPECT_EQ(usage->memory_mb, 128);
  EXPECT_EQ(usage->disk_mb, 20);
  EXPECT_EQ(usage->ports, (std::vector<int>{20001, 20002}));
  EXPECT_EQ(view()->node_usage("n2")->cpu, 300);
  StateViewPtr before_stop = view();

  // A client report changes nothing held; an in-place resize does.
  model::Allocation running = *view()->alloc("a1");
  running.client_status = model::kAllocClientRunning;
  must_apply(*store_, AllocClientUpdate{{running}, {}});
  EXPECT_EQ(view()->node_usage("n1")->cpu, 300);
  ApplyPlanResults resize;
  resize.allocs_placed = {with_resources(make_alloc("a1", job, "n1"), 150, 20001)};
  must_apply(*store_, resize);
  EXPECT_EQ(view()->node_usage("n1")->cpu, 350);

  ApplyPlanResults stop;
  stop.allocs_stopped = {AllocStopUpdate{"a2", model::kAllocDesiredStop, "alloc not needed", "", ""}};
  must_apply(*store_, stop);
  usage = view()->node_usage("n1");
  EXPECT_EQ(usage->cpu, 150);
  EXPECT_EQ(usage->ports, (std::vector<int>{20001}));
  EXPECT_EQ(before_stop->node_usage("n1")->cpu, 300);  // snapshots keep their usage

  // The index agrees with summing the allocations (StateView's default).
  for (const char* node : {"n1", "n2"}) {
    EXPECT_EQ(*view()->node_usage(node), *view()->StateView::node_usage(node)) << node;
  }
  must_apply(*store_, EvalDelete{{}, {"a1", "a2", "a3"}});
  EXPECT_EQ(view()->node_usage("n1")->cpu, 0);
  EXPECT_TRUE(view()->node_usage("n2")->ports.empty());
}

TEST_F(FsmTest, ListsAreSortedById) {
  JobPtr job = register_job(make_job("web"));
  register_job(make_job("api"));
  place({make_alloc("c", job, "n1"), make_alloc("a", job, "n1", 1), make_alloc("b", job, "n2", 2)});
  auto ids = [](const auto& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item->id);
    return out;
  };
  EXPECT_EQ(ids(view()->allocs()), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ids(view()->allocs_by_node("n1")), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ids(view()->jobs("")), (std::vector<std::string>{"api", "web"}));
  EXPECT_EQ(ids(view()->jobs("default")), (std::vector<std::string>{"api", "web"}));
  EXPECT_TRUE(view()->jobs("other").empty());
}

TEST_F(FsmTest, OldSnapshotsDoNotChange) {
  JobPtr job = register_job(make_job("web"));
  StateViewPtr before = view();
  place({make_alloc("a1", job, "n1")});
  EXPECT_EQ(before->alloc("a1"), nullptr);
  EXPECT_TRUE(before->allocs_by_node("n1").empty());
  EXPECT_NE(view()->alloc("a1"), nullptr);
  EXPECT_LT(before->index(), view()->index());
}

}  // namespace
}  // namespace caravan::state
