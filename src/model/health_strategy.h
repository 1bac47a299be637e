// How an allocation's health is judged and how fast a drain may move a group:
// the effective `update` / `migrate` values of a task group (the group's field,
// else the job's, else Nomad's default). The client's health tracker and the
// server's drainer both read them from here.
#pragma once

#include <string>

#include "core/duration.h"
#include "model/job.h"

namespace caravan::model {

// HealthStrategy::health_check values.
inline constexpr const char* kHealthCheckChecks = "checks";
inline constexpr const char* kHealthCheckTaskStates = "task_states";
inline constexpr const char* kHealthCheckManual = "manual";

struct HealthStrategy {
  std::string health_check = kHealthCheckChecks;
  Duration min_healthy_time = std::chrono::seconds(10);
  Duration healthy_deadline = std::chrono::minutes(5);

  bool operator==(const HealthStrategy&) const = default;
};

// The `update` block's health settings when `in_deployment` (the allocation
// has a DeploymentID), the `migrate` block's otherwise.
HealthStrategy health_strategy(const Job& job, const TaskGroup& group, bool in_deployment);

// The `migrate` block's max_parallel (default 1, never below 1).
int migrate_max_parallel(const Job& job, const TaskGroup& group);

// The group named `name` in `job`, or null.
const TaskGroup* find_task_group(const Job& job, const std::string& name);

}  // namespace caravan::model
