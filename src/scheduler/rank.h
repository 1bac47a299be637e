// Node scoring for one placement. Each scorer yields a value in about [-1, 1]
// or nothing (no opinion); a node's final score is the mean of the values
// given, as in Nomad: fit (bin packing or spread, always), job anti-affinity,
// the penalty for a node where the replaced allocation failed, affinities and
// spread blocks (spread.h).
#pragma once

#include <optional>

#include "model/job.h"
#include "model/node.h"
#include "scheduler/constraint.h"
#include "scheduler/fit.h"
#include "scheduler/scheduler.h"

namespace caravan::scheduler {

// Nomad's fit score normalised to [0, 1]. Binpack rewards nodes that end up
// full: 20 - (10^free_cpu + 10^free_mem); spread rewards empty ones:
// (10^free_cpu + 10^free_mem) - 2; both clamped to [0, 18], over 18. Free
// fractions are of the node's capacity after the new allocation.
double fit_score(const NodeCapacity& capacity, int64_t cpu_after, int64_t memory_after,
                 SchedulerAlgorithm algorithm);

// Penalty for co-locating allocations of one group: -(collisions + 1) / count
// when the node already holds `collisions` > 0 of them, else no opinion.
std::optional<double> anti_affinity_score(int collisions, int desired_count);

// The job's, group's and tasks' affinities: the summed weights of those the node
// matches over the summed absolute weights. No opinion when nothing matches.
std::optional<double> affinity_score(const model::Job& job, const model::TaskGroup& group,
                                     const model::Node& node, ConstraintChecker& checker);

// Whether any affinity applies to `group` (it widens the number of nodes scored).
bool has_affinities(const model::Job& job, const model::TaskGroup& group);

}  // namespace caravan::scheduler
