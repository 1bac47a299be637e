#include "model/job_diff.h"

#include <algorithm>
#include <set>

#include "model/model_json.h"

namespace caravan::model {
namespace {

using Json = nlohmann::ordered_json;

// Set by the server, never by a job file: not a change of the job.
const std::set<std::string> kServerFields = {
    "Stop",    "Status",      "StatusDescription", "Stable",          "Version",
    "SubmitTime", "CreateIndex", "ModifyIndex",    "JobModifyIndex",  "Dispatched"};

bool is_scalar(const Json& j) { return !j.is_object() && !j.is_array(); }

bool is_scalar_list(const Json& j) {
  return j.is_array() && std::all_of(j.begin(), j.end(), [](const Json& e) { return is_scalar(e); });
}

std::string scalar_text(const Json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}

// "Constraints" → "Constraint", "Affinities" → "Affinity": how Nomad names one
// element of a list block.
std::string singular(const std::string& key) {
  if (key.size() > 3 && key.ends_with("ies")) return key.substr(0, key.size() - 3) + "y";
  if (key.size() > 1 && key.ends_with('s') && !key.ends_with("ss")) {
    return key.substr(0, key.size() - 1);
  }
  return key;
}

DiffType change_type(const Json& old_value, const Json& new_value) {
  if (old_value.is_null() && new_value.is_null()) return DiffType::kNone;
  if (old_value.is_null()) return DiffType::kAdded;
  if (new_value.is_null()) return DiffType::kDeleted;
  return old_value == new_value ? DiffType::kNone : DiffType::kEdited;
}

// Accumulates the field and object diffs of one JSON object.
struct Collector {
  bool contextual;
  std::vector<FieldDiff>* fields;
  std::vector<ObjectDiff>* objects;

  void field(const std::string& name, const Json& old_value, const Json& new_value) {
    DiffType type = change_type(old_value, new_value);
    if (type == DiffType::kNone && !contextual) return;
    fields->push_back(FieldDiff{type, name, scalar_text(old_value), scalar_text(new_value), {}});
  }

  // A list of scalars is a set: elements only in the old list are deleted,
  // only in the new one added.
  void scalar_list(const std::string& name, const Json& old_list, const Json& new_list) {
    std::vector<std::string> old_items, new_items;
    if (old_list.is_array()) {
      for (const Json& e : old_list) old_items.push_back(scalar_text(e));
    }
    if (new_list.is_array()) {
      for (const Json& e : new_list) new_items.push_back(scalar_text(e));
    }
    for (const std::string& item : old_items) {
      bool kept = std::find(new_items.begin(), new_items.end(), item) != new_items.end();
      if (!kept) {
        fields->push_back(FieldDiff{DiffType::kDeleted, name, item, "", {}});
      } else if (contextual) {
        fields->push_back(FieldDiff{DiffType::kNone, name, item, item, {}});
      }
    }
    for (const std::string& item : new_items) {
      if (std::find(old_items.begin(), old_items.end(), item) == old_items.end()) {
        fields->push_back(FieldDiff{DiffType::kAdded, name, "", item, {}});
      }
    }
  }

