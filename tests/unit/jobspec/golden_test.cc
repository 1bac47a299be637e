// Golden files: chosen jobs (tests/data/golden/<name>.nomad.hcl) and the Nomad
// JSON they must produce (<name>.json, as `caravan job inspect -bare` prints
// it). Run with CARAVAN_UPDATE_GOLDEN=1 to rewrite the JSON after an intended
// change, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "jobspec/jobspec.h"
#include "model/job_json.h"
#include "unit/jobspec/jobspec_test_util.h"

namespace caravan::jobspec {
namespace {

namespace fs = std::filesystem;

const fs::path kGolden = fs::path(CARAVAN_TEST_DATA_DIR) / "golden";

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, JobMatchesItsJson) {
  fs::path hcl = kGolden / (GetParam() + ".nomad.hcl");
  fs::path json = kGolden / (GetParam() + ".json");
  ParseResult parsed = parse_job_file(hcl.string(), testing_util::no_env());
  ASSERT_TRUE(parsed.ok()) << parsed.format_diagnostics();
  std::string actual = model::encode_job(*parsed.job, model::JsonStyle::kPretty) + "\n";
  const char* update = std::getenv("CARAVAN_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(json, std::ios::binary) << actual;
  }
  std::ifstream in(json, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing " << json << "; run with CARAVAN_UPDATE_GOLDEN=1";
  std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(actual, expected);

  // The golden JSON read back is the same job.
  ParseResult from_json = parse_job(expected, json.string(), testing_util::no_env());
  ASSERT_TRUE(from_json.ok()) << from_json.format_diagnostics();
  EXPECT_TRUE(*from_json.job == *parsed.job);
}

INSTANTIATE_TEST_SUITE_P(Jobs, Golden,
                         testing::Values("web_docker_service", "batch_periodic_backup",
                                         "system_node_exporter", "connect_sidecar_mesh"));

}  // namespace
}  // namespace caravan::jobspec
