// NodeUsage: what the live allocations on one node hold of it — cpu, memory,
// disk, host ports and reserved cores. The state store keeps one per node up to
// date as allocations come and go, so the scheduler and the plan applier read a
// node's usage in O(1) instead of summing its allocations on every visit; both
// then adjust a copy for the plan at hand with apply_alloc_usage.
#pragma once

#include <cstdint>
#include <vector>

#include "model/allocation.h"

namespace caravan::model {

struct NodeUsage {
  int64_t cpu = 0;  // MHz
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  std::vector<int> ports;  // host ports, sorted; a port appears once per holder
  std::vector<int> cores;  // reserved CPU cores held by allocations

  bool port_used(int port) const;
  void add_port(int port);
  // Drops one holder of `port` (no-op when it has none).
  void remove_port(int port);
  // The lowest port held more than once, or 0 when none is.
  int colliding_port() const;

  bool operator==(const NodeUsage&) const = default;
};

// Every host port `alloc` holds (its granted ports and network ports), once each.
std::vector<int> alloc_host_ports(const Allocation& alloc);

// Adds (sign = 1) or removes (sign = -1) what `alloc` holds to `usage`.
void apply_alloc_usage(NodeUsage& usage, const Allocation& alloc, int sign);

}  // namespace caravan::model
