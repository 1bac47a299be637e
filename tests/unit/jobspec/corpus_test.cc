// The job-file corpus (tests/data/jobspecs): every valid job parses, validates
// and survives HCL → model → Nomad JSON → model unchanged; every invalid job
// fails with a diagnostic at the line:col and with the text its header names;
// jobs in vars/ need their var-file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cstdio>
#include <string>
#include <vector>

#include "jobspec/jobspec.h"
#include "model/job_json.h"

namespace caravan::jobspec {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(CARAVAN_TEST_DATA_DIR) / "jobspecs";

std::vector<std::string> corpus_files(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kCorpus / dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(suffix)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.find('.'));
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

ParseOptions no_env() {
  ParseOptions options;
  options.env = std::map<std::string, std::string>{};
  return options;
}

class ValidJob : public testing::TestWithParam<std::string> {};

TEST_P(ValidJob, ParsesWithoutErrors) {
  ParseResult parsed = parse_job_file((kCorpus / "valid" / GetParam()).string(), no_env());
  EXPECT_TRUE(parsed.ok()) << parsed.format_diagnostics();
}

TEST_P(ValidJob, SurvivesJsonRoundTrip) {
  ParseResult parsed = parse_job_file((kCorpus / "valid" / GetParam()).string(), no_env());
  ASSERT_TRUE(parsed.ok()) << parsed.format_diagnostics();
  std::string json = model::encode_job(*parsed.job, model::JsonStyle::kPretty);
  ParseResult again = parse_job(json, "roundtrip.json", no_env());
  ASSERT_TRUE(again.ok()) << again.format_diagnostics();
  EXPECT_TRUE(*again.job == *parsed.job)
      << "HCL:\n"
      << json << "\nJSON:\n"
      << model::encode_job(*again.job, model::JsonStyle::kPretty);
}

INSTANTIATE_TEST_SUITE_P(Corpus, ValidJob, testing::ValuesIn(corpus_files("valid", ".nomad.hcl")),
                         test_name);

class InvalidJob : public testing::TestWithParam<std::string> {};

TEST_P(InvalidJob, ReportsTheExpectedError) {
  fs::path path = kCorpus / "invalid" / GetParam();
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  // "# error: LINE:COL: TEXT"
  int line = 0;
  int column = 0;
  int text_start = 0;
  ASSERT_EQ(std::sscanf(header.c_str(), "# error: %d:%d: %n", &line, &column, &text_start), 2)
      << "bad header: " << header;
  ASSERT_GT(text_start, 0) << "bad header: " << header;
  std::string text = header.substr(static_cast<size_t>(text_start));

  ParseResult parsed = parse_job_file(path.string(), no_env());
  EXPECT_FALSE(parsed.ok());
  bool found = std::any_of(
      parsed.diagnostics.begin(), parsed.diagnostics.end(), [&](const hcl::Diagnostic& d) {
        return d.severity == hcl::Severity::kError && d.subject.start.line == line &&
               d.subject.start.column == column &&
               (d.summary + "\n" + d.detail).find(text) != std::string::npos;
      });
  EXPECT_TRUE(found) << "expected an error at " << line << ":" << column << " containing \"" << text
                     << "\"; got:\n"
                     << parsed.format_diagnostics();
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidJob,
                         testing::ValuesIn(corpus_files("invalid", ".nomad.hcl")), test_name);

class VarsJob : public testing::TestWithParam<std::string> {};

TEST_P(VarsJob, ParsesWithItsVarFile) {
  std::string stem = GetParam().substr(0, GetParam().find(".nomad.hcl"));
  ParseOptions options = no_env();
  options.var_files.push_back((kCorpus / "vars" / (stem + ".vars.hcl")).string());
  ParseResult parsed = parse_job_file((kCorpus / "vars" / GetParam()).string(), options);
  EXPECT_TRUE(parsed.ok()) << parsed.format_diagnostics();
}

TEST_P(VarsJob, FailsWithoutItsVarFile) {
  ParseResult parsed = parse_job_file((kCorpus / "vars" / GetParam()).string(), no_env());
  EXPECT_FALSE(parsed.ok());
  bool missing = std::any_of(
      parsed.diagnostics.begin(), parsed.diagnostics.end(),
      [](const hcl::Diagnostic& d) { return d.summary == "Missing required variable"; });
  EXPECT_TRUE(missing) << parsed.format_diagnostics();
}

INSTANTIATE_TEST_SUITE_P(Corpus, VarsJob, testing::ValuesIn(corpus_files("vars", ".nomad.hcl")),
                         test_name);

TEST(JobCorpus, HasEnoughFiles) {
  EXPECT_GE(corpus_files("valid", ".nomad.hcl").size(), 45u);
  EXPECT_GE(corpus_files("invalid", ".nomad.hcl").size(), 25u);
}

}  // namespace
}  // namespace caravan::jobspec

