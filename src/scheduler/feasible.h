// Feasibility: may a node run a task group at all, ignoring what the plan puts
// on it? Datacenter (with `*`/`?` globs), node pool, readiness/eligibility,
// task drivers (present, detected, healthy) and the job's, group's and tasks'
// hard constraints. The answer for a node and group does not change within one
// evaluation, so callers cache it. Plan-dependent checks (distinct_hosts,
// distinct_property) live in distinct.h; resources in fit.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/job.h"
#include "model/node.h"
#include "scheduler/constraint.h"

namespace caravan::scheduler {

// Filter reason recorded when a task's driver is absent or unhealthy (Nomad's key).
inline constexpr const char* kFilterMissingDrivers = "missing drivers";

// Shell-style glob with `*` (any run) and `?` (one byte), as job datacenters use.
bool glob_match(std::string_view pattern, std::string_view text);

// The job may use nodes of `datacenter`: some pattern of `datacenters` matches
// (an empty list means every datacenter).
bool in_datacenters(const std::vector<std::string>& datacenters, std::string_view datacenter);

// The job's node pool admits a node of `node_pool` ("all" admits every node; an
// empty pool means "default").
bool in_node_pool(std::string_view job_pool, std::string_view node_pool);

// Ready, eligible, not draining, in one of the job's datacenters and its pool:
// a node the scheduler may consider at all.
bool is_candidate(const model::Job& job, const model::Node& node);

// The driver named `driver` is usable on `node`: detected and healthy in
// Node::drivers, or (older clients) a truthy `driver.<name>` attribute.
bool has_driver(const model::Node& node, const std::string& driver);

// Why `node` cannot run `group` of `job`: nullopt when it can, otherwise the
// AllocMetric::constraint_filtered key ("missing drivers" or the constraint as
// "${attr.kernel.name} = windows"). Checks drivers and constraints only; use
// is_candidate for readiness, datacenter and pool.
std::optional<std::string> infeasible_reason(const model::Job& job, const model::TaskGroup& group,
                                             const model::Node& node, ConstraintChecker& checker);

}  // namespace caravan::scheduler
