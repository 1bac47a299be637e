// The text of `job plan`: the annotated diff and the dry-run summary.
#include "cli/plan_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <fmt/format.h>

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

TEST(PlanFormat, EditedJobShowsMarkersCountsAndAnnotations) {
  model::JobDiff diff;
  diff.type = model::DiffType::kEdited;
  diff.id = "web";
  model::TaskGroupDiff group;
  group.type = model::DiffType::kEdited;
  group.name = "frontend";
  group.fields.push_back({model::DiffType::kEdited, "Count", "1", "3", {}});
  group.updates = {{"create", 2}, {"in-place update", 1}};
  model::TaskDiff task;
  task.type = model::DiffType::kEdited;
  task.name = "server";
  task.annotations = {"forces create/destroy update"};
  model::ObjectDiff config{model::DiffType::kEdited, "Config", {}, {}};
  config.fields.push_back({model::DiffType::kEdited, "command", "/bin/a", "/bin/b", {}});
  task.objects.push_back(config);
  group.tasks.push_back(task);
  diff.task_groups.push_back(group);

  std::string text = format_job_diff(diff, false);
  EXPECT_EQ(text,
            "+/- Job: \"web\"\n"
            "+/- Task Group: \"frontend\" (2 create, 1 in-place update)\n"
            "  +/- Count: \"1\" => \"3\"\n"
            "  +/- Task: \"server\" (forces create/destroy update)\n"
            "    +/- Config {\n"
            "      +/- command: \"/bin/a\" => \"/bin/b\"\n"
            "        }\n");
}

TEST(PlanFormat, DryRunListsWhatWasExhausted) {
  model::AllocMetric metric;
  metric.nodes_evaluated = 1;
  metric.nodes_exhausted = 1;
  metric.coalesced_failures = 3;
  metric.dimension_exhausted["network: reserved port collision http=8080"] = 1;
  std::string text = format_dry_run({{"web", metric}});
  EXPECT_THAT(text, HasSubstr("- WARNING: Failed to place all allocations.\n"));
  EXPECT_THAT(text, HasSubstr("Task Group \"web\" (failed to place 4 allocations):\n"));
  EXPECT_THAT(text, HasSubstr("* Resources exhausted on 1 nodes\n"));
  EXPECT_THAT(text, HasSubstr(
                        "* Dimension \"network: reserved port collision http=8080\" exhausted on 1 nodes\n"));
  EXPECT_EQ(format_dry_run({}), "Scheduler dry-run:\n- All tasks successfully allocated.\n");
}

TEST(PlanFormat, FilteredNodesNameTheConstraint) {
  model::AllocMetric metric;
  metric.nodes_evaluated = 2;
  metric.constraint_filtered["${attr.kernel.name} = windows"] = 2;
  std::string text = format_alloc_metric("api", metric, 0);
  EXPECT_THAT(text, HasSubstr("Constraint \"${attr.kernel.name} = windows\": 2 nodes excluded by filter"));
}

}  // namespace
}  // namespace caravan::cli

namespace caravan::cli {
namespace {

nlohmann::json plan_response(int place) {
  return nlohmann::json::parse(fmt::format(R"({{
    "Annotations": {{"DesiredTGUpdates": {{"cache": {{"Place": {}, "Ignore": 0}}}}}},
    "FailedTGAllocs": null, "JobModifyIndex": 7, "Warnings": "",
    "Diff": {{"Type": "Added", "ID": "example", "Fields": null, "Objects": null,
      "TaskGroups": [{{"Type": "Added", "Name": "cache", "Fields": null, "Objects": null,
        "Updates": {{"create": 1}},
        "Tasks": [{{"Type": "Added", "Name": "redis", "Fields": null, "Objects": null,
                    "Annotations": ["forces create"]}}]}}]}}}})",
                                           place));
}

TEST(PlanResponse, PrintsDiffDryRunAndCheckIndex) {
  auto output = format_plan_response(plan_response(1), "example.nomad.hcl", true, false);
  ASSERT_TRUE(output) << output.error().message();
  EXPECT_TRUE(output->changes);
  EXPECT_EQ(output->text,
            "+ Job: \"example\"\n"
            "+ Task Group: \"cache\" (1 create)\n"
            "  + Task: \"redis\" (forces create)\n"
            "\n"
            "Scheduler dry-run:\n"
            "- All tasks successfully allocated.\n"
            "\n"
            "Job Modify Index: 7\n"
            "To submit the job with version verification run:\n"
            "\n"
            "caravan job run -check-index 7 example.nomad.hcl\n"
            "\n"
            "When running the job with the check-index flag, the job will only be run if the\n"
            "job modify index given matches the server-side version. If the index has\n"
            "changed, another user has modified the job and the plan's results are\n"
            "potentially invalid.\n");
}

TEST(PlanResponse, NoPlacementsOrStopsMeansNoChanges) {
  auto output = format_plan_response(plan_response(0), "x.hcl", false, false);
  ASSERT_TRUE(output);
  EXPECT_FALSE(output->changes);
  EXPECT_EQ(output->text.find("Job:"), std::string::npos);  // -diff=false
}

TEST(PlanResponse, ListsPlacementFailures) {
  nlohmann::json response = plan_response(1);
  response["FailedTGAllocs"] = {{"cache", {{"NodesEvaluated", 1}, {"NodesExhausted", 1}}}};
  auto output = format_plan_response(response, "x.hcl", false, false);
  ASSERT_TRUE(output);
  EXPECT_NE(output->text.find("- WARNING: Failed to place all allocations.\n"
                              "  Task Group \"cache\" (failed to place 1 allocation):\n"
                              "    * Resources exhausted on 1 nodes\n"),
            std::string::npos)
      << output->text;
}

}  // namespace
}  // namespace caravan::cli
