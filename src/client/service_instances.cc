#include "client/service_instances.h"

#include <fmt/format.h>

namespace caravan::client {
namespace {

// The instance's own address and port: the service's port label resolved as a
// check without a port of its own would be (host IP and port by default).
Result<CheckTarget> instance_target(const model::Allocation& alloc, const model::Node& node,
                                    const model::Service& service) {
  if (service.port_label.empty()) {
    auto ip = node.attributes.find("unique.network.ip-address");
    return CheckTarget{ip == node.attributes.end() ? "127.0.0.1" : ip->second, 0};
  }
  model::ServiceCheck as_check;
  as_check.type = "tcp";
  as_check.address_mode = service.address_mode;
  return resolve_check_target(service, as_check, alloc.allocated_resources.shared);
}

Result<PlannedInstance> plan_instance(const model::Allocation& alloc, const model::Node& node,
                                      const model::Service& service, const std::string& task,
                                      const std::string& env_task,
                                      const Interpolate& interpolate) {
  PlannedInstance planned;
  planned.task = task;
  planned.service = service;
  model::ServiceRegistration& r = planned.registration;
  std::string name = interpolate(env_task, service.name);
  CheckTarget target = CARAVAN_TRY(instance_target(alloc, node, service));
  std::string owner = task.empty() ? "group-" + alloc.task_group : task;
  r.id = model::service_registration_id(alloc.id, owner, name, service.port_label);
  r.service_name = name;
  r.namespace_name = alloc.namespace_name;
  r.node_id = alloc.node_id;
  r.datacenter = node.datacenter;
  r.job_id = alloc.job_id;
  r.alloc_id = alloc.id;
  r.address = service.address.empty() ? target.address : interpolate(env_task, service.address);
  r.port = target.port;
  r.provider = service.provider.empty() ? "nomad" : service.provider;
  r.canary = alloc.deployment_status && alloc.deployment_status->canary;
  const std::vector<std::string>& tags =
      r.canary && !service.canary_tags.empty() ? service.canary_tags : service.tags;
  for (const std::string& tag : tags) r.tags.push_back(interpolate(env_task, tag));
  const auto& meta = r.canary && !service.canary_meta.empty() ? service.canary_meta : service.meta;
  for (const auto& [key, value] : meta) r.meta[key] = interpolate(env_task, value);

  for (size_t i = 0; i < service.checks.size(); ++i) {
    const model::ServiceCheck& check = service.checks[i];
    PlannedCheck planned_check;
    planned_check.check = check;
    planned_check.name = check.name.empty()
                             ? fmt::format("service: \"{}\" check", name) +
                                   (service.checks.size() > 1 ? fmt::format(" {}", i) : "")
                             : check.name;
    planned_check.id = fmt::format("{}-{}", r.id, planned_check.name);
    planned_check.task = check.task_name.empty() ? env_task : check.task_name;

    model::ServiceCheckStatus status;
    status.id = planned_check.id;
    status.name = planned_check.name;
    status.type = check.type;
    status.status = check.initial_status.empty() ? std::string(model::kCheckCritical)
                                                 : check.initial_status;
    status.output = "not checked yet";
    r.checks.push_back(std::move(status));
    planned.checks.push_back(std::move(planned_check));
  }
  return planned;
}

}  // namespace

Result<std::vector<PlannedInstance>> plan_service_instances(const model::Allocation& alloc,
                                                            const model::Node& node,
                                                            const Interpolate& interpolate) {
  std::vector<PlannedInstance> out;
  if (alloc.job == nullptr) return out;
  const model::TaskGroup* group = nullptr;
  for (const model::TaskGroup& g : alloc.job->task_groups) {
    if (g.name == alloc.task_group) group = &g;
  }
  if (group == nullptr) return out;
  std::string first_task = group->tasks.empty() ? "" : group->tasks.front().name;
  for (const model::Service& service : group->services) {
    std::string env_task = service.task_name.empty() ? first_task : service.task_name;
    out.push_back(CARAVAN_TRY(plan_instance(alloc, node, service, "", env_task, interpolate)));
  }
  for (const model::Task& task : group->tasks) {
    for (const model::Service& service : task.services) {
      out.push_back(CARAVAN_TRY(plan_instance(alloc, node, service, task.name, task.name, interpolate)));
    }
  }
  return out;
}

}  // namespace caravan::client
