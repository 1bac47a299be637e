#include "api/stubs.h"

#include "model/model_json.h"

namespace caravan::api {

using Json = nlohmann::ordered_json;

Json job_summary(const state::StateView& state, const model::Job& job) {
  Json summary = Json::object();
  for (const model::TaskGroup& group : job.task_groups) {
    summary[group.name] = Json{{"Queued", 0},  {"Complete", 0}, {"Failed", 0}, {"Running", 0},
                               {"Starting", 0}, {"Lost", 0},    {"Unknown", 0}};
  }
  for (const state::AllocPtr& alloc : state.allocs_by_job(job.namespace_name, job.id)) {
    if (!summary.contains(alloc->task_group)) continue;
    Json& counts = summary[alloc->task_group];
    const std::string& status = alloc->client_status;
    if (status == model::kAllocClientPending) {
      if (!alloc->server_terminal()) counts["Starting"] = counts["Starting"].get<int>() + 1;
    } else if (status == model::kAllocClientRunning) {
      counts["Running"] = counts["Running"].get<int>() + 1;
    } else if (status == model::kAllocClientComplete) {
      counts["Complete"] = counts["Complete"].get<int>() + 1;
    } else if (status == model::kAllocClientFailed) {
      counts["Failed"] = counts["Failed"].get<int>() + 1;
    } else if (status == model::kAllocClientLost) {
      counts["Lost"] = counts["Lost"].get<int>() + 1;
    } else if (status == model::kAllocClientUnknown) {
      counts["Unknown"] = counts["Unknown"].get<int>() + 1;
    }
  }
  // Queued: what the latest evaluation could not place yet.
  const state::EvalPtr* latest = nullptr;
  std::vector<state::EvalPtr> evals = state.evals_by_job(job.namespace_name, job.id);
  for (const state::EvalPtr& eval : evals) {
    if (latest == nullptr || eval->create_index > (*latest)->create_index) latest = &eval;
  }
  if (latest != nullptr) {
    for (const auto& [group, queued] : (*latest)->queued_allocations) {
      if (summary.contains(group)) summary[group]["Queued"] = queued;
    }
  }
  return Json{{"JobID", job.id},
              {"Namespace", job.namespace_name},
              {"Summary", summary},
              {"Children", Json{{"Pending", 0}, {"Running", 0}, {"Dead", 0}}},
              {"CreateIndex", job.create_index},
              {"ModifyIndex", job.modify_index}};
}

Json job_list_stub(const state::StateView& state, const model::Job& job) {
  return Json{{"ID", job.id},
              {"ParentID", job.parent_id},
              {"Name", job.name},
              {"Namespace", job.namespace_name},
              {"Datacenters", job.datacenters},
              {"NodePool", job.node_pool},
              {"Multiregion", nullptr},
              {"Type", job.type},
              {"Priority", job.priority},
              {"Periodic", job.periodic.has_value()},
              {"ParameterizedJob", job.parameterized_job.has_value()},
              {"Stop", job.stop},
              {"Status", job.status},
              {"StatusDescription", job.status_description},
              {"JobSummary", job_summary(state, job)},
              {"CreateIndex", job.create_index},
              {"ModifyIndex", job.modify_index},
              {"JobModifyIndex", job.job_modify_index},
              {"SubmitTime", job.submit_time},
              {"Version", job.version}};
}

Json alloc_list_stub(const model::Allocation& alloc) {
  Json full = model::to_json(alloc);
  Json stub = Json::object();
  for (const char* key :
       {"ID", "EvalID", "Name", "Namespace", "NodeID", "NodeName", "JobID"}) {
    stub[key] = full[key];
  }
  stub["JobType"] = alloc.job ? alloc.job->type : "";
  stub["JobVersion"] = alloc.job ? alloc.job->version : 0;
  for (const char* key :
       {"TaskGroup", "AllocatedResources", "DesiredStatus", "DesiredDescription", "ClientStatus",
        "ClientDescription", "DesiredTransition", "TaskStates", "DeploymentStatus",
        "FollowupEvalID", "RescheduleTracker"}) {
    stub[key] = full[key];
  }
  stub["PreemptedAllocations"] = nullptr;
  stub["PreemptedByAllocation"] = "";
  for (const char* key : {"CreateIndex", "ModifyIndex", "CreateTime", "ModifyTime"}) {
    stub[key] = full[key];
  }
  return stub;
}

Json public_node(const model::Node& node) {
  Json j = model::to_json(node);
  j["SecretID"] = "";
  j["Drain"] = node.drain();
  return j;
}

Json node_list_stub(const model::Node& node) {
  auto address = node.attributes.find("unique.network.ip-address");
  Json drivers = Json::object();
  for (const auto& [name, info] : node.drivers) drivers[name] = model::to_json(info);
  return Json{{"Address", address != node.attributes.end() ? address->second : ""},
              {"ID", node.id},
              {"Datacenter", node.datacenter},
              {"Name", node.name},
              {"NodeClass", node.node_class},
              {"NodePool", node.node_pool},
              {"Version", node.attributes.count("caravan.version") ? node.attributes.at("caravan.version") : ""},
              {"Drain", node.drain()},
              {"SchedulingEligibility", node.scheduling_eligibility},
              {"Status", node.status},
              {"StatusDescription", node.status_description},
              {"Drivers", drivers},
              {"LastDrain", node.last_drain ? model::to_json(*node.last_drain) : Json()},
              {"CreateIndex", node.create_index},
              {"ModifyIndex", node.modify_index}};
}

}  // namespace caravan::api
