#include "scheduler/usage.h"

#include <algorithm>
#include <set>

#include "scheduler/ports.h"

namespace caravan::scheduler {

NodeUsage& UsageCache::entry(const model::Node& node) {
  auto [it, inserted] = by_node_.try_emplace(std::string_view(node.id));
  if (inserted) {
    NodeUsage& usage = it->second;
    if (std::shared_ptr<const NodeUsage> stored = state_.node_usage(node.id)) usage = *stored;
    for (int port : parse_port_list(node.reserved_resources.reserved_host_ports)) {
      usage.add_port(port);
    }
    if (auto removed = removed_by_node_.find(node.id); removed != removed_by_node_.end()) {
      for (const model::Allocation& alloc : removed->second) model::apply_alloc_usage(usage, alloc, -1);
    }
  }
  return it->second;
}

const NodeUsage& UsageCache::get(const model::Node& node) { return entry(node); }

void UsageCache::add(const model::Node& node, const model::Allocation& alloc) {
  model::apply_alloc_usage(entry(node), alloc, 1);
}

void UsageCache::remove(const model::Allocation& alloc) {
  if (!removed_.insert(alloc.id).second || alloc.terminal()) return;
  removed_by_node_[alloc.node_id].push_back(alloc);
  if (auto it = by_node_.find(std::string_view(alloc.node_id)); it != by_node_.end()) {
    model::apply_alloc_usage(it->second, alloc, -1);
  }
}

void UsageCache::restore(const model::Allocation& alloc) {
  if (!removed_.erase(alloc.id) || alloc.terminal()) return;
  std::vector<model::Allocation>& removed = removed_by_node_[alloc.node_id];
  std::erase_if(removed, [&](const model::Allocation& a) { return a.id == alloc.id; });
  if (auto it = by_node_.find(std::string_view(alloc.node_id)); it != by_node_.end()) {
    model::apply_alloc_usage(it->second, alloc, 1);
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
