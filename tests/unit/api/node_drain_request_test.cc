// The drain and eligibility request bodies: Nomad's shapes are read, and every
// malformed body is an InvalidArgument (HTTP 400) naming the field.
#include "api/node_drain_request.h"

#include <gtest/gtest.h>

namespace caravan::api {
namespace {

using nlohmann::json;

TEST(DrainRequest, ReadsNomadsBody) {
  Result<DrainRequest> r = parse_drain_request(json::parse(R"({
    "DrainSpec": {"Deadline": 3600000000000, "IgnoreSystemJobs": true},
    "MarkEligible": false, "Meta": {"message": "kernel upgrade"}})"));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_TRUE(r->strategy.has_value());
  EXPECT_EQ(r->strategy->deadline, std::chrono::hours(1));
  EXPECT_TRUE(r->strategy->ignore_system_jobs);
  EXPECT_FALSE(r->mark_eligible);
  EXPECT_EQ(r->meta.at("message"), "kernel upgrade");
}

TEST(DrainRequest, NullOrAbsentSpecDisablesTheDrain) {
  Result<DrainRequest> null_spec =
      parse_drain_request(json::parse(R"({"DrainSpec": null, "MarkEligible": true})"));
  ASSERT_TRUE(null_spec.has_value());
  EXPECT_FALSE(null_spec->strategy.has_value());
  EXPECT_TRUE(null_spec->mark_eligible);
  Result<DrainRequest> empty = parse_drain_request(json::object());
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->strategy.has_value());
}

TEST(DrainRequest, ForceAndNoDeadlineFollowNomad) {
  Result<DrainRequest> force =
      parse_drain_request(json::parse(R"({"DrainSpec": {"Deadline": -1}})"));
  ASSERT_TRUE(force.has_value());
  EXPECT_LT(force->strategy->deadline.count(), 0);
  Result<DrainRequest> none = parse_drain_request(json::parse(R"({"DrainSpec": {}})"));
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->strategy->deadline.count(), 0);
}

TEST(DrainRequest, MalformedBodiesAreRejectedNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c : {Case{R"([])", "JSON object"}, Case{R"({"DrainSpec": 5})", "DrainSpec"},
                        Case{R"({"DrainSpec": {"Deadline": "1h"}})", "DrainSpec.Deadline"},
                        Case{R"({"DrainSpec": {"Deadline": 1.5}})", "DrainSpec.Deadline"},
                        Case{R"({"DrainSpec": {"IgnoreSystemJobs": "yes"}})", "IgnoreSystemJobs"},
                        Case{R"({"MarkEligible": 1})", "MarkEligible"},
                        Case{R"({"Meta": []})", "Meta"}, Case{R"({"Meta": {"a": 1}})", "Meta.a"}}) {
    Result<DrainRequest> r = parse_drain_request(json::parse(c.body));
    ASSERT_FALSE(r.has_value()) << c.body;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_NE(r.error().message().find(c.field), std::string::npos) << r.error().message();
  }
}

TEST(EligibilityRequest, AcceptsOnlyEligibleOrIneligible) {
  EXPECT_EQ(parse_eligibility_request(json::parse(R"({"Eligibility": "eligible"})")).value(),
            "eligible");
  EXPECT_EQ(parse_eligibility_request(json::parse(R"({"Eligibility": "ineligible"})")).value(),
            "ineligible");
  for (const char* body :
       {R"({})", R"({"Eligibility": "maybe"})", R"({"Eligibility": true})", "[]"}) {
    Result<std::string> r = parse_eligibility_request(json::parse(body));
    ASSERT_FALSE(r.has_value()) << body;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace caravan::api
