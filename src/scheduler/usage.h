// What is already in use on nodes and by the job being scheduled, as the plan
// under construction would leave it: the snapshot's non-terminal allocations
// minus those the plan stops plus those it places. Node usage is computed
// lazily (only for nodes a placement looks at) and then kept up to date, so a
// placement costs O(allocations on the nodes it scores), not O(cluster).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/allocation.h"
#include "model/node.h"
#include "state/state_view.h"

namespace caravan::scheduler {

// Resources taken on one node.
struct NodeUsage {
  int64_t cpu = 0;  // MHz
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  std::unordered_map<int, int> ports;  // host port → users (allocs, node reservation)
  std::vector<int> cores;              // reserved CPU cores held by allocations

  bool port_used(int port) const { return ports.count(port) != 0; }
};

// Adds (sign = 1) or removes (sign = -1) what `alloc` holds to `usage`.
void apply_alloc(NodeUsage& usage, const model::Allocation& alloc, int sign);

// Per-node usage for one scheduler pass. Borrows `state`, which must outlive it.
class UsageCache {
 public:
  explicit UsageCache(const state::StateView& state) : state_(state) {}

  // The proposed usage of `node`, node-reserved host ports included.
  const NodeUsage& get(const model::Node& node);
  // The plan places `alloc` on `node`.
  void add(const model::Node& node, const model::Allocation& alloc);
  // The plan stops `alloc` (an allocation from the snapshot); restore() undoes it.
  void remove(const model::Allocation& alloc);
  void restore(const model::Allocation& alloc);

 private:
  NodeUsage& entry(const model::Node& node);

  const state::StateView& state_;
  std::unordered_map<std::string, NodeUsage> by_node_;
  std::unordered_set<std::string> removed_;  // alloc ids stopped by the plan
};

// One allocation of the job being scheduled, as the plan would leave things.
struct ProposedAlloc {
  std::string id;
  std::string node_id;
  state::NodePtr node;  // null when the node is gone
  std::string group;
};

// The job's proposed allocations: what distinct_hosts, distinct_property, job
// anti-affinity and spread count.
class ProposedAllocs {
 public:
  void add(ProposedAlloc alloc);
  void remove(const std::string& alloc_id);
  // Allocations on `node_id`, of `group` or (group empty) of any group.
  int on_node(const std::string& node_id, const std::string& group) const;
  const std::unordered_map<std::string, ProposedAlloc>& all() const { return by_id_; }

 private:
  std::unordered_map<std::string, ProposedAlloc> by_id_;
  std::unordered_map<std::string, std::map<std::string, int>> by_node_;  // node → group → n
};

}  // namespace caravan::scheduler
