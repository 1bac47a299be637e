// The drainer's decisions on a real state store: max_parallel shared across
// draining nodes, waiting for healthy replacements, batch left until the
// deadline, system allocations last (or never with IgnoreSystemJobs), force,
// no deadline, and completion.
#include "server/drainer.h"

#include <gtest/gtest.h>

#include "unit/state/state_test_util.h"

namespace caravan::server {
namespace {

using state::testing::make_alloc;
using state::testing::make_job;
using state::testing::make_node;
using state::testing::must_apply;
using state::testing::open_memory_store;
using namespace std::chrono_literals;
using Ids = std::vector<std::string>;

constexpr int64_t kT0 = 1'700'000'000'000'000'000;  // the store's fixed clock

int64_t at(std::chrono::nanoseconds after) { return kT0 + after.count(); }

model::Job service_job(const std::string& id, int count, int max_parallel) {
  model::Job job = make_job(id);
  job.task_groups[0].count = count;
  job.task_groups[0].migrate = model::MigrateStrategy{max_parallel, {}, {}, {}};
  return job;
}

class DrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"n1", "n2", "n3"})
      must_apply(*store_, state::NodeRegister{make_node(id)});
  }

  state::JobPtr register_job(model::Job job) {
    std::string id = job.id;
    must_apply(*store_, state::JobRegister{std::move(job), std::nullopt});
    return view()->job("default", id);
  }
  void place(model::Allocation alloc) {
    alloc.client_status = model::kAllocClientRunning;
    state::ApplyPlanResults plan;
    plan.eval_id = "eval-1";
    plan.allocs_placed = {std::move(alloc)};
    must_apply(*store_, plan);
  }
  void drain(const std::string& node, Duration deadline, bool ignore_system = false) {
    model::DrainStrategy strategy;
    strategy.deadline = deadline;
    strategy.ignore_system_jobs = ignore_system;
    strategy.started_at = kT0;
    if (deadline > Duration::zero()) {
      strategy.force_deadline =
          kT0 + std::chrono::duration_cast<std::chrono::nanoseconds>(deadline).count();
    }
    must_apply(*store_, state::NodeUpdateDrain{node, strategy, false, false, {}, {}});
  }
  // Writes what the drainer decided, as the server does.
  DrainPlan step(int64_t now = kT0) {
    DrainPlan plan = plan_drain(*view(), now);
    state::AllocDesiredTransition marks;
    for (const std::string& id : plan.migrate) marks.transitions[id].migrate = true;
    if (!marks.transitions.empty()) must_apply(*store_, marks);
    return plan;
  }
  // The scheduler's part: a marked allocation is stopped.
  void stop(const std::string& alloc_id) {
    state::ApplyPlanResults plan;
    plan.eval_id = "eval-2";
    plan.allocs_stopped = {
        state::AllocStopUpdate{alloc_id, model::kAllocDesiredStop, "migrating", "", ""}};
    must_apply(*store_, plan);
  }
  void replace(const std::string& old_id, const std::string& new_id, const std::string& node) {
    state::AllocPtr old = view()->alloc(old_id);
    model::Allocation alloc = make_alloc(new_id, old->job, node, old->index());
    alloc.previous_allocation = old_id;
    stop(old_id);
    place(alloc);
  }
  void report_health(const std::string& alloc_id, bool healthy) {
    model::Allocation alloc = *view()->alloc(alloc_id);
    alloc.deployment_status = model::AllocDeploymentStatus{};
    alloc.deployment_status->healthy = healthy;
    must_apply(*store_, state::AllocClientUpdate{{alloc}, {}});
  }
  state::StateViewPtr view() const { return store_->snapshot(); }

  std::unique_ptr<state::StateStore> store_ = open_memory_store();
};

TEST_F(DrainerTest, MaxParallelIsSharedAcrossDrainingNodes) {
  state::JobPtr job = register_job(service_job("web", 4, 2));
  place(make_alloc("a1", job, "n1", 0));
  place(make_alloc("a2", job, "n1", 1));
  place(make_alloc("a3", job, "n2", 2));
  place(make_alloc("a4", job, "n2", 3));
  drain("n1", 0ns);
  drain("n2", 0ns);

  DrainPlan plan = step();
  EXPECT_EQ(plan.migrate, (Ids{"a1", "a2"}));
  using JobKey = std::pair<std::string, std::string>;
  EXPECT_EQ(plan.jobs, (std::vector<JobKey>{{"default", "web"}}));
  EXPECT_TRUE(plan.complete.empty());
  EXPECT_TRUE(step().migrate.empty()) << "two in flight, max_parallel 2";
}

