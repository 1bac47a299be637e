#include "harness.h"

namespace caravan::scheduler::testing {

std::vector<model::Allocation> Harness::placed() const {
  std::vector<model::Allocation> out;
  if (plans.empty()) return out;
  for (const auto& [node, allocs] : plans.back().node_allocation) {
    for (const model::Allocation& a : allocs) out.push_back(a);
  }
  return out;
}

std::vector<model::Allocation> Harness::stopped() const {
  std::vector<model::Allocation> out;
  if (plans.empty()) return out;
  for (const auto& [node, allocs] : plans.back().node_update) {
    for (const model::Allocation& a : allocs) out.push_back(a);
  }
  return out;
}

namespace fixtures {

model::Node node(const std::string& id) {
  model::Node n;
  n.id = id;
  n.name = "name-" + id;
  n.datacenter = "dc1";
  n.node_pool = "default";
  n.status = model::kNodeStatusReady;
  n.scheduling_eligibility = model::kNodeEligible;
  n.attributes = {{"kernel.name", "linux"}, {"cpu.arch", "amd64"}, {"os.version", "1.2.3"}};
  n.node_resources.cpu.cpu_shares = 4000;
  n.node_resources.cpu.total_cpu_cores = 4;
  n.node_resources.memory.memory_mb = 8192;
  n.node_resources.disk.disk_mb = 100 * 1024;
  n.node_resources.networks.push_back({"host", "eth0", "10.0.0.1", "10.0.0.1/32"});
  model::DriverInfo healthy;
  healthy.detected = true;
  healthy.healthy = true;
  n.drivers["raw_exec"] = healthy;
  n.drivers["exec"] = healthy;
  return n;
}

model::Job job(const std::string& id, int count) {
  model::Job j;
  j.id = id;
  j.name = id;
  j.namespace_name = "default";
  j.type = model::kJobTypeService;
  j.priority = 50;
  j.datacenters = {"*"};
  j.node_pool = "default";
  model::TaskGroup group;
  group.name = "web";
  group.count = count;
  group.ephemeral_disk = model::EphemeralDisk{false, 300, false};
  model::Task task;
  task.name = "server";
  task.driver = "raw_exec";
  task.config = model::RawJson::object({{"command", model::RawJson::string("/bin/sleep")}});
  task.resources.cpu = 500;
  task.resources.memory_mb = 256;
  group.tasks.push_back(task);
  j.task_groups.push_back(group);
  return j;
}

model::Allocation alloc(const std::shared_ptr<const model::Job>& job, const std::string& node_id,
                        int index, const std::string& id) {
  const model::TaskGroup& group = job->task_groups.front();
  model::Allocation a;
  a.id = id.empty() ? "alloc-" + node_id + "-" + std::to_string(index) : id;
  a.namespace_name = job->namespace_name;
  a.name = model::allocation_name(job->id, group.name, index);
  a.node_id = node_id;
  a.job_id = job->id;
  a.job = job;
  a.task_group = group.name;
  a.client_status = model::kAllocClientRunning;
  for (const model::Task& task : group.tasks) {
    a.allocated_resources.tasks[task.name].cpu_shares = task.resources.cpu;
    a.allocated_resources.tasks[task.name].memory_mb = task.resources.memory_mb;
  }
  a.allocated_resources.shared.disk_mb = 300;
  a.create_time = kNow - 1'000'000'000'000;
  a.modify_time = a.create_time;
  return a;
}

}  // namespace fixtures
}  // namespace caravan::scheduler::testing
