// What is already in use on nodes and by the job being scheduled, as the plan
// under construction would leave it: the snapshot's usage of each node (kept by
// the state store) minus the allocations the plan stops plus those it places.
// A node's entry is made when a placement first looks at it (one copy of the
// stored usage) and then kept up to date, so a placement costs O(nodes it
// scores), not O(allocations in the cluster).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/allocation.h"
#include "model/node.h"
#include "model/node_usage.h"
#include "state/state_view.h"

namespace caravan::scheduler {

using model::NodeUsage;

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
  // Keyed by a view of the node's id: nodes come from `state_`, which outlives this.
  std::unordered_map<std::string_view, NodeUsage> by_node_;
  std::unordered_set<std::string> removed_;  // alloc ids stopped by the plan
  // The live allocations the plan stops, by node: subtracted when the node's
  // entry is made after them.
  std::unordered_map<std::string, std::vector<model::Allocation>> removed_by_node_;
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
