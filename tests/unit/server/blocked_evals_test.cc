// BlockedEvals: one blocked evaluation per job, all released on a capacity change.
#include "server/blocked_evals.h"

#include <gtest/gtest.h>

namespace caravan::server {
namespace {

model::Evaluation blocked(std::string id, std::string job) {
  model::Evaluation eval;
  eval.id = std::move(id);
  eval.job_id = std::move(job);
  eval.status = model::kEvalStatusBlocked;
  return eval;
}

TEST(BlockedEvals, KeepsOnlyTheNewestPerJob) {
  BlockedEvals blocked_evals;
  EXPECT_TRUE(blocked_evals.block(blocked("b1", "web")).empty());
  EXPECT_TRUE(blocked_evals.block(blocked("b1", "web")).empty()) << "the same eval again";
  std::vector<model::Evaluation> replaced = blocked_evals.block(blocked("b2", "web"));
  ASSERT_EQ(replaced.size(), 1u);
  EXPECT_EQ(replaced[0].id, "b1");
  EXPECT_TRUE(blocked_evals.block(blocked("c1", "api")).empty());
  EXPECT_EQ(blocked_evals.size(), 2u);
}

TEST(BlockedEvals, UnblockAllReleasesEveryJobOnce) {
  BlockedEvals blocked_evals;
  (void)blocked_evals.block(blocked("b1", "web"));
  (void)blocked_evals.block(blocked("c1", "api"));
  std::vector<model::Evaluation> released = blocked_evals.unblock_all();
  EXPECT_EQ(released.size(), 2u);
  EXPECT_TRUE(blocked_evals.unblock_all().empty());
}

TEST(BlockedEvals, UntrackForgetsAJob) {
  BlockedEvals blocked_evals;
  (void)blocked_evals.block(blocked("b1", "web"));
  std::vector<model::Evaluation> removed = blocked_evals.untrack("default", "web");
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].id, "b1");
  EXPECT_EQ(blocked_evals.size(), 0u);
  EXPECT_TRUE(blocked_evals.untrack("default", "web").empty());
}

}  // namespace
}  // namespace caravan::server