namespace caravan::jobspec {
namespace {

// Values the corpus README lists (computed with the reference HCL evaluator).
model::Job corpus_job(const std::string& name) {
  ParseResult r = parse_job_file((kCorpus / "valid" / (name + ".nomad.hcl")).string(), no_env());
  EXPECT_TRUE(r.ok()) << r.format_diagnostics();
  return r.job.value_or(model::Job{});
}

TEST(JobCorpusValues, LocalsExpressions) {
  model::Job job = corpus_job("hcl2_locals_expressions");
  ASSERT_FALSE(job.task_groups.empty());
  const model::TaskGroup& g = job.task_groups[0];
  EXPECT_EQ(g.count, 4);
  EXPECT_EQ(job.priority, 80);
  EXPECT_EQ(g.update->max_parallel, 2);
  EXPECT_EQ(g.update->min_healthy_time, Duration(std::chrono::seconds(30)));
  const model::Task& t = g.tasks[0];
  EXPECT_EQ(t.resources.memory_mb, 256);
  EXPECT_EQ(t.resources.cpu, 400);
  EXPECT_EQ(t.config.get("args").as_string_list(),
            (std::vector<std::string>{"--routes", "users", "orders"}));
  EXPECT_EQ(t.env, (std::map<std::string, std::string>{{"UPSTREAM_ORDERS", "127.0.0.1:8082"},
                                                       {"UPSTREAM_USERS", "127.0.0.1:8081"}}));
}

TEST(JobCorpusValues, VariablesTypes) {
  model::Job job = corpus_job("hcl2_variables_types");
  ASSERT_FALSE(job.task_groups.empty());
  EXPECT_EQ(job.task_groups[0].count, 3);
  EXPECT_EQ(job.datacenters, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(job.meta,
            (std::map<std::string, std::string>{{"cost_center", "cc-1234"}, {"team", "web"}}));
  const model::Task& t = job.task_groups[0].tasks[0];
  EXPECT_EQ(t.config.get("image").as_string(), "nginx:1.27.0");
  EXPECT_EQ(t.resources.cpu, 250);
  EXPECT_EQ(t.resources.memory_mb, 256);
}

TEST(JobCorpusValues, FunctionsStrings) {
  model::Job job = corpus_job("hcl2_functions_strings");
  ASSERT_FALSE(job.task_groups.empty());
  EXPECT_EQ(job.meta.at("channel"), "rc.3");
  EXPECT_EQ(job.meta.at("display_name"), "CUSTOMER PROFILE API");
  bool found = false;
  for (const model::Task& t : job.task_groups[0].tasks) {
    if (t.config.get("args").as_string_list() ==
        std::vector<std::string>{"--name", "customer-profile-api-${NOMAD_ALLOC_INDEX}"}) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << model::encode_job(job, model::JsonStyle::kPretty);
}

TEST(JobCorpusValues, CommentsSeparators) {
  model::Job job = corpus_job("hcl2_comments_separators");
  ASSERT_FALSE(job.task_groups.empty());
  EXPECT_EQ(job.meta.at("empty_list"), "[]");
  EXPECT_EQ(job.meta.at("empty_map"), "{}");
}

}  // namespace
}  // namespace caravan::jobspec
