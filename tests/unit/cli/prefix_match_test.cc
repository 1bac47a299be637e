// Short-ID prefix resolution: exact IDs win, ambiguity lists the candidates, nomad wording.
#include "cli/prefix_match.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

nlohmann::json jobs() {
  return nlohmann::json::parse(R"([
    {"ID": "web", "Type": "service", "Priority": 50, "Status": "running", "SubmitTime": 0},
    {"ID": "web-api", "Type": "service", "Priority": 50, "Status": "pending", "SubmitTime": 0},
    {"ID": "batch", "Type": "batch", "Priority": 40, "Status": "dead", "Stop": true}
  ])");
}

TEST(PickPrefixMatch, AnExactIdWinsOverLongerOnes) {
  auto match = pick_prefix_match(ObjectKind::kJob, "web", jobs(), 0);
  ASSERT_TRUE(match) << match.error().message();
  EXPECT_EQ((*match)["ID"], "web");
}

TEST(PickPrefixMatch, AUniquePrefixPicksItsObject) {
  auto match = pick_prefix_match(ObjectKind::kJob, "web-", jobs(), 0);
  ASSERT_TRUE(match);
  EXPECT_EQ((*match)["ID"], "web-api");
}

TEST(PickPrefixMatch, SeveralMatchesListThemInATable) {
  auto match = pick_prefix_match(ObjectKind::kJob, "we", jobs(), 0);
  ASSERT_FALSE(match);
  EXPECT_EQ(match.error().code(), StatusCode::kInvalidArgument);
  const std::string& message = match.error().message();
  EXPECT_THAT(message, HasSubstr("Prefix matched multiple jobs\n\n"));
  EXPECT_THAT(message, HasSubstr("ID       Type     Priority  Status   Submit Date"));
  EXPECT_THAT(message, HasSubstr("web-api"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("batch")));
}

TEST(PickPrefixMatch, NoMatchIsNotFound) {
  auto match = pick_prefix_match(ObjectKind::kJob, "zzz", jobs(), 0);
  ASSERT_FALSE(match);
  EXPECT_EQ(match.error().code(), StatusCode::kNotFound);
  EXPECT_EQ(match.error().message(), "No job(s) with prefix or id \"zzz\" found");
  auto node = pick_prefix_match(ObjectKind::kNode, "ab", nlohmann::json::array(), 0);
  EXPECT_EQ(node.error().message(), "No node(s) with prefix \"ab\" found");
}

TEST(PickPrefixMatch, IgnoresCandidatesThatDoNotShareThePrefix) {
  // An agent that ignored ?prefix= and returned everything.
  auto match = pick_prefix_match(ObjectKind::kJob, "ba", jobs(), 0);
  ASSERT_TRUE(match);
  EXPECT_EQ((*match)["ID"], "batch");
}

TEST(PickPrefixMatch, AllocationPrefixesNeedTwoCharacters) {
  auto match = pick_prefix_match(ObjectKind::kAllocation, "8", nlohmann::json::array(), 0);
  ASSERT_FALSE(match);
  EXPECT_EQ(match.error().message(), "Alloc ID must contain at least two characters.");
}

TEST(PickPrefixMatch, AmbiguousAllocationsAreListedWithShortIds) {
  auto allocs = nlohmann::json::parse(R"([
    {"ID": "8ba85cef-0000-0000-0000-000000000001", "NodeID": "171a583b-1111", "TaskGroup": "web",
     "JobVersion": 0, "DesiredStatus": "run", "ClientStatus": "running"},
    {"ID": "8ba85cef-0000-0000-0000-000000000002", "NodeID": "171a583b-1111", "TaskGroup": "web",
     "JobVersion": 1, "DesiredStatus": "run", "ClientStatus": "pending"}
  ])");
  auto match = pick_prefix_match(ObjectKind::kAllocation, "8ba8", allocs, 0);
  ASSERT_FALSE(match);
  EXPECT_THAT(match.error().message(), HasSubstr("Prefix matched multiple allocations"));
  EXPECT_THAT(match.error().message(), HasSubstr("8ba85cef  171a583b  web"));
}

TEST(ChooseStatusTarget, OneKindWithOneMatchIsChosen) {
  auto target = choose_status_target(
      "8b", {{ObjectKind::kJob, {}}, {ObjectKind::kAllocation, {"8ba85cef-1"}}});
  ASSERT_TRUE(target);
  EXPECT_EQ(target->first, ObjectKind::kAllocation);
  EXPECT_EQ(target->second, "8ba85cef-1");
}

TEST(ChooseStatusTarget, AnExactIdWinsAcrossKinds) {
  auto target = choose_status_target(
      "web", {{ObjectKind::kJob, {"web", "web-api"}}, {ObjectKind::kNode, {}}});
  ASSERT_TRUE(target);
  EXPECT_EQ(target->first, ObjectKind::kJob);
  EXPECT_EQ(target->second, "web");
}

TEST(ChooseStatusTarget, MatchesInSeveralKindsAreListed) {
  auto target = choose_status_target(
      "ab", {{ObjectKind::kAllocation, {"ab12"}}, {ObjectKind::kEvaluation, {"ab34"}}});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().message(),
            "Multiple matches found for id \"ab\"\n\nAllocations:\nab12\n\nEvaluations:\nab34\n");
  auto none = choose_status_target("zz", {});
  EXPECT_EQ(none.error().message(), "No matches found for id \"zz\"");
}

}  // namespace
}  // namespace caravan::cli
