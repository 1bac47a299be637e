// The node drainer's decisions (Nomad's nomad/drainer): which allocations on
// draining nodes to mark for migration now, which jobs to evaluate for that,
// and which drains are complete. plan_drain is a pure function of a state view
// and the clock; the leader's timer loop (server.cc) runs it and writes the
// result as one AllocDesiredTransition entry plus a NodeUpdateDrain per
// completed node.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "state/state_view.h"

namespace caravan::server {

struct DrainPlan {
  // Allocations to mark with DesiredTransition.Migrate = true.
  std::vector<std::string> migrate;
  // (namespace, job id) of every job with an allocation in `migrate`.
  std::vector<std::pair<std::string, std::string>> jobs;
  // Draining nodes with nothing left to move: their drain is complete.
  std::vector<std::string> complete;

  bool empty() const { return migrate.empty() && complete.empty(); }
};

// For every draining node, with Nomad's rules:
// * service allocations migrate per their group's `migrate` block: at most
//   max_parallel per (job, group) in flight across all draining nodes, where
//   in flight = marked for migration and its replacement (the allocation whose
//   PreviousAllocation it is, followed through failed replacements) not yet
//   healthy (DeploymentStatus.Healthy);
// * batch and sysbatch allocations are left to finish until the deadline;
// * system allocations go last, once everything else on the node is terminal,
//   and not at all with IgnoreSystemJobs;
// * once ForceDeadline passes (or Deadline < 0: force), everything left is
//   marked at once.
// A node is complete when nothing that must leave it is still non-terminal
// (server- or client-side). `now_ns` is wall-clock time since the epoch.
DrainPlan plan_drain(const state::StateView& state, int64_t now_ns);

}  // namespace caravan::server
