#include "cli/plan_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "cli/job_diff_json.h"
#include "model/model_json.h"
#include "model/plan.h"

namespace caravan::cli {
namespace {

using model::DiffType;

const char* marker(DiffType type) {
  switch (type) {
    case DiffType::kAdded: return "+";
    case DiffType::kDeleted: return "-";
    case DiffType::kEdited: return "+/-";
    case DiffType::kNone: return "";
  }
  return "";
}

// The prefix of a line: the marker padded so names line up, as nomad does.
std::string prefix(DiffType type, int indent) {
  std::string m = marker(type);
  return std::string(static_cast<size_t>(indent), ' ') + m + (m.empty() ? "  " : " ");
}

void append_field(std::string& out, const model::FieldDiff& f, int indent, size_t name_width) {
  std::string name = f.name + ":";
  name.resize(std::max(name.size(), name_width + 1), ' ');
  std::string value;
  switch (f.type) {
    case DiffType::kAdded: value = fmt::format("\"{}\"", f.new_value); break;
    case DiffType::kDeleted: value = fmt::format("\"{}\"", f.old_value); break;
    case DiffType::kEdited: value = fmt::format("\"{}\" => \"{}\"", f.old_value, f.new_value); break;
    case DiffType::kNone: value = fmt::format("\"{}\"", f.new_value); break;
  }
  out += prefix(f.type, indent) + name + " " + value;
  if (!f.annotations.empty()) {
    std::string joined;
    for (const std::string& a : f.annotations) joined += (joined.empty() ? "" : ", ") + a;
    out += " (" + joined + ")";
  }
  out += "\n";
}

size_t widest(const std::vector<model::FieldDiff>& fields) {
  size_t width = 0;
  for (const auto& f : fields) width = std::max(width, f.name.size());
  return width;
}

void append_fields_and_objects(std::string& out, const std::vector<model::FieldDiff>& fields,
                               const std::vector<model::ObjectDiff>& objects, int indent);

void append_object(std::string& out, const model::ObjectDiff& o, int indent) {
  out += prefix(o.type, indent) + o.name + " {\n";
  append_fields_and_objects(out, o.fields, o.objects, indent + 2);
  out += std::string(static_cast<size_t>(indent), ' ') + "    }\n";
}

void append_fields_and_objects(std::string& out, const std::vector<model::FieldDiff>& fields,
                               const std::vector<model::ObjectDiff>& objects, int indent) {
  size_t width = widest(fields);
  for (const auto& f : fields) append_field(out, f, indent, width);
  for (const auto& o : objects) append_object(out, o, indent);
}

std::string group_updates(const std::map<std::string, int>& updates) {
  std::string out;
  for (const auto& [kind, count] : updates) {
    if (count == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", count, kind);
  }
  return out.empty() ? "" : " (" + out + ")";
}

}  // namespace

std::string format_job_diff(const model::JobDiff& diff, bool verbose) {
  (void)verbose;  // the diff itself carries unchanged fields when it was computed contextually
  std::string out = prefix(diff.type, 0) + fmt::format("Job: \"{}\"\n", diff.id);
  append_fields_and_objects(out, diff.fields, diff.objects, 0);
  for (const model::TaskGroupDiff& g : diff.task_groups) {
    out += prefix(g.type, 0) + fmt::format("Task Group: \"{}\"{}\n", g.name, group_updates(g.updates));
    append_fields_and_objects(out, g.fields, g.objects, 2);
    for (const model::TaskDiff& t : g.tasks) {
      std::string annotations;
      for (const std::string& a : t.annotations) annotations += (annotations.empty() ? "" : ", ") + a;
      out += prefix(t.type, 2) + fmt::format("Task: \"{}\"{}\n", t.name,
                                             annotations.empty() ? "" : " (" + annotations + ")");
      append_fields_and_objects(out, t.fields, t.objects, 4);
    }
  }
  return out;
}

std::string format_alloc_metric(const std::string& group, const model::AllocMetric& metric,
                                int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  int failed = metric.coalesced_failures + 1;
  return fmt::format("{}Task Group \"{}\" (failed to place {} allocation{}):\n", pad, group, failed,
                     failed == 1 ? "" : "s") +
         format_alloc_metric_reasons(metric, indent + 2);
}

std::string format_alloc_metric_reasons(const model::AllocMetric& metric, int indent) {
  std::string out;
  std::string item = std::string(static_cast<size_t>(indent), ' ') + "* ";
  if (metric.nodes_evaluated == 0) out += item + "No nodes were eligible for evaluation\n";
  for (const auto& [dc, count] : metric.nodes_available) {
    if (count == 0) out += fmt::format("{}No nodes are available in datacenter \"{}\"\n", item, dc);
  }
  for (const auto& [node_class, count] : metric.class_filtered) {
    out += fmt::format("{}Class \"{}\": {} nodes excluded by filter\n", item, node_class, count);
  }
  for (const auto& [constraint, count] : metric.constraint_filtered) {
    out +=
        fmt::format("{}Constraint \"{}\": {} nodes excluded by filter\n", item, constraint, count);
  }
  if (metric.nodes_exhausted > 0) {
    out += fmt::format("{}Resources exhausted on {} nodes\n", item, metric.nodes_exhausted);
  }
  for (const auto& [node_class, count] : metric.class_exhausted) {
    out += fmt::format("{}Class \"{}\" exhausted on {} nodes\n", item, node_class, count);
  }
  for (const auto& [dimension, count] : metric.dimension_exhausted) {
    out += fmt::format("{}Dimension \"{}\" exhausted on {} nodes\n", item, dimension, count);
  }
  for (const std::string& quota : metric.quota_exhausted) {
    out += fmt::format("{}Quota limit hit \"{}\"\n", item, quota);
  }
  return out;
}

std::string format_dry_run(const std::map<std::string, model::AllocMetric>& failed) {
  std::string out = "Scheduler dry-run:\n";
  if (failed.empty()) return out + "- All tasks successfully allocated.\n";
  out += "- WARNING: Failed to place all allocations.\n";
  for (const auto& [group, metric] : failed) out += format_alloc_metric(group, metric, 2);
  return out;
}

std::string format_check_index_help(int64_t job_modify_index, std::string_view path) {
  return fmt::format(
      "Job Modify Index: {0}\n"
      "To submit the job with version verification run:\n\n"
      "caravan job run -check-index {0} {1}\n\n"
      "When running the job with the check-index flag, the job will only be run if the\n"
      "job modify index given matches the server-side version. If the index has\n"
      "changed, another user has modified the job and the plan's results are\n"
      "potentially invalid.\n",
      job_modify_index, path);
}

Result<PlanOutput> format_plan_response(const nlohmann::json& response, std::string_view path,
                                        bool show_diff, bool verbose) {
  if (!response.is_object()) return invalid_argument("the plan response is not a JSON object");
  PlanOutput output;
  const nlohmann::json kNull;
  const nlohmann::json& diff_json = response.contains("Diff") ? response["Diff"] : kNull;
  if (show_diff && diff_json.is_object()) {
    std::string text = format_job_diff(decode_job_diff(diff_json), verbose);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    output.text += text + "\n\n";
  }
  std::map<std::string, model::AllocMetric> failed;
  if (response.contains("FailedTGAllocs") && response["FailedTGAllocs"].is_object()) {
    for (const auto& [group, metric_json] : response["FailedTGAllocs"].items()) {
      Result<model::AllocMetric> metric =
          model::from_json<model::AllocMetric>(metric_json, "FailedTGAllocs." + group);
      if (!metric) return metric.error();
      failed[group] = std::move(metric).value();
    }
  }
  output.text += format_dry_run(failed) + "\n";
  if (response.contains("Warnings") && response["Warnings"].is_string() &&
      !response["Warnings"].get<std::string>().empty()) {
    output.text += "Job Warnings:\n" + response["Warnings"].get<std::string>() + "\n\n";
  }
  int64_t index = 0;
  if (response.contains("JobModifyIndex") && response["JobModifyIndex"].is_number()) {
    index = response["JobModifyIndex"].get<int64_t>();
  }
  output.text += format_check_index_help(index, path);

  if (!diff_json.is_null() && response.contains("Annotations") &&
      response["Annotations"].is_object()) {
    Result<model::PlanAnnotations> annotations =
        model::from_json<model::PlanAnnotations>(response["Annotations"], "Annotations");
    if (!annotations) return annotations.error();
    for (const auto& [group, u] : annotations->desired_tg_updates) {
      if (u.place + u.stop + u.migrate + u.destructive_update + u.canary > 0) output.changes = true;
    }
  }
  return output;
}

}  // namespace caravan::cli