  void object(ObjectDiff diff) {
    if (diff.type == DiffType::kNone && !contextual) return;
    objects->push_back(std::move(diff));
  }
};

ObjectDiff diff_object(const std::string& name, const Json& old_value, const Json& new_value,
                       bool contextual);

// Diffs the members of two JSON objects (either may be null), skipping `exclude`.
void diff_members(const Json& old_object, const Json& new_object, bool contextual,
                  const std::set<std::string>& exclude, std::vector<FieldDiff>* fields,
                  std::vector<ObjectDiff>* objects) {
  std::set<std::string> keys;  // sorted, as Nomad orders diff fields
  for (const Json* side : {&old_object, &new_object}) {
    if (!side->is_object()) continue;
    for (auto it = side->begin(); it != side->end(); ++it) keys.insert(it.key());
  }
  static const Json kNull;
  Collector out{contextual, fields, objects};
  for (const std::string& key : keys) {
    if (exclude.count(key) != 0) continue;
    const Json& o = old_object.is_object() && old_object.contains(key) ? old_object[key] : kNull;
    const Json& n = new_object.is_object() && new_object.contains(key) ? new_object[key] : kNull;
    if (is_scalar(o) && is_scalar(n)) {
      out.field(key, o, n);
    } else if ((o.is_null() || is_scalar_list(o)) && (n.is_null() || is_scalar_list(n))) {
      out.scalar_list(key, o, n);
    } else if (o.is_array() || n.is_array()) {
      // A list of blocks: element i of the old list against element i of the new.
      size_t count = std::max(o.is_array() ? o.size() : 0, n.is_array() ? n.size() : 0);
      for (size_t i = 0; i < count; ++i) {
        const Json& oe = o.is_array() && i < o.size() ? o[i] : kNull;
        const Json& ne = n.is_array() && i < n.size() ? n[i] : kNull;
        out.object(diff_object(singular(key), oe, ne, contextual));
      }
    } else {
      out.object(diff_object(key, o, n, contextual));
    }
  }
}

DiffType overall(DiffType own, const std::vector<FieldDiff>& fields,
                 const std::vector<ObjectDiff>& objects) {
  if (own != DiffType::kEdited && own != DiffType::kNone) return own;
  bool changed =
      std::any_of(fields.begin(), fields.end(), [](const auto& f) { return f.type != DiffType::kNone; }) ||
      std::any_of(objects.begin(), objects.end(), [](const auto& o) { return o.type != DiffType::kNone; });
  return changed ? DiffType::kEdited : DiffType::kNone;
}

ObjectDiff diff_object(const std::string& name, const Json& old_value, const Json& new_value,
                       bool contextual) {
  ObjectDiff diff;
  diff.name = name;
  diff_members(old_value, new_value, contextual, {}, &diff.fields, &diff.objects);
  diff.type = overall(change_type(old_value, new_value), diff.fields, diff.objects);
  return diff;
}

// The elements of a JSON list of named objects, by their "Name".
std::map<std::string, const Json*> by_name(const Json& list) {
  std::map<std::string, const Json*> out;
  if (!list.is_array()) return out;
  for (const Json& e : list) {
    if (e.is_object() && e.contains("Name") && e["Name"].is_string()) {
      out[e["Name"].get<std::string>()] = &e;
    }
  }
  return out;
}

// Names in the order of the new list, then the removed ones in the old list's order.
std::vector<std::string> ordered_names(const Json& old_list, const Json& new_list) {
  std::vector<std::string> names;
  for (const Json* list : {&new_list, &old_list}) {
    if (!list->is_array()) continue;
    for (const Json& e : *list) {
      if (!e.is_object() || !e.contains("Name") || !e["Name"].is_string()) continue;
      std::string name = e["Name"].get<std::string>();
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  return names;
}

TaskDiff diff_task(const std::string& name, const Json& old_task, const Json& new_task,
                   bool contextual) {
  TaskDiff diff;
  diff.name = name;
  diff_members(old_task, new_task, contextual, {"Name"}, &diff.fields, &diff.objects);
  diff.type = overall(change_type(old_task, new_task), diff.fields, diff.objects);
  return diff;
}

TaskGroupDiff diff_group(const std::string& name, const Json& old_group, const Json& new_group,
                         bool contextual) {
  static const Json kNull;
  TaskGroupDiff diff;
  diff.name = name;
  diff_members(old_group, new_group, contextual, {"Name", "Tasks"}, &diff.fields, &diff.objects);
  const Json& old_tasks = old_group.is_object() ? old_group.value("Tasks", kNull) : kNull;
  const Json& new_tasks = new_group.is_object() ? new_group.value("Tasks", kNull) : kNull;
  auto old_by_name = by_name(old_tasks);
  auto new_by_name = by_name(new_tasks);
  bool task_changed = false;
  for (const std::string& task : ordered_names(old_tasks, new_tasks)) {
    const Json& o = old_by_name.count(task) ? *old_by_name[task] : kNull;
    const Json& n = new_by_name.count(task) ? *new_by_name[task] : kNull;
    TaskDiff t = diff_task(task, o, n, contextual);
    if (t.type == DiffType::kNone && !contextual) continue;
    task_changed = task_changed || t.type != DiffType::kNone;
    diff.tasks.push_back(std::move(t));
  }
  diff.type = overall(change_type(old_group, new_group), diff.fields, diff.objects);
  if (diff.type == DiffType::kNone && task_changed) diff.type = DiffType::kEdited;
  return diff;
}

Json job_json(const Job* job) {
  if (job == nullptr) return Json();
  Json j = to_json(*job);
  for (const std::string& key : kServerFields) j.erase(key);
  return j;
}

Json fields_json(const std::vector<FieldDiff>& fields) {
  if (fields.empty()) return Json();
  Json out = Json::array();
  for (const FieldDiff& f : fields) {
    Json annotations = Json();
    if (!f.annotations.empty()) annotations = f.annotations;
    out.push_back(Json{{"Type", diff_type_name(f.type)},
                       {"Name", f.name},
                       {"Old", f.old_value},
                       {"New", f.new_value},
                       {"Annotations", annotations}});
  }
  return out;
}

Json objects_json(const std::vector<ObjectDiff>& objects) {
  if (objects.empty()) return Json();
  Json out = Json::array();
  for (const ObjectDiff& o : objects) {
    out.push_back(Json{{"Type", diff_type_name(o.type)},
                       {"Name", o.name},
                       {"Fields", fields_json(o.fields)},
                       {"Objects", objects_json(o.objects)}});
  }
  return out;
}

}  // namespace

const char* diff_type_name(DiffType type) {
  switch (type) {
    case DiffType::kNone: return "None";
    case DiffType::kAdded: return "Added";
    case DiffType::kDeleted: return "Deleted";
    case DiffType::kEdited: return "Edited";
  }
  return "None";
}

JobDiff diff_jobs(const Job* old_job, const Job* new_job, bool contextual) {
  static const Json kNull;
  JobDiff diff;
  diff.id = new_job != nullptr ? new_job->id : (old_job != nullptr ? old_job->id : "");
  Json o = job_json(old_job);
  Json n = job_json(new_job);
  diff_members(o, n, contextual, {"TaskGroups", "ID"}, &diff.fields, &diff.objects);
  const Json& old_groups = o.is_object() ? o.value("TaskGroups", kNull) : kNull;
  const Json& new_groups = n.is_object() ? n.value("TaskGroups", kNull) : kNull;
  auto old_by_name = by_name(old_groups);
  auto new_by_name = by_name(new_groups);
  bool group_changed = false;
  for (const std::string& group : ordered_names(old_groups, new_groups)) {
    const Json& og = old_by_name.count(group) ? *old_by_name[group] : kNull;
    const Json& ng = new_by_name.count(group) ? *new_by_name[group] : kNull;
    TaskGroupDiff g = diff_group(group, og, ng, contextual);
    group_changed = group_changed || g.type != DiffType::kNone;
    // Every group is listed (unchanged ones as None) so the planner can attach
    // its per-group update counts, as Nomad's plan output shows them.
    diff.task_groups.push_back(std::move(g));
  }
  diff.type = overall(change_type(o, n), diff.fields, diff.objects);
  if (diff.type == DiffType::kNone && group_changed) diff.type = DiffType::kEdited;
  return diff;
}

nlohmann::ordered_json to_json(const JobDiff& diff) {
  Json groups = Json();
  if (!diff.task_groups.empty()) {
    groups = Json::array();
    for (const TaskGroupDiff& g : diff.task_groups) {
      Json tasks = Json();
      if (!g.tasks.empty()) {
        tasks = Json::array();
        for (const TaskDiff& t : g.tasks) {
          Json annotations = Json();
          if (!t.annotations.empty()) annotations = t.annotations;
          tasks.push_back(Json{{"Type", diff_type_name(t.type)},
                               {"Name", t.name},
                               {"Fields", fields_json(t.fields)},
                               {"Objects", objects_json(t.objects)},
                               {"Annotations", annotations}});
        }
      }
      Json updates = Json();
      if (!g.updates.empty()) updates = g.updates;
      groups.push_back(Json{{"Type", diff_type_name(g.type)},
                            {"Name", g.name},
                            {"Fields", fields_json(g.fields)},
                            {"Objects", objects_json(g.objects)},
                            {"Tasks", tasks},
                            {"Updates", updates}});
    }
  }
  return Json{{"Type", diff_type_name(diff.type)},
              {"ID", diff.id},
              {"Fields", fields_json(diff.fields)},
              {"Objects", objects_json(diff.objects)},
              {"TaskGroups", groups}};
}

}  // namespace caravan::model