TEST_F(DrainerTest, NextMigrationWaitsForAHealthyReplacement) {
  state::JobPtr job = register_job(service_job("web", 2, 1));
  place(make_alloc("a1", job, "n1", 0));
  place(make_alloc("a2", job, "n1", 1));
  drain("n1", Duration(1h));

  EXPECT_EQ(step().migrate, Ids{"a1"});
  EXPECT_TRUE(step().migrate.empty()) << "no replacement yet";
  replace("a1", "r1", "n2");
  EXPECT_TRUE(step().migrate.empty()) << "replacement not healthy yet";
  report_health("r1", false);
  EXPECT_TRUE(step().migrate.empty()) << "replacement unhealthy";
  // A failed replacement is replaced in turn; its healthy successor counts.
  replace("r1", "r2", "n3");
  report_health("r2", true);
  EXPECT_EQ(step().migrate, Ids{"a2"});
  replace("a2", "r3", "n2");
  DrainPlan last = step();
  EXPECT_TRUE(last.migrate.empty());
  EXPECT_EQ(last.complete, Ids{"n1"}) << "nothing left on n1";
}

TEST_F(DrainerTest, BatchAllocationsAreLeftUntilTheDeadline) {
  state::JobPtr job = register_job(make_job("report", model::kJobTypeBatch));
  place(make_alloc("b1", job, "n1"));
  drain("n1", Duration(1h));

  DrainPlan before = step(at(30min));
  EXPECT_TRUE(before.migrate.empty());
  EXPECT_TRUE(before.complete.empty()) << "b1 still runs";
  EXPECT_EQ(step(at(61min)).migrate, Ids{"b1"}) << "the deadline forces it";
}

TEST_F(DrainerTest, BatchAllocationsWaitForeverWithoutDeadline) {
  state::JobPtr job = register_job(make_job("report", model::kJobTypeBatch));
  place(make_alloc("b1", job, "n1"));
  drain("n1", 0ns);
  EXPECT_TRUE(step(at(24h * 365)).migrate.empty());
}

TEST_F(DrainerTest, SystemAllocationsGoLast) {
  state::JobPtr web = register_job(service_job("web", 1, 1));
  state::JobPtr agent = register_job(make_job("agent", model::kJobTypeSystem));
  place(make_alloc("s1", web, "n1"));
  place(make_alloc("y1", agent, "n1"));
  drain("n1", Duration(1h));

  EXPECT_EQ(step().migrate, Ids{"s1"});
  EXPECT_TRUE(step().migrate.empty()) << "s1 not terminal yet";
  replace("s1", "r1", "n2");
  DrainPlan plan = step();
  EXPECT_EQ(plan.migrate, Ids{"y1"});
  EXPECT_TRUE(plan.complete.empty());
  stop("y1");
  EXPECT_EQ(step().complete, Ids{"n1"});
}

TEST_F(DrainerTest, IgnoreSystemJobsLeavesThemRunning) {
  state::JobPtr agent = register_job(make_job("agent", model::kJobTypeSystem));
  place(make_alloc("y1", agent, "n1"));
  drain("n1", Duration(1h), /*ignore_system=*/true);

  DrainPlan plan = step(at(2h));
  EXPECT_TRUE(plan.migrate.empty()) << "not even at the deadline";
  EXPECT_EQ(plan.complete, Ids{"n1"});
}

TEST_F(DrainerTest, ForceMarksEverythingAtOnce) {
  state::JobPtr web = register_job(service_job("web", 2, 1));
  state::JobPtr batch = register_job(make_job("report", model::kJobTypeBatch));
  state::JobPtr agent = register_job(make_job("agent", model::kJobTypeSystem));
  place(make_alloc("a1", web, "n1", 0));
  place(make_alloc("a2", web, "n1", 1));
  place(make_alloc("b1", batch, "n1"));
  place(make_alloc("y1", agent, "n1"));
  drain("n1", -1ns);

  DrainPlan plan = step();
  std::sort(plan.migrate.begin(), plan.migrate.end());
  EXPECT_EQ(plan.migrate, (Ids{"a1", "a2", "b1", "y1"}));
  EXPECT_EQ(plan.jobs.size(), 3u);
}

TEST_F(DrainerTest, DeadlineForcesServiceAllocationsStillWaiting) {
  state::JobPtr web = register_job(service_job("web", 3, 1));
  place(make_alloc("a1", web, "n1", 0));
  place(make_alloc("a2", web, "n1", 1));
  place(make_alloc("a3", web, "n1", 2));
  drain("n1", Duration(10min));
  EXPECT_EQ(step().migrate, Ids{"a1"});
  EXPECT_EQ(step(at(11min)).migrate, (Ids{"a2", "a3"}));
}

TEST_F(DrainerTest, EmptyNodeCompletesAndOtherNodesAreIgnored) {
  state::JobPtr web = register_job(service_job("web", 1, 1));
  place(make_alloc("a1", web, "n2"));
  drain("n1", Duration(1h));
  DrainPlan plan = step();
  EXPECT_TRUE(plan.migrate.empty());
  EXPECT_EQ(plan.complete, Ids{"n1"});
}

TEST_F(DrainerTest, NothingDrainingPlansNothing) {
  state::JobPtr web = register_job(service_job("web", 1, 1));
  place(make_alloc("a1", web, "n1"));
  EXPECT_TRUE(step().empty());
}

}  // namespace
}  // namespace caravan::server
