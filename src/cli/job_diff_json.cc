#include "cli/job_diff_json.h"

#include "cli/text_format.h"

namespace caravan::cli {
namespace {

const nlohmann::json& member(const nlohmann::json& object, const char* key) {
  return json_member(object, key);
}

std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& s : list) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

std::vector<model::FieldDiff> fields(const nlohmann::json& list) {
  std::vector<model::FieldDiff> out;
  if (!list.is_array()) return out;
  for (const auto& f : list) {
    model::FieldDiff d;
    d.type = decode_diff_type(member(f, "Type"));
    d.name = json_string(f, "Name");
    d.old_value = json_string(f, "Old");
    d.new_value = json_string(f, "New");
    d.annotations = strings(member(f, "Annotations"));
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<model::ObjectDiff> objects(const nlohmann::json& list) {
  std::vector<model::ObjectDiff> out;
  if (!list.is_array()) return out;
  for (const auto& o : list) {
    model::ObjectDiff d;
    d.type = decode_diff_type(member(o, "Type"));
    d.name = json_string(o, "Name");
    d.fields = fields(member(o, "Fields"));
    d.objects = objects(member(o, "Objects"));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

model::DiffType decode_diff_type(const nlohmann::json& json) {
  std::string name = json.is_string() ? json.get<std::string>() : "";
  if (name == "Added") return model::DiffType::kAdded;
  if (name == "Deleted") return model::DiffType::kDeleted;
  if (name == "Edited") return model::DiffType::kEdited;
  return model::DiffType::kNone;
}

model::JobDiff decode_job_diff(const nlohmann::json& json) {
  model::JobDiff diff;
  diff.type = decode_diff_type(member(json, "Type"));
  diff.id = json_string(json, "ID");
  diff.fields = fields(member(json, "Fields"));
  diff.objects = objects(member(json, "Objects"));
  const nlohmann::json& groups = member(json, "TaskGroups");
  if (!groups.is_array()) return diff;
  for (const auto& g : groups) {
    model::TaskGroupDiff group;
    group.type = decode_diff_type(member(g, "Type"));
    group.name = json_string(g, "Name");
    group.fields = fields(member(g, "Fields"));
    group.objects = objects(member(g, "Objects"));
    const nlohmann::json& updates = member(g, "Updates");
    if (updates.is_object()) {
      for (const auto& [kind, count] : updates.items()) {
        if (count.is_number_integer()) group.updates[kind] = count.get<int>();
      }
    }
    const nlohmann::json& tasks = member(g, "Tasks");
    if (tasks.is_array()) {
      for (const auto& t : tasks) {
        model::TaskDiff task;
        task.type = decode_diff_type(member(t, "Type"));
        task.name = json_string(t, "Name");
        task.fields = fields(member(t, "Fields"));
        task.objects = objects(member(t, "Objects"));
        task.annotations = strings(member(t, "Annotations"));
        group.tasks.push_back(std::move(task));
      }
    }
    diff.task_groups.push_back(std::move(group));
  }
  return diff;
}

}  // namespace caravan::cli
