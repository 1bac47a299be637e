// Deployments in the FSM: created with a plan, counters kept as allocations
// are placed and report health, promotion of canaries, status changes (a
// successful one marks the version stable, a revert registers an old version
// again), manual health, and the log entries' round trip.
#include <gtest/gtest.h>

#include "state_test_util.h"

namespace caravan::state {
namespace {

using testing::make_alloc;
using testing::make_job;
using testing::make_node;
using testing::must_apply;
using testing::open_memory_store;

constexpr int64_t kNow = 1'700'000'000'000'000'000;

class DeploymentFsmTest : public ::testing::Test {
 protected:
  DeploymentFsmTest() {
    must_apply(*store_, NodeRegister{make_node("n1")});
    model::Job job = make_job("web");
    job.task_groups[0].count = 2;
    must_apply(*store_, JobRegister{job, std::nullopt});
    job_ = view()->job("default", "web");
    deployment_.id = "d1";
    deployment_.job_id = "web";
    deployment_.job_version = job_->version;
    model::DeploymentGroupState group;
    group.desired_total = 2;
    group.desired_canaries = 1;
    group.progress_deadline = std::chrono::minutes(10);
    deployment_.task_groups["web"] = group;
  }
  StateViewPtr view() const { return store_->snapshot(); }
  model::Allocation alloc(const std::string& id, bool canary, int index) {
    model::Allocation a = make_alloc(id, job_, "n1", index);
    a.deployment_id = "d1";
    if (canary) a.deployment_status = model::AllocDeploymentStatus{.canary = true};
    return a;
  }
  void place_with_deployment(std::vector<model::Allocation> allocs) {
    ApplyPlanResults plan;
    plan.eval_id = "e1";
    plan.deployment = deployment_;
    plan.allocs_placed = std::move(allocs);
    must_apply(*store_, plan);
  }
  void report(const std::string& id, bool healthy) {
    model::Allocation a = *view()->alloc(id);
    a.client_status = model::kAllocClientRunning;
    model::AllocDeploymentStatus status = a.deployment_status.value_or(model::AllocDeploymentStatus{});
    status.healthy = healthy;
    a.deployment_status = status;
    must_apply(*store_, AllocClientUpdate{{a}, {}});
  }
  const model::DeploymentGroupState& group() const {
    return view()->deployment("d1")->task_groups.at("web");
  }

  std::unique_ptr<StateStore> store_ = open_memory_store();
  JobPtr job_;
  model::Deployment deployment_;
};

TEST_F(DeploymentFsmTest, PlacementsAndHealthReportsAreCounted) {
  place_with_deployment({alloc("a1", true, 0)});
  DeploymentPtr d = view()->deployment("d1");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->create_time, kNow);
  EXPECT_EQ(group().placed_allocs, 1);
  EXPECT_EQ(group().placed_canaries, (std::vector<std::string>{"a1"}));
  EXPECT_EQ(group().require_progress_by, kNow + std::chrono::nanoseconds(std::chrono::minutes(10)).count());
  EXPECT_EQ(view()->latest_deployment("default", "web")->id, "d1");
  EXPECT_EQ(view()->table_index(Table::kDeployments), view()->index());

