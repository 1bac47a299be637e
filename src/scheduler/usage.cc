#include "scheduler/usage.h"

#include <algorithm>
#include <set>

#include "scheduler/ports.h"

namespace caravan::scheduler {

void apply_alloc(NodeUsage& usage, const model::Allocation& alloc, int sign) {
  const model::AllocatedResources& res = alloc.allocated_resources;
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
    int& users = usage.ports[port];
    users += sign;
    if (users <= 0) usage.ports.erase(port);
  }
}

NodeUsage& UsageCache::entry(const model::Node& node) {
  auto [it, inserted] = by_node_.try_emplace(node.id);
  if (inserted) {
    NodeUsage& usage = it->second;
    for (int port : parse_port_list(node.reserved_resources.reserved_host_ports)) {
      ++usage.ports[port];
    }
    for (const state::AllocPtr& alloc : state_.allocs_by_node(node.id)) {
      if (alloc->terminal() || removed_.count(alloc->id)) continue;
      apply_alloc(usage, *alloc, 1);
    }
  }
  return it->second;
}

const NodeUsage& UsageCache::get(const model::Node& node) { return entry(node); }

void UsageCache::add(const model::Node& node, const model::Allocation& alloc) {
  apply_alloc(entry(node), alloc, 1);
}

void UsageCache::remove(const model::Allocation& alloc) {
  if (!removed_.insert(alloc.id).second || alloc.terminal()) return;
  if (auto it = by_node_.find(alloc.node_id); it != by_node_.end()) {
    apply_alloc(it->second, alloc, -1);
  }
}

void UsageCache::restore(const model::Allocation& alloc) {
  if (!removed_.erase(alloc.id) || alloc.terminal()) return;
  if (auto it = by_node_.find(alloc.node_id); it != by_node_.end()) {
    apply_alloc(it->second, alloc, 1);
  }
}

void ProposedAllocs::add(ProposedAlloc alloc) {
  if (by_id_.count(alloc.id)) return;
  ++by_node_[alloc.node_id][alloc.group];
  std::string id = alloc.id;
  by_id_.emplace(std::move(id), std::move(alloc));
}

void ProposedAllocs::remove(const std::string& alloc_id) {
  auto it = by_id_.find(alloc_id);
  if (it == by_id_.end()) return;
  auto& groups = by_node_[it->second.node_id];
  if (--groups[it->second.group] == 0) groups.erase(it->second.group);
  by_id_.erase(it);
}

int ProposedAllocs::on_node(const std::string& node_id, const std::string& group) const {
  auto it = by_node_.find(node_id);
  if (it == by_node_.end()) return 0;
  if (!group.empty()) {
    auto g = it->second.find(group);
    return g == it->second.end() ? 0 : g->second;
  }
  int total = 0;
  for (const auto& [name, n] : it->second) total += n;
  return total;
}

}  // namespace caravan::scheduler
