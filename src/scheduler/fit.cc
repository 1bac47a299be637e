#include "scheduler/fit.h"

#include <algorithm>

#include "scheduler/ports.h"

namespace caravan::scheduler {
namespace {

std::string host_ip(const model::Node& node) {
  for (const model::NodeNetwork& net : node.node_resources.networks) {
    if (!net.ip.empty()) return net.ip;
  }
  auto it = node.attributes.find("unique.network.ip-address");
  return it == node.attributes.end() ? std::string() : it->second;
}

// Every network the group asks for: group networks, then legacy task networks.
std::vector<const model::NetworkResource*> group_networks(const model::TaskGroup& group) {
  std::vector<const model::NetworkResource*> out;
  for (const model::NetworkResource& net : group.networks) out.push_back(&net);
  for (const model::Task& task : group.tasks) {
    for (const model::NetworkResource& net : task.resources.networks) out.push_back(&net);
  }
  return out;
}

// Grants the group's ports and fills `result.resources.shared`; false on collision.
bool fit_ports(const model::TaskGroup& group, const model::Node& node, const NodeUsage& usage,
               std::mt19937_64& rng, FitResult& result) {
  std::vector<const model::NetworkResource*> networks = group_networks(group);
  std::vector<PortAsk> asks;
  for (const model::NetworkResource* net : networks) {
    for (const model::Port& port : net->reserved_ports) asks.push_back({port.label, port.value});
    for (const model::Port& port : net->dynamic_ports) asks.push_back({port.label, 0});
  }
  if (asks.empty()) {
    for (const model::NetworkResource* net : networks)
      result.resources.shared.networks.push_back(*net);
    return true;
  }
  const model::NodeResources& nr = node.node_resources;
  PortGrant grant = grant_ports(asks, usage, nr.min_dynamic_port, nr.max_dynamic_port, rng);
  if (!grant.error.empty()) {
    result.exhausted = std::move(grant.error);
    return false;
  }
  std::string ip = host_ip(node);
  size_t next = 0;
  for (const model::NetworkResource* net : networks) {
    model::NetworkResource granted = *net;
    granted.ip = ip;
    for (auto* ports : {&granted.reserved_ports, &granted.dynamic_ports}) {
      for (model::Port& port : *ports) {
        port.value = grant.values[next++];
        result.resources.shared.ports.push_back({port.label, port.value, port.to, ip});
      }
    }
    result.resources.shared.networks.push_back(std::move(granted));
  }
  return true;
}

// Whether the group's ports would fit, decided without choosing any: what
// grant_ports would say (it scans the whole range before giving up), cheaply.
// Returns the exhausted dimension, or "" when they fit.
std::string ports_exhausted(const model::TaskGroup& group, const model::Node& node,
                            const NodeUsage& usage) {
  std::vector<int> statics;
  int dynamic = 0;
  for (const model::NetworkResource* net : group_networks(group)) {
    for (const model::Port& port : net->reserved_ports) {
      if (usage.port_used(port.value) ||
          std::find(statics.begin(), statics.end(), port.value) != statics.end()) {
        return "network: reserved port collision " + port.label + "=" + std::to_string(port.value);
      }
      statics.push_back(port.value);
    }
    dynamic += static_cast<int>(net->dynamic_ports.size());
  }
  if (dynamic == 0) return "";
  int lo = node.node_resources.min_dynamic_port;
  int hi = node.node_resources.max_dynamic_port;
  if (lo <= 0 || hi < lo) {
    lo = 20000;
    hi = 32000;
  }
  int used = 0;  // distinct ports of the range held already or asked statically
  auto first = std::lower_bound(usage.ports.begin(), usage.ports.end(), lo);
  auto last = std::upper_bound(usage.ports.begin(), usage.ports.end(), hi);
  for (auto it = first; it != last; ++it) {
    if (it == first || *it != *(it - 1)) ++used;
  }
  for (int port : statics) {
    if (port >= lo && port <= hi) ++used;  // not held (checked above): taken by this ask
  }
  if (hi - lo + 1 - used < dynamic) return "network: dynamic port selection failed";
  return "";
}

int64_t mhz_per_core(const model::Node& node) {
  const model::NodeCpuResources& cpu = node.node_resources.cpu;
  return cpu.total_cpu_cores > 0 ? cpu.cpu_shares / cpu.total_cpu_cores : 0;
}

// Free reservable cores of the node, in order.
std::vector<int> free_cores(const model::Node& node, const NodeUsage& usage) {
  const model::NodeCpuResources& cpu = node.node_resources.cpu;
  std::vector<int> free;
  auto consider = [&](int core) {
    if (std::find(usage.cores.begin(), usage.cores.end(), core) == usage.cores.end()) {
      free.push_back(core);
    }
  };
  if (!cpu.reservable_cpu_cores.empty()) {
    for (int core : cpu.reservable_cpu_cores) consider(core);
  } else {
    for (int core = 0; core < cpu.total_cpu_cores; ++core) consider(core);
  }
  return free;
}

int group_cores(const model::TaskGroup& group) {
  int cores = 0;
  for (const model::Task& task : group.tasks) cores += std::max(task.resources.cores, 0);
  return cores;
}

// Picks free reservable cores for tasks that ask for whole cores.
bool fit_cores(const model::TaskGroup& group, const model::Node& node, const NodeUsage& usage,
               FitResult& result) {
  std::vector<int> free = free_cores(node, usage);
  size_t next = 0;
  for (const model::Task& task : group.tasks) {
    model::AllocatedTaskResources& granted = result.resources.tasks[task.name];
    if (task.resources.cores <= 0) continue;
    if (free.size() - next < static_cast<size_t>(task.resources.cores)) {
      result.exhausted = "cores";
      return false;
    }
    for (int i = 0; i < task.resources.cores; ++i) granted.reserved_cores.push_back(free[next++]);
  }
  return true;
}

}  // namespace

NodeCapacity node_capacity(const model::Node& node) {
  const model::NodeResources& nr = node.node_resources;
  const model::NodeReservedResources& reserved = node.reserved_resources;
  return {nr.cpu.cpu_shares - reserved.cpu_shares, nr.memory.memory_mb - reserved.memory_mb,
          nr.disk.disk_mb - reserved.disk_mb};
}

int64_t group_disk_mb(const model::TaskGroup& group) {
  if (group.ephemeral_disk) return group.ephemeral_disk->size_mb;
  int64_t total = 0;
  for (const model::Task& task : group.tasks) total += task.resources.disk_mb;
  return total;
}

FitResult fit_group(const model::TaskGroup& group, const model::Node& node, const NodeUsage& usage,
                    std::mt19937_64& rng, bool grant) {
  FitResult result;
  if (grant) {
    if (!fit_ports(group, node, usage, rng, result)) return result;
    if (!fit_cores(group, node, usage, result)) return result;
  } else {
    result.exhausted = ports_exhausted(group, node, usage);
    if (!result.exhausted.empty()) return result;
    if (free_cores(node, usage).size() < static_cast<size_t>(group_cores(group))) {
      result.exhausted = "cores";
      return result;
    }
  }
  int64_t cpu = 0;
  int64_t memory = 0;
  for (const model::Task& task : group.tasks) {
    int64_t task_cpu = task.resources.cores > 0 ? task.resources.cores * mhz_per_core(node)
                                                : task.resources.cpu;
    cpu += task_cpu;
    memory += task.resources.memory_mb;
    if (grant) {
      model::AllocatedTaskResources& granted = result.resources.tasks[task.name];
      granted.cpu_shares = task_cpu;
      granted.memory_mb = task.resources.memory_mb;
      granted.memory_max_mb = task.resources.memory_max_mb;
    }
  }
  int64_t disk = group_disk_mb(group);
  if (grant) result.resources.shared.disk_mb = disk;
  NodeCapacity cap = node_capacity(node);
  if (usage.cpu + cpu > cap.cpu) {
    result.exhausted = "cpu";
  } else if (usage.memory_mb + memory > cap.memory_mb) {
    result.exhausted = "memory";
  } else if (usage.disk_mb + disk > cap.disk_mb) {
    result.exhausted = "disk";
  } else {
    result.fits = true;
    result.cpu_after = usage.cpu + cpu;
    result.memory_after = usage.memory_mb + memory;
  }
  return result;
}

}  // namespace caravan::scheduler
