// Round trips through the JSON codec: a job with every field set to a
// non-default value must decode back equal, so a field missing from the field
// lists (model/internal/job_fields.h) fails here.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/job.h"
#include "model/job_json.h"
#include "unit/model/full_job.h"

namespace caravan::model {
namespace {

using fixtures::full_job;

TEST(JobJson, FullyPopulatedJobRoundTripsCompact) {
  Job job = full_job();
  Result<Job> decoded = decode_job(encode_job(job, JsonStyle::kCompact));
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  EXPECT_EQ(*decoded, job);
}

TEST(JobJson, FullyPopulatedJobRoundTripsThroughRegisterRequest) {
  Job job = full_job();
  std::vector<std::string> unknown;
  Result<Job> decoded = decode_job(encode_job_request(job, JsonStyle::kPretty), &unknown);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  EXPECT_EQ(*decoded, job);
  EXPECT_TRUE(unknown.empty());
}

TEST(JobJson, EmptyJobRoundTripsWithUnsetFieldsAsNull) {
  Job job;
  job.task_groups = {TaskGroup{.name = "g", .tasks = {Task{.name = "t"}}}};
  std::string text = encode_job(job);
  Result<Job> decoded = decode_job(text);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().to_string();
  EXPECT_EQ(*decoded, job);

  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_TRUE(j["Update"].is_null());
  EXPECT_TRUE(j["Datacenters"].is_null());
  EXPECT_TRUE(j["Meta"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Count"].is_null());
  EXPECT_TRUE(j["TaskGroups"][0]["Tasks"][0]["Config"].is_null());
  EXPECT_EQ(j["TaskGroups"][0]["Tasks"][0]["Resources"]["CPU"], 0);
}

TEST(JobJson, EncodesNomadKeysAndNanosecondDurations) {
  nlohmann::json j = nlohmann::json::parse(encode_job(full_job()));
  EXPECT_EQ(j["ID"], "web-app");
  EXPECT_EQ(j["Namespace"], "prod");
  EXPECT_EQ(j["ParameterizedJob"]["MetaRequired"][0], "input");
  EXPECT_EQ(j["Update"]["MinHealthyTime"], 11'000'000'000LL);
  const nlohmann::json& group = j["TaskGroups"][0];
  EXPECT_EQ(group["Count"], 0);
  EXPECT_EQ(group["EphemeralDisk"]["SizeMB"], 500);
  EXPECT_EQ(group["Networks"][0]["ReservedPorts"][0]["Value"], 8080);
  EXPECT_EQ(group["Networks"][0]["DNS"]["Servers"][0], "8.8.8.8");
  const nlohmann::json& task = group["Tasks"][0];
  EXPECT_EQ(task["Config"]["args"][1], "sleep 1");
  EXPECT_EQ(task["KillTimeout"], 20'000'000'000LL);
  EXPECT_EQ(task["Resources"]["MemoryMaxMB"], 1024);
  EXPECT_EQ(task["Services"][0]["Checks"][0]["GRPCUseTLS"], true);
  EXPECT_EQ(task["Services"][0]["Checks"][0]["Header"]["X-Many"][1], "b");
  EXPECT_EQ(task["Templates"][0]["Splay"], 0);
  EXPECT_EQ(task["Templates"][0]["Wait"]["Max"], 40'000'000'000LL);
  EXPECT_EQ(group["Tasks"][1]["Config"], nullptr);
  EXPECT_EQ(group["Tasks"][1]["Services"], nullptr);
}

TEST(JobJson, PrettyStyleIndentsAndCompactStyleIsOneLine) {
  Job job = full_job();
  std::string compact = encode_job(job, JsonStyle::kCompact);
  std::string pretty = encode_job(job, JsonStyle::kPretty);
  EXPECT_EQ(compact.find('\n'), std::string::npos);
  EXPECT_NE(pretty.find("\n    \"Region\": \"eu\""), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(compact), nlohmann::json::parse(pretty));
}

TEST(JobJson, EncodesKeysInNomadOrder) {
  std::string text = encode_job(Job{});
  EXPECT_LT(text.find("\"Region\""), text.find("\"ID\""));
  EXPECT_LT(text.find("\"ID\""), text.find("\"TaskGroups\""));
}

TEST(JobJson, RequestWrapsTheJob) {
  nlohmann::json j = nlohmann::json::parse(encode_job_request(full_job()));
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), 1u);
  EXPECT_EQ(j["Job"]["ID"], "web-app");
}

}  // namespace
}  // namespace caravan::model
