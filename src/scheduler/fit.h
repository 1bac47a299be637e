// Resource fit: whether one allocation of a task group fits on a node next to
// what is already there, and the exact resources it would be granted (cpu,
// reserved cores, memory, disk, host ports). memory_max is granted but only
// memory counts for fit, as in Nomad without oversubscription.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "model/allocation.h"
#include "model/job.h"
#include "model/node.h"
#include "scheduler/usage.h"

namespace caravan::scheduler {

// What a node offers to allocations: its resources minus the reserved ones.
struct NodeCapacity {
  int64_t cpu = 0;  // MHz
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
};
NodeCapacity node_capacity(const model::Node& node);

struct FitResult {
  bool fits = false;
  // When it does not fit: "network: ...", "cores", "cpu", "memory" or "disk".
  std::string exhausted;
  // When it fits: the grant (with `grant`), and the node's cpu and memory use including it.
  model::AllocatedResources resources;
  int64_t cpu_after = 0;
  int64_t memory_after = 0;
};

// Tries to fit one allocation of `group` on `node` whose proposed usage is
// `usage`. Dynamic ports and cores are chosen with `rng`. With `grant` false it
// only decides (fits, exhausted, cpu_after, memory_after) and builds no
// resources: what scoring many nodes needs; the chosen one is then granted.
FitResult fit_group(const model::TaskGroup& group, const model::Node& node, const NodeUsage& usage,
                    std::mt19937_64& rng, bool grant = true);

// The ephemeral disk a group asks for (ephemeral_disk.size_mb, else the tasks' disk_mb).
int64_t group_disk_mb(const model::TaskGroup& group);

}  // namespace caravan::scheduler
