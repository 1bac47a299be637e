// diff_jobs: what `job plan` and `job history -p` show between two versions.
#include "model/job_diff.h"

#include <gtest/gtest.h>

namespace caravan::model {
namespace {

Job base_job() {
  Job job;
  job.id = "web";
  job.type = "service";
  job.datacenters = {"dc1"};
  TaskGroup group;
  group.name = "frontend";
  group.count = 2;
  Task task;
  task.name = "server";
  task.driver = "raw_exec";
  task.config = RawJson::from_canonical_text(R"({"command":"/bin/app","args":["-v"]})");
  task.env = {{"MODE", "blue"}};
  group.tasks.push_back(task);
  job.task_groups.push_back(group);
  return job;
}

const FieldDiff* find_field(const std::vector<FieldDiff>& fields, const std::string& name) {
  for (const FieldDiff& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const ObjectDiff* find_object(const std::vector<ObjectDiff>& objects, const std::string& name) {
  for (const ObjectDiff& o : objects) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

TEST(JobDiff, IdenticalJobsHaveNoChangesEvenWithDifferentServerFields) {
  Job a = base_job();
  Job b = base_job();
  b.version = 4;
  b.modify_index = 99;
  b.status = "running";
  JobDiff diff = diff_jobs(&a, &b);
  EXPECT_EQ(diff.type, DiffType::kNone);
  EXPECT_TRUE(diff.fields.empty());
  ASSERT_EQ(diff.task_groups.size(), 1u);
  EXPECT_EQ(diff.task_groups[0].type, DiffType::kNone);
}

TEST(JobDiff, EditedTaskConfigAndEnvAreNestedUnderTheTask) {
  Job a = base_job();
  Job b = base_job();
  b.task_groups[0].tasks[0].config =
      RawJson::from_canonical_text(R"({"command":"/bin/app2","args":["-v"]})");
  b.task_groups[0].tasks[0].env["MODE"] = "green";
  JobDiff diff = diff_jobs(&a, &b);
  EXPECT_EQ(diff.type, DiffType::kEdited);
  ASSERT_EQ(diff.task_groups.size(), 1u);
  const TaskGroupDiff& group = diff.task_groups[0];
  EXPECT_EQ(group.type, DiffType::kEdited);
  ASSERT_EQ(group.tasks.size(), 1u);
  const TaskDiff& task = group.tasks[0];
  EXPECT_EQ(task.type, DiffType::kEdited);
  const ObjectDiff* config = find_object(task.objects, "Config");
  ASSERT_NE(config, nullptr);
  const FieldDiff* command = find_field(config->fields, "command");
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->type, DiffType::kEdited);
  EXPECT_EQ(command->old_value, "/bin/app");
  EXPECT_EQ(command->new_value, "/bin/app2");
  EXPECT_EQ(find_field(config->fields, "args"), nullptr) << "unchanged list left out";
  const ObjectDiff* env = find_object(task.objects, "Env");
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(find_field(env->fields, "MODE")->new_value, "green");
}

TEST(JobDiff, ScalarListsAreComparedAsSets) {
  Job a = base_job();
  Job b = base_job();
  b.datacenters = {"dc1", "dc2"};
  JobDiff diff = diff_jobs(&a, &b);
  ASSERT_EQ(diff.fields.size(), 1u);
  EXPECT_EQ(diff.fields[0].name, "Datacenters");
  EXPECT_EQ(diff.fields[0].type, DiffType::kAdded);
  EXPECT_EQ(diff.fields[0].new_value, "dc2");
}

TEST(JobDiff, AddedAndRemovedGroupsAndTasks) {
  Job a = base_job();
  Job b = base_job();
  TaskGroup extra = b.task_groups[0];
  extra.name = "worker";
  b.task_groups.push_back(extra);
  Task sidecar = b.task_groups[0].tasks[0];
  sidecar.name = "sidecar";
  b.task_groups[0].tasks.push_back(sidecar);
  JobDiff diff = diff_jobs(&a, &b);
  ASSERT_EQ(diff.task_groups.size(), 2u);
  EXPECT_EQ(diff.task_groups[0].name, "frontend");
  EXPECT_EQ(diff.task_groups[0].type, DiffType::kEdited);
  ASSERT_EQ(diff.task_groups[0].tasks.size(), 1u);
  EXPECT_EQ(diff.task_groups[0].tasks[0].name, "sidecar");
  EXPECT_EQ(diff.task_groups[0].tasks[0].type, DiffType::kAdded);
  EXPECT_EQ(diff.task_groups[1].name, "worker");
  EXPECT_EQ(diff.task_groups[1].type, DiffType::kAdded);

  JobDiff back = diff_jobs(&b, &a);
  EXPECT_EQ(back.task_groups[1].type, DiffType::kDeleted);
}

TEST(JobDiff, NewJobIsAddedAndCountChangeIsAGroupField) {
  Job a = base_job();
  JobDiff added = diff_jobs(nullptr, &a);
  EXPECT_EQ(added.type, DiffType::kAdded);
  EXPECT_EQ(added.task_groups[0].type, DiffType::kAdded);

  Job b = base_job();
  b.task_groups[0].count = 5;
  JobDiff diff = diff_jobs(&a, &b);
  const FieldDiff* count = find_field(diff.task_groups[0].fields, "Count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->old_value, "2");
  EXPECT_EQ(count->new_value, "5");
}

TEST(JobDiff, JsonHasNomadsShape) {
  Job a = base_job();
  Job b = base_job();
  b.task_groups[0].count = 3;
  nlohmann::ordered_json j = to_json(diff_jobs(&a, &b));
  EXPECT_EQ(j["Type"], "Edited");
  EXPECT_EQ(j["ID"], "web");
  EXPECT_EQ(j["TaskGroups"][0]["Name"], "frontend");
  EXPECT_EQ(j["TaskGroups"][0]["Fields"][0]["Name"], "Count");
  EXPECT_EQ(j["TaskGroups"][0]["Fields"][0]["Type"], "Edited");
}

TEST(JobDiff, ContextualIncludesUnchangedFields) {
  Job a = base_job();
  Job b = base_job();
  b.task_groups[0].count = 3;
  JobDiff diff = diff_jobs(&a, &b, /*contextual=*/true);
  const FieldDiff* type = find_field(diff.fields, "Type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->type, DiffType::kNone);
  EXPECT_EQ(type->new_value, "service");
}

}  // namespace
}  // namespace caravan::model
