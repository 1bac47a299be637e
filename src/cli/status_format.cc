#include "cli/status_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "cli/deployment_format.h"
#include "cli/listings.h"
#include "cli/plan_format.h"
#include "cli/text_format.h"
#include "core/duration.h"
#include "model/job_diff.h"
#include "model/model_json.h"

namespace caravan::cli {
namespace {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

const nlohmann::json& at(const nlohmann::json& object, std::string_view key) {
  return json_member(object, key);
}

bool present(const nlohmann::json& value) {
  return !value.is_null() && !((value.is_object() || value.is_array()) && value.empty());
}

std::string bool_text(bool b) { return b ? "true" : "false"; }

std::string join_strings(const nlohmann::json& list, std::string_view sep) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!out.empty()) out += sep;
    out += json_text(item);
  }
  return out;
}

// The "* reason" lines of a FailedTGAllocs entry, indented by `indent`.
std::string metric_reasons(const std::string& group, const nlohmann::json& metric_json,
                           int indent) {
  auto metric = model::from_json<model::AllocMetric>(metric_json, "FailedTGAllocs." + group);
  if (!metric)
    return std::string(static_cast<size_t>(indent), ' ') + "* " + metric.error().message() + "\n";
  return format_alloc_metric_reasons(*metric, indent);
}

std::string time_text(int64_t nanos, bool verbose, int64_t now) {
  return verbose ? format_time(nanos) : pretty_time_diff(nanos, now);
}

// Task order in alloc status: prestart, main (sidecars with them), poststart,
// poststop; by name within each.
int lifecycle_rank(const nlohmann::json& alloc, const std::string& task) {
  const nlohmann::json& groups = at(at(alloc, "Job"), "TaskGroups");
  if (!groups.is_array()) return 1;
  for (const auto& g : groups) {
    if (json_string(g, "Name") != json_string(alloc, "TaskGroup")) continue;
    const nlohmann::json& tasks = at(g, "Tasks");
    if (!tasks.is_array()) break;
    for (const auto& t : tasks) {
      if (json_string(t, "Name") != task) continue;
      std::string hook = json_string(at(t, "Lifecycle"), "Hook");
      if (hook == "prestart") return 0;
      if (hook == "poststart") return 2;
      if (hook == "poststop") return 3;
      return 1;
    }
  }
  return 1;
}

std::string event_description(const nlohmann::json& event) {
  std::string message = json_string(event, "DisplayMessage");
  if (message.empty()) message = json_string(event, "Message");
  if (message.empty()) message = json_string(event, "DriverError");
  if (message.empty() && json_string(event, "Type") == "Terminated") {
    message = fmt::format("Exit Code: {}", json_int(event, "ExitCode"));
    if (int64_t signal = json_int(event, "Signal"); signal != 0) {
      message += fmt::format(", Signal: {}", signal);
    }
  }
  return message;
}

}  // namespace

