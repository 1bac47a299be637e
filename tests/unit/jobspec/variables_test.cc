// Input variables (types, defaults, validation, the precedence of -var,
// -var-file, NOMAD_VAR_ and defaults) and locals (any order, cycles).
#include "jobspec/variables.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "unit/jobspec/jobspec_test_util.h"

namespace caravan::jobspec {
namespace {

namespace fs = std::filesystem;
using testing_util::has_error;
using testing_util::has_error_at;
using testing_util::no_env;
using testing_util::parse;

// A job whose task env shows the values: A = <expr_a>, B = <expr_b>.
std::string job_using(const std::string& decls, const std::string& expr_a,
                      const std::string& expr_b = "\"\"") {
  return decls + "job \"j\" {\n  group \"g\" {\n    count = 1\n    task \"t\" {\n" +
         "      driver = \"exec\"\n      env {\n        A = " + expr_a + "\n        B = " + expr_b +
         "\n      }\n    }\n  }\n}\n";
}

std::string env_a(const ParseResult& r) { return r.job->task_groups[0].tasks[0].env.at("A"); }
std::string env_b(const ParseResult& r) { return r.job->task_groups[0].tasks[0].env.at("B"); }

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("caravan_jobspec_test_" +
             std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const std::string kImage = "variable \"image\" {\n  type    = string\n  default = \"nginx\"\n}\n";

TEST(Variables, DefaultIsUsedWithoutOtherSources) {
  ParseResult r = parse(job_using(kImage, "var.image"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "nginx");
}

TEST(Variables, PrecedenceIsDefaultThenEnvThenVarFileThenVarArg) {
  TempDir dir;
  std::string file = dir.write("a.vars.hcl", "image = \"from-file\"\n");
  ParseOptions options = no_env();
  options.env = std::map<std::string, std::string>{{"NOMAD_VAR_image", "from-env"}};
  EXPECT_EQ(env_a(parse(job_using(kImage, "var.image"), options)), "from-env");
  options.var_files = {file};
  EXPECT_EQ(env_a(parse(job_using(kImage, "var.image"), options)), "from-file");
  options.var_args = {"image=from-arg-1", "image=from-arg-2"};
  EXPECT_EQ(env_a(parse(job_using(kImage, "var.image"), options)), "from-arg-2");
}

TEST(Variables, VarArgForStringIsTheRawText) {
  ParseOptions options = no_env();
  options.var_args = {"image=a=b \"c\""};
  ParseResult r = parse(job_using(kImage, "var.image"), options);
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "a=b \"c\"");
}

TEST(Variables, VarArgForNonStringTypeIsAnExpression) {
  std::string decls =
      "variable \"ports\" {\n  type = list(number)\n  default = []\n}\n"
      "variable \"on\" {\n  type = bool\n  default = false\n}\n";
  ParseOptions options = no_env();
  options.var_args = {"ports=[80, 443]", "on=true"};
  ParseResult r = parse(job_using(decls, "join(\",\", var.ports)", "tostring(var.on)"), options);
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "80,443");
  EXPECT_EQ(env_b(r), "true");
}

TEST(Variables, EnvValueForNumberIsConverted) {
  std::string decls = "variable \"n\" {\n  type = number\n  default = 1\n}\n";
  ParseOptions options = no_env();
  options.env = std::map<std::string, std::string>{{"NOMAD_VAR_n", "41"}};
  ParseResult r = parse(job_using(decls, "var.n + 1"), options);
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "42");
}

TEST(Variables, TypeConversionOfDefaultsAndValues) {
  std::string decls =
      "variable \"o\" {\n  type = object({ a = string, b = optional(number, 7) })\n"
      "  default = { a = \"x\" }\n}\n";
  ParseResult r = parse(job_using(decls, "var.o.a", "var.o.b"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "x");
  EXPECT_EQ(env_b(r), "7");
}

TEST(Variables, ValueNotMatchingTheTypeIsAnError) {
  std::string decls = "variable \"n\" {\n  type = number\n  default = 1\n}\n";
  ParseOptions options = no_env();
  options.var_args = {"n=\"abc\""};
  ParseResult r = parse(job_using(decls, "var.n"), options);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r, "not suitable for var.n")) << r.format_diagnostics();
}

TEST(Variables, DefaultNotMatchingTheTypeIsAnErrorAtTheDefault) {
  std::string decls = "variable \"n\" {\n  type = number\n  default = \"many\"\n}\n";
  ParseResult r = parse(job_using(decls, "var.n"));
  EXPECT_TRUE(has_error_at(r, 3, 13, "type constraint")) << r.format_diagnostics();
}

