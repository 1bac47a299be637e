// The schema-checked body decoder: HCL's wording and positions for unknown
// arguments and blocks, missing and duplicate items, label counts and value
// types; both forms of map arguments.
#include "jobspec/decoder.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"
#include "unit/jobspec/jobspec_test_util.h"

namespace caravan::jobspec {
namespace {

using testing_util::has_error;
using testing_util::has_error_at;
using testing_util::job_with_group;
using testing_util::job_with_task;
using testing_util::parse;

constexpr std::string_view kTask = "    task \"t\" {\n      driver = \"exec\"\n    }\n";

TEST(BodyDecoder, UnknownArgumentSuggestsTheClosestName) {
  ParseResult r = parse(job_with_group("    cont = 3\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 5,
                           "An argument named \"cont\" is not expected here. Did you mean "
                           "\"count\"?"))
      << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Unsupported argument"));
}

TEST(BodyDecoder, UnknownBlockSuggestsTheClosestType) {
  ParseResult r = parse(job_with_group("    servce {\n    }\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 5,
                           "Blocks of type \"servce\" are not expected here. Did you mean "
                           "\"service\"?"))
      << r.format_diagnostics();
}

TEST(BodyDecoder, UnknownNameWithoutCloseCandidateHasNoSuggestion) {
  ParseResult r = parse(job_with_group("    zzzzzz = 1\n" + std::string(kTask)));
  ASSERT_TRUE(has_error_at(r, 3, 5, "An argument named \"zzzzzz\" is not expected here."));
  EXPECT_FALSE(has_error(r, "Did you mean"));
}

TEST(BodyDecoder, BlockNameUsedAsArgumentPointsToTheBlockForm) {
  ParseResult r = parse(job_with_group("    restart = {}\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 5, "Did you mean to define a block of type \"restart\"?"))
      << r.format_diagnostics();
}

TEST(BodyDecoder, ArgumentNameUsedAsBlockPointsToTheEqualsSign) {
  ParseResult r = parse(job_with_group("    count {\n    }\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 5, "Did you mean to define argument \"count\"?"))
      << r.format_diagnostics();
}

TEST(BodyDecoder, MissingRequiredArgumentPointsAtTheBlockKeyword) {
  ParseResult r = parse(job_with_task("      user = \"x\"\n"));
  EXPECT_TRUE(has_error_at(r, 3, 5, "The argument \"driver\" is required"))
      << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Missing required argument"));
}

TEST(BodyDecoder, DuplicateSingletonBlockIsReportedAtTheSecond) {
  ParseResult r =
      parse(job_with_group("    restart {\n    }\n    restart {\n    }\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 5, 5, "Only one restart block is allowed")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Duplicate restart block"));
}

TEST(BodyDecoder, MissingLabelIsReported) {
  ParseResult r = parse("job \"j\" {\n  group {\n  }\n}\n");
  EXPECT_TRUE(has_error(r, "Missing name for group")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "All group blocks must have 1 labels (name)."));
}

TEST(BodyDecoder, ExtraLabelIsReportedAtTheLabel) {
  ParseResult r = parse("job \"j\" {\n  group \"a\" \"b\" {\n  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 2, 13, "Extraneous label for group")) << r.format_diagnostics();
}

TEST(BodyDecoder, MissingJobBlockIsReported) {
  ParseResult r = parse("variable \"x\" {\n  default = 1\n}\n");
  EXPECT_TRUE(has_error(r, "Missing job block")) << r.format_diagnostics();
}

TEST(BodyDecoder, StringWhereNumberIsRequiredPointsAtTheValue) {
  ParseResult r = parse(job_with_group("    count = \"three\"\n" + std::string(kTask)));
  EXPECT_TRUE(
      has_error_at(r, 3, 13, "Inappropriate value for attribute \"count\": a number is required."))
      << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Incorrect attribute value type"));
}

TEST(BodyDecoder, NumericStringConvertsToNumber) {
  ParseResult r = parse(job_with_group("    count = \"3\"\n" + std::string(kTask)));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(r.job->task_groups[0].count, 3);
}

TEST(BodyDecoder, ListWhereNumberIsRequiredSaysNumberRequired) {
  ParseResult r = parse(job_with_group("    count = [1]\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 13, "number required")) << r.format_diagnostics();
}

TEST(BodyDecoder, FractionWhereIntegerIsRequiredIsAnError) {
  ParseResult r = parse(job_with_group("    count = 1.5\n" + std::string(kTask)));
  EXPECT_TRUE(has_error_at(r, 3, 13, "whole number")) << r.format_diagnostics();
}

TEST(BodyDecoder, WrongBoolIsReported) {
  ParseResult r = parse(job_with_task("      driver = \"exec\"\n      leader = \"yes\"\n"));
  EXPECT_TRUE(has_error_at(r, 5, 16, "a bool is required")) << r.format_diagnostics();
}

TEST(BodyDecoder, ListOfStringsRejectsObject) {
  ParseResult r = parse("job \"j\" {\n  datacenters = { a = 1 }\n}\n");
  EXPECT_TRUE(has_error_at(r, 2, 17, "list of string required")) << r.format_diagnostics();
}

TEST(BodyDecoder, InvalidDurationPointsAtTheValue) {
  ParseResult r = parse(job_with_task("      driver = \"exec\"\n      kill_timeout = \"5 sec\"\n"));
  EXPECT_TRUE(has_error_at(r, 5, 22, "duration")) << r.format_diagnostics();
}

TEST(BodyDecoder, MetaAcceptsBlockForm) {
  ParseResult r = parse("job \"j\" {\n  meta {\n    a = \"b\"\n    n = 3\n  }\n" +
                        std::string("  group \"g\" {\n") + std::string(kTask) + "  }\n}\n");
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(r.job->meta, (std::map<std::string, std::string>{{"a", "b"}, {"n", "3"}}));
}

TEST(BodyDecoder, MetaAcceptsMapForm) {
  ParseResult r = parse("job \"j\" {\n  meta = {\n    \"a.b\" = \"c\"\n  }\n" +
                        std::string("  group \"g\" {\n") + std::string(kTask) + "  }\n}\n");
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(r.job->meta, (std::map<std::string, std::string>{{"a.b", "c"}}));
}

TEST(BodyDecoder, MetaInBothFormsIsADuplicate) {
  ParseResult r = parse("job \"j\" {\n  meta = { a = \"1\" }\n  meta {\n    b = \"2\"\n  }\n" +
                        std::string("  group \"g\" {\n") + std::string(kTask) + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 3, 3, "Duplicate argument")) << r.format_diagnostics();
}

TEST(BodyDecoder, EnvAcceptsBothForms) {
  ParseResult block =
      parse(job_with_task("      driver = \"exec\"\n      env {\n        A = \"1\"\n      }\n"));
  ParseResult map = parse(job_with_task("      driver = \"exec\"\n      env = { A = \"1\" }\n"));
  ASSERT_TRUE(block.ok()) << block.format_diagnostics();
  ASSERT_TRUE(map.ok()) << map.format_diagnostics();
  EXPECT_EQ(block.job->task_groups[0].tasks[0].env, map.job->task_groups[0].tasks[0].env);
  EXPECT_EQ(block.job->task_groups[0].tasks[0].env.at("A"), "1");
}

TEST(BodyDecoder, ReadsTypedValuesAndRecordsRanges) {
  hcl::Diagnostics diags;
  auto file =
      hcl::parse_file("a = \"x\"\nb = 4\nc = true\nd = \"90s\"\ne = [\"p\", 2]\n", "t.hcl", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.format();
  Schema schema{.attributes = {"a", "b", "c", "d", "e"}};
  hcl::EvalContext ctx;
  SourceMap sources;
  BodyDecoder d(file->body, schema, ctx, diags, &sources, "X");
  std::string a;
  int b = 0;
  bool c = false;
  Duration dur{0};
  std::vector<std::string> e;
  std::optional<int> missing;
  EXPECT_TRUE(d.read("a", "A", &a));
  EXPECT_TRUE(d.read("b", "B", &b));
  EXPECT_TRUE(d.read("c", "C", &c));
  EXPECT_TRUE(d.read("d", "D", &dur));
  EXPECT_TRUE(d.read("e", "E", &e));
  EXPECT_FALSE(d.read("zz", "Z", &missing));
  EXPECT_EQ(a, "x");
  EXPECT_EQ(b, 4);
  EXPECT_TRUE(c);
  EXPECT_EQ(dur, std::chrono::seconds(90));
  EXPECT_EQ(e, (std::vector<std::string>{"p", "2"}));
  EXPECT_FALSE(missing.has_value());
  ASSERT_TRUE(sources.find("X.B").has_value());
  EXPECT_EQ(sources.find("X.B")->start.line, 2);
  EXPECT_EQ(sources.find("X.B")->start.column, 5);
  EXPECT_FALSE(diags.has_errors()) << diags.format();
}

TEST(SourceMap, FindsNearestRecordedAncestorAndAliases) {
  SourceMap sources;
  SourceRange group;
  group.start.line = 3;
  SourceRange update;
  update.start.line = 9;
  sources.record("TaskGroups[0]", group);
  sources.record("Update.Canary", update);
  sources.alias("TaskGroups[0].Update", "Update");
  EXPECT_EQ(sources.find("TaskGroups[0].Tasks[1].Driver")->start.line, 3);
  EXPECT_EQ(sources.find("TaskGroups[0].Update.Canary")->start.line, 9);
  EXPECT_EQ(sources.find("TaskGroups[0].Update.Stagger")->start.line, 3);
  EXPECT_FALSE(sources.find("Periodic").has_value());
}

}  // namespace
}  // namespace caravan::jobspec