std::string format_job_status(const JobStatusData& data, bool verbose, int64_t now) {
  const nlohmann::json& job = data.job;
  std::string out = format_kv({
      {"ID", json_string(job, "ID")},
      {"Name", json_string(job, "Name")},
      {"Submit Date", format_time(json_int(job, "SubmitTime"))},
      {"Type", json_string(job, "Type")},
      {"Priority", std::to_string(json_int(job, "Priority"))},
      {"Datacenters", join_strings(at(job, "Datacenters"), ",")},
      {"Namespace", json_string(job, "Namespace")},
      {"Node Pool", json_string(job, "NodePool")},
      {"Status", job_status_text(job)},
      {"Periodic", bool_text(present(at(job, "Periodic")))},
      {"Parameterized", bool_text(present(at(job, "ParameterizedJob")))},
  });

  std::vector<Row> summary{
      {"Task Group", "Queued", "Starting", "Running", "Failed", "Complete", "Lost", "Unknown"}};
  const nlohmann::json& groups = at(data.summary, "Summary");
  if (groups.is_object()) {
    for (const auto& [name, s] : groups.items()) {  // sorted by task group name
      Row row{name};
      for (const char* key :
           {"Queued", "Starting", "Running", "Failed", "Complete", "Lost", "Unknown"}) {
        row.push_back(std::to_string(json_int(s, key)));
      }
      summary.push_back(std::move(row));
    }
  }
  out += "\nSummary\n" + format_list(summary);

  const nlohmann::json* latest_failed = nullptr;
  bool blocked = false;
  if (data.evals.is_array()) {
    for (const auto& e : data.evals) {
      if (present(at(e, "FailedTGAllocs")) &&
          (latest_failed == nullptr ||
           json_int(*latest_failed, "CreateIndex") < json_int(e, "CreateIndex"))) {
        latest_failed = &e;
      }
      if (json_string(e, "Status") == "blocked") blocked = true;
    }
  }
  if (verbose) {
    std::vector<Row> evals{{"ID", "Priority", "Triggered By", "Status", "Placement Failures"}};
    if (data.evals.is_array()) {
      for (const auto& e : data.evals) {
        evals.push_back({json_string(e, "ID"), std::to_string(json_int(e, "Priority")),
                         json_string(e, "TriggeredBy"), json_string(e, "Status"),
                         bool_text(present(at(e, "FailedTGAllocs")))});
      }
    }
    out += "\nEvaluations\n" + format_list(evals);
  }
  if (blocked && latest_failed != nullptr) {
    out += "\nPlacement Failure\n";
    bool first = true;
    for (const auto& [group, metric] : at(*latest_failed, "FailedTGAllocs").items()) {
      if (!first) out += "\n";
      first = false;
      out += fmt::format("Task Group \"{}\":\n", group) + metric_reasons(group, metric, 2);
    }
  }
  if (data.deployment.is_object()) {
    const size_t n = verbose ? 36 : 8;
    out += "\nLatest Deployment\n" +
           format_kv({{"ID", short_id(json_string(data.deployment, "ID"), n)},
                      {"Status", json_string(data.deployment, "Status")},
                      {"Description", json_string(data.deployment, "StatusDescription")}});
    if (std::string groups = format_deployed_groups(data.deployment); !groups.empty()) {
      out += "\nDeployed\n" + groups;
    }
  }
  out += "\nAllocations\n" + format_alloc_list(data.allocs, verbose, now);
  return out;
}

