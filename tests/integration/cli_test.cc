// The CLI as a user runs it: the real binary, its exit codes and output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

const std::string kExamples = std::string(CARAVAN_SOURCE_DIR) + "/examples";

TEST(Cli, VersionPrintsTheVersion) {
  ProcessResult r = run_caravan({"version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("Caravan v"));
  EXPECT_EQ(run_caravan({"--version"}).out, r.out);
}

TEST(Cli, NoArgumentsPrintsUsageAndFails) {
  ProcessResult r = run_caravan({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Usage: caravan"));
  EXPECT_THAT(r.err, HasSubstr("job validate"));
}

TEST(Cli, UnknownCommandSuggestsTheClosestOne) {
  ProcessResult r = run_caravan({"jbo", "validate"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Did you mean 'job'?"));
}

TEST(Cli, ValidateAcceptsEveryExampleJob) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".hcl") continue;
    ProcessResult r = run_caravan({"job", "validate", entry.path().string()});
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
    EXPECT_THAT(r.out, HasSubstr("Job validation successful"));
    ++seen;
  }
  EXPECT_GE(seen, 3);
}

TEST(Cli, ValidateNamesFileLineAndColumnOfAMistake) {
  TempDir dir;
  dir.write("typo.nomad.hcl",
            "job \"web\" {\n  group \"g\" {\n    cont = 3\n    task \"t\" {\n"
            "      driver = \"raw_exec\"\n      config { command = \"true\" }\n    }\n  }\n}\n");
  ProcessResult r = run_caravan({"job", "validate", dir.file("typo.nomad.hcl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("typo.nomad.hcl:3:5"));
  EXPECT_THAT(r.err, HasSubstr("Did you mean \"count\"?"));
  EXPECT_THAT(r.err, HasSubstr("cont = 3"));  // the source line is shown
}

TEST(Cli, ValidateReportsAMissingFile) {
  ProcessResult r = run_caravan({"job", "validate", "/nonexistent/job.hcl"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/job.hcl"));
}

TEST(Cli, ValidateReadsStandardInput) {
  ProcessResult r = run_caravan(
      {"job", "validate", "-"},
      "job \"x\" {\n group \"g\" {\n  task \"t\" {\n   driver = \"raw_exec\"\n"
      "   config { command = \"true\" }\n  }\n }\n}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Cli, InspectPrintsNomadJsonWithVariablesFromDoubleDashFlags) {
  TempDir dir;
  dir.write("count.nomad.hcl",
            "variable \"n\" {\n  type = number\n  default = 1\n}\n"
            "job \"web\" {\n  group \"g\" {\n    count = var.n\n    task \"t\" {\n"
            "      driver = \"raw_exec\"\n      config { command = \"true\" }\n    }\n  }\n}\n");
  ProcessResult r = run_caravan({"job", "inspect", "--var", "n=3", dir.file("count.nomad.hcl")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["Job"]["ID"], "web");
  EXPECT_EQ(doc["Job"]["TaskGroups"][0]["Count"], 3);
  EXPECT_EQ(doc["Job"]["Priority"], 50);  // a default applied

  // The JSON it prints reads back to the same job.
  dir.write("web.json", r.out);
  ProcessResult again = run_caravan({"job", "inspect", dir.file("web.json")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out), doc);
}

TEST(Cli, InitWritesAValidExampleAndNeverOverwrites) {
  TempDir dir;
  ProcessResult r = run_caravan({"job", "init"}, "", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("example.nomad.hcl"));
  EXPECT_EQ(run_caravan({"job", "validate", dir.file("example.nomad.hcl")}).exit_code, 0);

  ProcessResult again = run_caravan({"job", "init"}, "", dir.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists"));

  ProcessResult short_form = run_caravan({"job", "init", "-short", "short.nomad.hcl"}, "",
                                         dir.path());
  ASSERT_EQ(short_form.exit_code, 0);
  EXPECT_EQ(run_caravan({"job", "validate", dir.file("short.nomad.hcl")}).exit_code, 0);
}

TEST(Cli, FmtChecksRewritesAndIsThenClean) {
  TempDir dir;
  dir.write("ugly.nomad.hcl", "job \"x\" {\ngroup \"g\" {\ncount=1\n    meta {\n a = \"b\"\n"
                              "  longer_key = \"c\"\n}\n}\n}\n");
  ProcessResult check = run_caravan({"fmt", "-check", dir.file("ugly.nomad.hcl")});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(check.out, HasSubstr("ugly.nomad.hcl"));

  ProcessResult write = run_caravan({"job", "fmt", dir.file("ugly.nomad.hcl")});
  ASSERT_EQ(write.exit_code, 0) << write.err;
  EXPECT_EQ(dir.read("ugly.nomad.hcl"),
            "job \"x\" {\n  group \"g\" {\n    count = 1\n    meta {\n      a          = \"b\"\n"
            "      longer_key = \"c\"\n    }\n  }\n}\n");
  EXPECT_EQ(run_caravan({"fmt", "--check", dir.file("ugly.nomad.hcl")}).exit_code, 0);
}

TEST(Cli, FmtLeavesAFileWithSyntaxErrorsAlone) {
  TempDir dir;
  const std::string broken = "job \"x\" {\n  group \"g\" {\n";
  dir.write("broken.hcl", broken);
  ProcessResult r = run_caravan({"fmt", dir.file("broken.hcl")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("broken.hcl:"));
  EXPECT_EQ(dir.read("broken.hcl"), broken);
}

}  // namespace
}  // namespace caravan::testing
