#include "model/node_usage.h"

#include <algorithm>

namespace caravan::model {

bool NodeUsage::port_used(int port) const {
  return std::binary_search(ports.begin(), ports.end(), port);
}

void NodeUsage::add_port(int port) {
  ports.insert(std::upper_bound(ports.begin(), ports.end(), port), port);
}

void NodeUsage::remove_port(int port) {
  auto it = std::lower_bound(ports.begin(), ports.end(), port);
  if (it != ports.end() && *it == port) ports.erase(it);
}

int NodeUsage::colliding_port() const {
  auto it = std::adjacent_find(ports.begin(), ports.end());
  return it == ports.end() ? 0 : *it;
}

std::vector<int> alloc_host_ports(const Allocation& alloc) {
  std::vector<int> ports;
  auto add = [&](int value) {
    if (value > 0 && std::find(ports.begin(), ports.end(), value) == ports.end()) {
      ports.push_back(value);
    }
  };
  const AllocatedSharedResources& shared = alloc.allocated_resources.shared;
  for (const AllocatedPort& port : shared.ports) add(port.value);
  for (const NetworkResource& net : shared.networks) {
    for (const Port& port : net.reserved_ports) add(port.value);
    for (const Port& port : net.dynamic_ports) add(port.value);
  }
  return ports;
}

void apply_alloc_usage(NodeUsage& usage, const Allocation& alloc, int sign) {
  const AllocatedResources& res = alloc.allocated_resources;
  for (const auto& [name, task] : res.tasks) {
    usage.cpu += sign * task.cpu_shares;
    usage.memory_mb += sign * task.memory_mb;
    for (int core : task.reserved_cores) {
      if (sign > 0) {
        usage.cores.push_back(core);
      } else if (auto it = std::find(usage.cores.begin(), usage.cores.end(), core);
                 it != usage.cores.end()) {
        usage.cores.erase(it);
      }
    }
  }
  usage.disk_mb += sign * res.shared.disk_mb;
  for (int port : alloc_host_ports(alloc)) {
    if (sign > 0) {
      usage.add_port(port);
    } else {
      usage.remove_port(port);
    }
  }
}

}  // namespace caravan::model