TEST(Variables, MissingRequiredVariableNamesItAtTheKeyword) {
  std::string decls = "\nvariable \"token\" {\n  type = string\n}\n";
  ParseResult r = parse(job_using(decls, "var.token"));
  EXPECT_TRUE(has_error_at(r, 2, 1, "Missing required variable")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "\"token\""));
}

TEST(Variables, FailingValidationIsReportedAtTheValueWithTheMessage) {
  std::string decls =
      "variable \"n\" {\n  type = number\n  default = 50\n  validation {\n"
      "    condition = var.n <= 20\n    error_message = \"At most 20, please.\"\n  }\n}\n";
  ParseResult r = parse(job_using(decls, "var.n"));
  EXPECT_TRUE(has_error_at(r, 3, 13, "At most 20, please.")) << r.format_diagnostics();
  ParseOptions options = no_env();
  options.var_args = {"n=5"};
  EXPECT_TRUE(parse(job_using(decls, "var.n"), options).ok());
}

TEST(Variables, UndeclaredVarFileEntryIsAnError) {
  TempDir dir;
  std::string file = dir.write("x.vars.hcl", "imagee = \"x\"\n");
  ParseOptions options = no_env();
  options.var_files = {file};
  ParseResult r = parse(job_using(kImage, "var.image"), options);
  EXPECT_TRUE(has_error(r, "Undefined variable")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Did you mean \"image\"?"));
}

TEST(Variables, UndeclaredVarArgIsAnError) {
  ParseOptions options = no_env();
  options.var_args = {"nope=1"};
  ParseResult r = parse(job_using(kImage, "var.image"), options);
  EXPECT_TRUE(has_error(r, "Undefined variable")) << r.format_diagnostics();
}

TEST(Variables, MalformedVarArgIsAnError) {
  ParseOptions options = no_env();
  options.var_args = {"image"};
  EXPECT_TRUE(has_error(parse(job_using(kImage, "var.image"), options), "Invalid -var option"));
}

TEST(Variables, MissingVarFileIsAnError) {
  ParseOptions options = no_env();
  options.var_files = {"/nonexistent/caravan.vars.hcl"};
  EXPECT_TRUE(has_error(parse(job_using(kImage, "var.image"), options), "Failed to read"));
}

TEST(Variables, JsonVarFileIsRead) {
  TempDir dir;
  std::string file = dir.write("v.json", "{\"image\": \"from-json\"}");
  ParseOptions options = no_env();
  options.var_files = {file};
  ParseResult r = parse(job_using(kImage, "var.image"), options);
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "from-json");
}

TEST(Variables, VariablesBlockDeclaresVariablesWithDefaults) {
  ParseResult r = parse(job_using("variables {\n  region = \"eu\"\n}\n", "var.region"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "eu");
}

TEST(Variables, UndeclaredReferencePointsAtTheStartOfTheReference) {
  ParseResult r = parse(job_using(kImage, "\"x-${var.imagee}\""));
  EXPECT_TRUE(has_error_at(r, 11, 18, "Did you mean \"image\"?")) << r.format_diagnostics();
}

TEST(Variables, DuplicateDeclarationIsAnError) {
  ParseResult r = parse(job_using(kImage + kImage, "var.image"));
  EXPECT_TRUE(has_error_at(r, 5, 10, "Duplicate variable declaration")) << r.format_diagnostics();
}

TEST(Variables, FileFunctionResolvesRelativeToTheJobFile) {
  TempDir dir;
  dir.write("greeting.txt", "hello");
  std::string job = dir.write("job.nomad.hcl", job_using("", "file(\"greeting.txt\")"));
  ParseResult r = parse_job_file(job, no_env());
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "hello");
}

TEST(Locals, MayReferToEachOtherInAnyOrder) {
  std::string decls =
      "locals {\n  c = \"${local.b}-c\"\n}\nlocals {\n  b = \"${local.a}-b\"\n  a = var.image\n}\n";
  ParseResult r = parse(job_using(kImage + decls, "local.c"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(env_a(r), "nginx-b-c");
}

TEST(Locals, CycleIsReported) {
  std::string decls = "locals {\n  a = local.b\n  b = \"${local.a}\"\n}\n";
  ParseResult r = parse(job_using(decls, "local.a"));
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r, "Cycle in local values")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "local.a → local.b → local.a"));
}

TEST(Locals, UndeclaredLocalIsReported) {
  ParseResult r = parse(job_using("locals {\n  a = 1\n}\n", "local.b"));
  EXPECT_TRUE(has_error(r, "Reference to undeclared local value")) << r.format_diagnostics();
}

TEST(Locals, DuplicateLocalIsReported) {
  ParseResult r = parse(job_using("locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n", "local.a"));
  EXPECT_TRUE(has_error_at(r, 5, 3, "Duplicate local value definition")) << r.format_diagnostics();
}

}  // namespace
}  // namespace caravan::jobspec
