// The difference between two versions of a job, in the shape of Nomad's JobDiff
// (what `job plan` prints with +, -, +/- and what `job history -p` shows):
// fields and nested objects of the job, its task groups (matched by name) and
// their tasks (matched by name). Server-side fields (Version, indexes, Status,
// SubmitTime, Stable) never count as changes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/job.h"

namespace caravan::model {

enum class DiffType { kNone, kAdded, kDeleted, kEdited };

// "None", "Added", "Deleted", "Edited", as Nomad's JSON spells them.
const char* diff_type_name(DiffType type);

// One scalar field. Name is the field's key, with list positions flattened as
// Nomad does ("Datacenters[1]" is written "Datacenters").
struct FieldDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::string old_value;  // empty when added
  std::string new_value;  // empty when deleted
  std::vector<std::string> annotations;
};

// A nested block ("Config", "Resources", "Service", "Update", ...).
struct ObjectDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
};

struct TaskDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  // Filled by the planner: "forces create/destroy update", "forces in-place update".
  std::vector<std::string> annotations;
};

struct TaskGroupDiff {
  DiffType type = DiffType::kNone;
  std::string name;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  std::vector<TaskDiff> tasks;
  // Filled by the planner from the plan's annotations: "create", "destroy",
  // "in-place update", "create/destroy update", "ignore", "canary" → count.
  std::map<std::string, int> updates;
};

struct JobDiff {
  DiffType type = DiffType::kNone;
  std::string id;
  std::vector<FieldDiff> fields;
  std::vector<ObjectDiff> objects;
  std::vector<TaskGroupDiff> task_groups;
};

// Diffs `old_job` → `new_job`. Pass nullptr for `old_job` when the job is new
// (everything Added) or for `new_job` when it is removed (everything Deleted).
// With `contextual`, unchanged fields are included (type None) next to changed
// ones, as `job plan -verbose` shows them.
JobDiff diff_jobs(const Job* old_job, const Job* new_job, bool contextual = false);

// Nomad's JSON for a diff (Type, ID, Fields, Objects, TaskGroups, ...).
nlohmann::ordered_json to_json(const JobDiff& diff);

}  // namespace caravan::model