  report("a1", true);
  EXPECT_EQ(group().healthy_allocs, 1);
  report("a1", true);  // the same report again counts once
  EXPECT_EQ(group().healthy_allocs, 1);
  report("a1", false);
  EXPECT_EQ(group().healthy_allocs, 0);
  EXPECT_EQ(group().unhealthy_allocs, 1);
}

TEST_F(DeploymentFsmTest, PromotionNeedsHealthyCanariesAndClearsTheirFlag) {
  place_with_deployment({alloc("a1", true, 0)});
  Result<int64_t> refused = store_->apply(LogRequest{DeploymentPromote{"d1", true, {}, {}}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("0/1 healthy canaries"), std::string::npos)
      << refused.error().message();
  EXPECT_FALSE(group().promoted) << "a refused promotion changes nothing";

  report("a1", true);
  // Promoted an hour later: the progress deadline counts from the promotion.
  const int64_t later = kNow + std::chrono::nanoseconds(std::chrono::hours(1)).count();
  ASSERT_TRUE(store_->apply(LogEntry{DeploymentPromote{"d1", true, {}, {}}, later}).has_value());
  EXPECT_TRUE(group().promoted);
  EXPECT_EQ(group().require_progress_by, later + std::chrono::nanoseconds(std::chrono::minutes(10)).count());
  EXPECT_FALSE(view()->alloc("a1")->deployment_status->canary);
  EXPECT_TRUE(*view()->alloc("a1")->deployment_status->healthy);
  EXPECT_EQ(view()->alloc("a1")->alloc_modify_index, view()->index()) << "its client must see it";
  // A health report the client sent before it saw the promotion keeps it promoted.
  model::Allocation stale = *view()->alloc("a1");
  stale.deployment_status->canary = true;
  must_apply(*store_, AllocClientUpdate{{stale}, {}});
  EXPECT_FALSE(view()->alloc("a1")->deployment_status->canary);
}

TEST_F(DeploymentFsmTest, PromotingAnUnknownGroupIsAnError) {
  place_with_deployment({alloc("a1", true, 0)});
  Result<int64_t> r = store_->apply(LogRequest{DeploymentPromote{"d1", false, {"api"}, {}}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(DeploymentFsmTest, SuccessMarksTheJobVersionStable) {
  place_with_deployment({alloc("a1", false, 0)});
  EXPECT_FALSE(view()->job("default", "web")->stable);
  DeploymentStatusChange done;
  done.update = {"d1", model::kDeploymentSuccessful, model::kDeploymentDescSuccessful};
  must_apply(*store_, done);
  EXPECT_EQ(view()->deployment("d1")->status, model::kDeploymentSuccessful);
  EXPECT_TRUE(view()->job("default", "web")->stable);
  EXPECT_TRUE(view()->job_version("default", "web", job_->version)->stable);
  // A finished deployment can not change any more.
  Result<int64_t> again = store_->apply(LogRequest{DeploymentStatusChange{
      {"d1", model::kDeploymentFailed, "late"}, std::nullopt, std::nullopt}});
  EXPECT_FALSE(again.has_value());
}

TEST_F(DeploymentFsmTest, TheOperatorSetsAndClearsTheStableMark) {
  must_apply(*store_, JobStability{"default", "web", job_->version, true});
  EXPECT_TRUE(view()->job_version("default", "web", job_->version)->stable);
  EXPECT_TRUE(view()->job("default", "web")->stable) << "the current version's job too";
  must_apply(*store_, JobStability{"default", "web", job_->version, false});
  EXPECT_FALSE(view()->job_version("default", "web", job_->version)->stable);
  EXPECT_FALSE(view()->job("default", "web")->stable);
  Result<int64_t> missing = store_->apply(LogRequest{JobStability{"default", "web", 42, true}});
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_FALSE(view()->job("default", "web")->stable) << "a refused mark changes nothing";
  // Its log entry decodes to itself.
  JobStability mark{"default", "web", 3, true};
  Result<LogEntry> back = decode_log_entry(encode_log_entry(LogEntry{LogRequest{mark}, kNow}));
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  const auto& decoded = std::get<JobStability>(back->request);
  EXPECT_EQ(decoded.job_id, "web");
  EXPECT_EQ(decoded.version, 3);
  EXPECT_TRUE(decoded.stable);
}

TEST_F(DeploymentFsmTest, FailureWithRevertRegistersTheOldVersionAgain) {
  place_with_deployment({alloc("a1", false, 0)});
  model::Job v0 = *job_;
  model::Job changed = v0;
  changed.meta["v"] = "2";
  must_apply(*store_, JobRegister{changed, std::nullopt});
  ASSERT_EQ(view()->job("default", "web")->version, 1);
  DeploymentStatusChange fail;
  fail.update = {"d1", model::kDeploymentFailed, "Failed due to unhealthy allocations"};
  fail.job = v0;
  must_apply(*store_, fail);
  JobPtr current = view()->job("default", "web");
  EXPECT_EQ(current->version, 2) << "a revert is a new version";
  EXPECT_EQ(current->meta.count("v"), 0u) << "with the old specification";
}

TEST_F(DeploymentFsmTest, ManualHealthCountsAndRejectsForeignAllocations) {
  place_with_deployment({alloc("a1", false, 0), alloc("a2", false, 1)});
  must_apply(*store_, DeploymentAllocHealth{"d1", {"a1"}, {"a2"}, std::nullopt});
  EXPECT_EQ(group().healthy_allocs, 1);
  EXPECT_EQ(group().unhealthy_allocs, 1);
  EXPECT_TRUE(*view()->alloc("a1")->deployment_status->healthy);
  Result<int64_t> r =
      store_->apply(LogRequest{DeploymentAllocHealth{"d1", {"nope"}, {}, std::nullopt}});
  EXPECT_FALSE(r.has_value());
}

TEST_F(DeploymentFsmTest, LogEntriesRoundTrip) {
  DeploymentPromote promote{"d1", false, {"web"}, std::nullopt};
  ApplyPlanResults plan;
  plan.eval_id = "e1";
  plan.deployment = deployment_;
  plan.deployment_updates = {{"d0", model::kDeploymentCancelled, model::kDeploymentDescNewerJob}};
  for (const LogRequest& request : {LogRequest{promote}, LogRequest{plan}}) {
    std::string bytes = encode_log_entry(LogEntry{request, kNow});
    Result<LogEntry> decoded = decode_log_entry(bytes);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
    EXPECT_EQ(log_request_name(decoded->request), log_request_name(request));
  }
  Result<LogEntry> decoded = decode_log_entry(encode_log_entry(LogEntry{LogRequest{plan}, kNow}));
  const auto& back = std::get<ApplyPlanResults>(decoded->request);
  ASSERT_TRUE(back.deployment.has_value());
  EXPECT_EQ(*back.deployment, deployment_);
  EXPECT_EQ(back.deployment_updates, plan.deployment_updates);
  Result<LogEntry> p = decode_log_entry(encode_log_entry(LogEntry{LogRequest{promote}, kNow}));
  EXPECT_EQ(std::get<DeploymentPromote>(p->request).groups, promote.groups);
}

}  // namespace
}  // namespace caravan::state