std::string format_alloc_status(const nlohmann::json& alloc, bool verbose, int64_t now) {
  size_t n = verbose ? 36 : 8;
  const nlohmann::json& job = at(alloc, "Job");
  int64_t version =
      alloc.contains("JobVersion") ? json_int(alloc, "JobVersion") : json_int(job, "Version");
  KeyValues basic{
      {"ID", json_string(alloc, "ID")},
      {"Eval ID", short_id(json_string(alloc, "EvalID"), n)},
      {"Name", json_string(alloc, "Name")},
      {"Node ID", short_id(json_string(alloc, "NodeID"), n)},
      {"Node Name", json_string(alloc, "NodeName")},
      {"Job ID", json_string(alloc, "JobID")},
      {"Job Version", std::to_string(version)},
      {"Client Status", json_string(alloc, "ClientStatus")},
      {"Client Description", json_string(alloc, "ClientDescription")},
      {"Desired Status", json_string(alloc, "DesiredStatus")},
      {"Desired Description", json_string(alloc, "DesiredDescription")},
      {"Created", time_text(json_int(alloc, "CreateTime"), verbose, now)},
      {"Modified", time_text(json_int(alloc, "ModifyTime"), verbose, now)},
  };
  if (std::string deployment = json_string(alloc, "DeploymentID"); !deployment.empty()) {
    basic.emplace_back("Deployment ID", short_id(deployment, n));
    const nlohmann::json& healthy = at(at(alloc, "DeploymentStatus"), "Healthy");
    basic.emplace_back("Deployment Health", healthy.is_boolean()
                                                ? (healthy.get<bool>() ? "healthy" : "unhealthy")
                                                : "unset");
  }
  if (std::string followup = json_string(alloc, "FollowupEvalID"); !followup.empty()) {
    basic.emplace_back("Follow-up Evaluation", short_id(followup, n));
  }
  if (verbose && at(alloc, "Metrics").is_object()) {
    const nlohmann::json& m = at(alloc, "Metrics");
    basic.emplace_back("Evaluated Nodes", std::to_string(json_int(m, "NodesEvaluated")));
    basic.emplace_back("Filtered Nodes", std::to_string(json_int(m, "NodesFiltered")));
    basic.emplace_back("Exhausted Nodes", std::to_string(json_int(m, "NodesExhausted")));
    basic.emplace_back("Allocation Time", format_duration(Duration(json_int(m, "AllocationTime"))));
    basic.emplace_back("Failures", std::to_string(json_int(m, "CoalescedFailures")));
  }
  std::string out = format_kv(basic);

  const nlohmann::json& resources = at(alloc, "AllocatedResources");
  const nlohmann::json& shared = at(resources, "Shared");
  const nlohmann::json& ports = at(shared, "Ports");
  if (ports.is_array() && !ports.empty()) {
    std::vector<Row> rows{{"Label", "Dynamic", "Address"}};
    for (const auto& p : ports) {
      // Static ports are the ones the job reserved; the rest were picked by the scheduler.
      bool dynamic = true;
      const nlohmann::json& groups = at(job, "TaskGroups");
      if (groups.is_array()) {
        for (const auto& g : groups) {
          if (json_string(g, "Name") != json_string(alloc, "TaskGroup")) continue;
          const nlohmann::json& networks = at(g, "Networks");
          if (!networks.is_array()) continue;
          for (const auto& net : networks) {
            const nlohmann::json& reserved = at(net, "ReservedPorts");
            if (!reserved.is_array()) continue;
            for (const auto& r : reserved) {
              if (json_string(r, "Label") == json_string(p, "Label")) dynamic = false;
            }
          }
        }
      }
      std::string ip = json_string(p, "HostIP");
      rows.push_back({(dynamic ? "*" : "") + json_string(p, "Label"), dynamic ? "yes" : "no",
                      fmt::format("{}:{}", ip.empty() ? "127.0.0.1" : ip, json_int(p, "Value"))});
    }
    out += "\nAllocation Addresses:\n" + format_list(rows);
  }

  const nlohmann::json& states = at(alloc, "TaskStates");
  std::vector<std::string> tasks;
  if (states.is_object()) {
    for (const auto& [name, state] : states.items()) tasks.push_back(name);
  }
  std::stable_sort(tasks.begin(), tasks.end(), [&](const std::string& a, const std::string& b) {
    int ra = lifecycle_rank(alloc, a), rb = lifecycle_rank(alloc, b);
    return ra != rb ? ra < rb : a < b;
  });
  for (const std::string& task : tasks) {
    const nlohmann::json& state = states[task];
    out += fmt::format("\nTask \"{}\" is \"{}\"\n", task, json_string(state, "State"));
    const nlohmann::json& task_resources = at(at(resources, "Tasks"), task);
    out += "Task Resources:\n" +
           format_list({{"CPU", "Memory", "Disk", "Addresses"},
                        {fmt::format("{} MHz", json_int(at(task_resources, "Cpu"), "CpuShares")),
                         format_mib(json_int(at(task_resources, "Memory"), "MemoryMB")),
                         format_mib(json_int(shared, "DiskMB")), ""}});
    out += "\nTask Events:\n" +
           format_kv({{"Started At", format_task_time(json_string(state, "StartedAt"))},
                      {"Finished At", format_task_time(json_string(state, "FinishedAt"))},
                      {"Total Restarts", std::to_string(json_int(state, "Restarts"))},
                      {"Last Restart", format_task_time(json_string(state, "LastRestart"))}});
    std::vector<Row> events{{"Time", "Type", "Description"}};
    const nlohmann::json& list = at(state, "Events");
    if (list.is_array()) {
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        events.push_back(
            {format_time(json_int(*it, "Time")), json_string(*it, "Type"), event_description(*it)});
      }
    }
    out += "\nRecent Events:\n" + format_list(events);
  }
  return out;
}

namespace {

// Drain Deadline and Drain Progress while the node drains; Last Drain after.
void append_drain_rows(const nlohmann::json& node, const nlohmann::json& allocs, KeyValues& rows) {
  const nlohmann::json& strategy = at(node, "DrainStrategy");
  if (present(strategy)) {
    int64_t deadline = json_int(at(strategy, "DrainSpec"), "Deadline");
    int64_t force_at = json_int(strategy, "ForceDeadline");
    rows.emplace_back("Drain Deadline", deadline < 0    ? std::string("now (forced)")
                                        : deadline == 0 ? std::string("none")
                                                        : format_time(force_at));
    int left = 0, stopping = 0;
    if (allocs.is_array()) {
      for (const nlohmann::json& alloc : allocs) {
        std::string status = json_string(alloc, "ClientStatus");
        if (status == "complete" || status == "failed" || status == "lost") continue;
        ++left;
        if (json_string(alloc, "DesiredStatus") != "run" ||
            json_bool(at(alloc, "DesiredTransition"), "Migrate")) {
          ++stopping;
        }
      }
    }
    rows.emplace_back("Drain Progress", std::to_string(left) + " allocation(s) left, " +
                                            std::to_string(stopping) + " migrating");
  }
  const nlohmann::json& last = at(node, "LastDrain");
  if (present(last)) {
    rows.emplace_back("Last Drain", json_string(last, "Status") + " (updated " +
                                        format_task_time(json_string(last, "UpdatedAt")) + ")");
  }
}

}  // namespace

