#include "cli/listings.h"

#include "cli/text_format.h"

namespace caravan::cli {
namespace {

size_t id_length(bool verbose) { return verbose ? 36 : 8; }

bool non_empty(const nlohmann::json& value) {
  return (value.is_object() || value.is_array()) && !value.empty();
}

}  // namespace

std::string job_type_text(const nlohmann::json& job) {
  std::string type = json_string(job, "Type");
  bool periodic = json_bool(job, "Periodic") || non_empty(json_member(job, "Periodic"));
  bool parameterized =
      json_bool(job, "ParameterizedJob") || non_empty(json_member(job, "ParameterizedJob"));
  if (periodic) return type + "/periodic";
  if (parameterized) return type + "/parameterized";
  return type;
}

std::string job_status_text(const nlohmann::json& job) {
  std::string status = json_string(job, "Status");
  if (json_bool(job, "Stop")) return status + " (stopped)";
  return status;
}

std::string format_job_list(const nlohmann::json& jobs) {
  if (!jobs.is_array() || jobs.empty()) return "No running jobs\n";
  std::vector<Row> rows{{"ID", "Type", "Priority", "Status", "Submit Date"}};
  for (const auto& job : jobs) {
    rows.push_back({json_string(job, "ID"), job_type_text(job),
                    std::to_string(json_int(job, "Priority")), job_status_text(job),
                    format_time(json_int(job, "SubmitTime"))});
  }
  return format_list(rows);
}

std::string format_alloc_list(const nlohmann::json& allocs, bool verbose, int64_t now) {
  if (!allocs.is_array() || allocs.empty()) return "No allocations placed\n";
  size_t n = id_length(verbose);
  std::vector<Row> rows;
  if (verbose) {
    rows.push_back({"ID", "Eval ID", "Node ID", "Node Name", "Task Group", "Version", "Desired",
                    "Status", "Created", "Modified"});
  } else {
    rows.push_back(
        {"ID", "Node ID", "Task Group", "Version", "Desired", "Status", "Created", "Modified"});
  }
  for (const auto& a : allocs) {
    int64_t version = a.contains("JobVersion") ? json_int(a, "JobVersion")
                                               : json_int(json_member(a, "Job"), "Version");
    int64_t created = json_int(a, "CreateTime");
    int64_t modified = json_int(a, "ModifyTime");
    if (verbose) {
      rows.push_back({short_id(json_string(a, "ID"), n), short_id(json_string(a, "EvalID"), n),
                      short_id(json_string(a, "NodeID"), n), json_string(a, "NodeName"),
                      json_string(a, "TaskGroup"), std::to_string(version),
                      json_string(a, "DesiredStatus"), json_string(a, "ClientStatus"),
                      format_time(created), format_time(modified)});
    } else {
      rows.push_back({short_id(json_string(a, "ID"), n), short_id(json_string(a, "NodeID"), n),
                      json_string(a, "TaskGroup"), std::to_string(version),
                      json_string(a, "DesiredStatus"), json_string(a, "ClientStatus"),
                      pretty_time_diff(created, now), pretty_time_diff(modified, now)});
    }
  }
  return format_list(rows);
}

std::string format_node_list(const nlohmann::json& nodes, bool verbose) {
  if (!nodes.is_array() || nodes.empty()) return "No nodes registered\n";
  Row header{"ID", "Node Pool", "DC", "Name", "Class"};
  if (verbose) header.insert(header.end(), {"Address", "Version"});
  header.insert(header.end(), {"Drain", "Eligibility", "Status"});
  std::vector<Row> rows{header};
  for (const auto& node : nodes) {
    Row row{short_id(json_string(node, "ID"), id_length(verbose)), json_string(node, "NodePool"),
            json_string(node, "Datacenter"), json_string(node, "Name"),
            json_string(node, "NodeClass")};
    if (verbose)
      row.insert(row.end(), {json_string(node, "Address"), json_string(node, "Version")});
    bool drain = json_bool(node, "Drain") || non_empty(json_member(node, "DrainStrategy"));
    row.insert(row.end(), {drain ? "true" : "false", json_string(node, "SchedulingEligibility"),
                           json_string(node, "Status")});
    rows.push_back(std::move(row));
  }
  return format_list(rows);
}

std::string format_eval_list(const nlohmann::json& evals, bool verbose) {
  if (!evals.is_array() || evals.empty()) return "No evals found\n";
  size_t n = id_length(verbose);
  std::vector<Row> rows{{"ID", "Priority", "Triggered By", "Job ID", "Namespace", "Node ID",
                         "Status", "Placement Failures"}};
  for (const auto& e : evals) {
    bool failures = non_empty(json_member(e, "FailedTGAllocs"));
    rows.push_back({short_id(json_string(e, "ID"), n), std::to_string(json_int(e, "Priority")),
                    json_string(e, "TriggeredBy"), json_string(e, "JobID"),
                    json_string(e, "Namespace"), short_id(json_string(e, "NodeID"), n),
                    json_string(e, "Status"), failures ? "true" : "false"});
  }
  return format_list(rows);
}

}  // namespace caravan::cli
