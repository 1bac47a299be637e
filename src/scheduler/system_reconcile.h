// The reconciler for system and sysbatch jobs: one allocation of each group on
// every node that may run it. Places on feasible nodes that lack one, stops
// allocations on nodes that are down (lost), gone, drained (with
// DesiredTransition.migrate) or no longer feasible, keeps them on merely
// ineligible nodes, and updates old versions in place or destructively.
// Sysbatch allocations that finished are not run again for the same version.
#pragma once

#include <functional>

#include "scheduler/reconcile.h"

namespace caravan::scheduler {

// May `node` run `group`? Readiness, datacenter, pool, drivers and constraints.
using NodeFeasibility = std::function<bool(const model::TaskGroup&, const model::Node&)>;

// `nodes` is every node of the cluster (state.nodes()).
ReconcileResult system_reconcile(const ReconcileInput& input,
                                 const std::vector<state::NodePtr>& nodes,
                                 const NodeFeasibility& feasible);

}  // namespace caravan::scheduler