std::string format_node_status(const nlohmann::json& node, const nlohmann::json& allocs,
                               bool verbose, int64_t now) {
  std::vector<std::string> drivers;
  const nlohmann::json& driver_map = at(node, "Drivers");
  const nlohmann::json no_drivers = nlohmann::json::object();
  const nlohmann::json& sorted_drivers = driver_map.is_object() ? driver_map : no_drivers;
  for (const auto& [name, info] : sorted_drivers.items()) {
    if (!json_bool(info, "Detected")) continue;
    drivers.push_back(json_bool(info, "Healthy") ? name : name + " (unhealthy)");
  }
  std::string driver_text;
  for (const auto& d : drivers) driver_text += (driver_text.empty() ? "" : ",") + d;

  KeyValues basic{
      {"ID", json_string(node, "ID")},
      {"Name", json_string(node, "Name")},
      {"Node Pool", json_string(node, "NodePool")},
      {"Class", json_string(node, "NodeClass")},
      {"DC", json_string(node, "Datacenter")},
      {"Drain", bool_text(present(at(node, "DrainStrategy")) || json_bool(node, "Drain"))},
      {"Eligibility", json_string(node, "SchedulingEligibility")},
      {"Status", json_string(node, "Status")},
  };
  append_drain_rows(node, allocs, basic);
  if (!verbose) basic.emplace_back("Driver Status", driver_text);
  std::string out = format_kv(basic);

  if (verbose) {
    std::vector<Row> rows{{"Driver", "Detected", "Healthy", "Message", "Time"}};
    for (const auto& [name, info] : sorted_drivers.items()) {
      std::optional<int64_t> updated = parse_rfc3339(json_string(info, "UpdateTime"));
      rows.push_back({name, bool_text(json_bool(info, "Detected")),
                      bool_text(json_bool(info, "Healthy")), json_string(info, "HealthDescription"),
                      format_time(updated.value_or(0))});
    }
    out += "\nDrivers\n" + format_list(rows);
  }

  std::vector<Row> events{{"Time", "Subsystem", "Message"}};
  if (verbose) events[0].push_back("Details");
  const nlohmann::json& event_list = at(node, "Events");
  if (event_list.is_array()) {
    for (auto it = event_list.rbegin(); it != event_list.rend(); ++it) {
      int64_t ts = 0;
      const nlohmann::json& t = at(*it, "Timestamp");
      if (t.is_number()) ts = t.get<int64_t>();
      if (t.is_string()) ts = parse_rfc3339(t.get<std::string>()).value_or(0);
      Row row{format_time(ts), json_string(*it, "Subsystem"), json_string(*it, "Message")};
      if (verbose) {
        std::string details;
        const nlohmann::json& d = at(*it, "Details");
        if (d.is_object()) {
          for (const auto& [k, v] : d.items()) {
            details += (details.empty() ? "" : ", ") + k + ": " + json_text(v);
          }
        }
        row.push_back(details);
      }
      events.push_back(std::move(row));
    }
  }
  out += "\nNode Events\n" + format_list(events);

  const nlohmann::json& total = at(node, "NodeResources");
  const nlohmann::json& reserved = at(node, "ReservedResources");
  int64_t cpu_total =
      json_int(at(total, "Cpu"), "CpuShares") - json_int(at(reserved, "Cpu"), "CpuShares");
  int64_t mem_total =
      json_int(at(total, "Memory"), "MemoryMB") - json_int(at(reserved, "Memory"), "MemoryMB");
  int64_t disk_total =
      json_int(at(total, "Disk"), "DiskMB") - json_int(at(reserved, "Disk"), "DiskMB");
  int64_t cpu = 0, mem = 0, disk = 0;
  if (allocs.is_array()) {
    for (const auto& a : allocs) {
      std::string client = json_string(a, "ClientStatus");
      if (json_string(a, "DesiredStatus") != "run" || client == "complete" || client == "failed" ||
          client == "lost") {
        continue;
      }
      const nlohmann::json& r = at(a, "AllocatedResources");
      const nlohmann::json& tasks = at(r, "Tasks");
      if (tasks.is_object()) {
        for (const auto& [name, t] : tasks.items()) {
          cpu += json_int(at(t, "Cpu"), "CpuShares");
          mem += json_int(at(t, "Memory"), "MemoryMB");
        }
      }
      disk += json_int(at(r, "Shared"), "DiskMB");
    }
  }
  out +=
      "\nAllocated Resources\n" + format_list({{"CPU", "Memory", "Disk"},
                                               {fmt::format("{}/{} MHz", cpu, cpu_total),
                                                format_mib(mem) + "/" + format_mib(mem_total),
                                                format_mib(disk) + "/" + format_mib(disk_total)}});

  if (verbose) {
    for (const char* section : {"Attributes", "Meta"}) {
      const nlohmann::json& values = at(node, section);
      KeyValues rows;
      if (values.is_object()) {
        for (const auto& [k, v] : values.items()) rows.emplace_back(k, json_text(v));
      }
      if (!rows.empty()) out += fmt::format("\n{}\n", section) + format_kv(rows);
    }
  }
  out += "\nAllocations\n" + format_alloc_list(allocs, verbose, now);
  return out;
}

std::string format_eval_status(const nlohmann::json& eval, const nlohmann::json& allocs,
                               bool verbose, int64_t now) {
  size_t n = verbose ? 36 : 8;
  const nlohmann::json& failed = at(eval, "FailedTGAllocs");
  bool failures = present(failed);
  std::string description = json_string(eval, "StatusDescription");
  if (description.empty()) description = json_string(eval, "Status");
  KeyValues basic{
      {"ID", short_id(json_string(eval, "ID"), n)},
      {"Create Time", time_text(json_int(eval, "CreateTime"), verbose, now)},
      {"Modify Time", time_text(json_int(eval, "ModifyTime"), verbose, now)},
      {"Status", json_string(eval, "Status")},
      {"Status Description", description},
      {"Type", json_string(eval, "Type")},
      {"TriggeredBy", json_string(eval, "TriggeredBy")},
  };
  if (std::string job = json_string(eval, "JobID"); !job.empty()) basic.emplace_back("Job ID", job);
  if (std::string node = json_string(eval, "NodeID"); !node.empty()) {
    basic.emplace_back("Node ID", short_id(node, n));
  }
  if (std::string deployment = json_string(eval, "DeploymentID"); !deployment.empty()) {
    basic.emplace_back("Deployment ID", short_id(deployment, n));
  }
  basic.emplace_back("Namespace", json_string(eval, "Namespace"));
  basic.emplace_back("Priority", std::to_string(json_int(eval, "Priority")));
  basic.emplace_back("Placement Failures", bool_text(failures));
  for (const auto& [label, key] :
       {std::pair{"Previous Eval", "PreviousEval"}, std::pair{"Next Eval", "NextEval"},
        std::pair{"Blocked Eval", "BlockedEval"}}) {
    basic.emplace_back(label, short_id(json_string(eval, key), n));
  }
  std::string out = format_kv(basic);
  out += "\nPlaced Allocations\n" + format_alloc_list(allocs, verbose, now);
  if (failures) {
    out += "\nFailed Placements\n";
    for (const auto& [group, metric] : failed.items()) {
      int64_t count = json_int(metric, "CoalescedFailures") + 1;
      out += fmt::format("Task Group \"{}\" (failed to place {} allocation{}):\n", group, count,
                         count == 1 ? "" : "s") +
             metric_reasons(group, metric, 2);
    }
    if (std::string blocked = json_string(eval, "BlockedEval"); !blocked.empty()) {
      out += fmt::format("\nEvaluation \"{}\" waiting for additional capacity to place remainder\n",
                         short_id(blocked, n));
    }
  }
  return out;
}

Result<std::string> format_job_history(const nlohmann::json& versions, bool show_diffs) {
  const nlohmann::json& list = versions.is_object() ? at(versions, "Versions") : versions;
  std::vector<model::Job> jobs;
  if (list.is_array()) {
    for (size_t i = 0; i < list.size(); ++i) {
      Result<model::Job> job =
          model::from_json<model::Job>(list[i], fmt::format("Versions[{}]", i));
      if (!job) return job.error();
      jobs.push_back(std::move(job).value());
    }
  }
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const model::Job& a, const model::Job& b) { return a.version > b.version; });
  std::string out;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const model::Job& job = jobs[i];
    if (i > 0) out += "\n";
    KeyValues rows{{"Version", std::to_string(job.version)},
                   {"Stable", bool_text(job.stable)},
                   {"Submit Date", format_time(job.submit_time)}};
    bool with_diff = show_diffs && i + 1 < jobs.size();
    if (with_diff) rows.emplace_back("Diff", "");
    std::string block = format_kv(rows, "");
    if (with_diff) {
      std::string diff = format_job_diff(model::diff_jobs(&jobs[i + 1], &job), false);
      while (!diff.empty() && diff.back() == '\n') diff.pop_back();
      block += diff + "\n";
    }
    out += block;
  }
  return out;
}

}  // namespace caravan::cli
