#include "model/health_strategy.h"

#include <algorithm>
#include <optional>

namespace caravan::model {
namespace {

// The group's value, else the job's, else `fallback`.
template <class Block, class T>
T pick(const std::optional<Block>& group, const std::optional<Block>& job,
       std::optional<T> Block::*field, T fallback) {
  if (group && (*group).*field) return *((*group).*field);
  if (job && (*job).*field) return *((*job).*field);
  return fallback;
}

template <class Block>
HealthStrategy from_block(const std::optional<Block>& group, const std::optional<Block>& job) {
  HealthStrategy defaults;
  HealthStrategy out;
  out.health_check = pick(group, job, &Block::health_check, defaults.health_check);
  out.min_healthy_time = pick(group, job, &Block::min_healthy_time, defaults.min_healthy_time);
  out.healthy_deadline = pick(group, job, &Block::healthy_deadline, defaults.healthy_deadline);
  return out;
}

}  // namespace

HealthStrategy health_strategy(const Job& job, const TaskGroup& group, bool in_deployment) {
  if (in_deployment) return from_block(group.update, job.update);
  return from_block(group.migrate, job.migrate);
}

int migrate_max_parallel(const Job& job, const TaskGroup& group) {
  return std::max(1, pick(group.migrate, job.migrate, &MigrateStrategy::max_parallel, 1));
}

const TaskGroup* find_task_group(const Job& job, const std::string& name) {
  for (const TaskGroup& group : job.task_groups) {
    if (group.name == name) return &group;
  }
  return nullptr;
}

}  // namespace caravan::model
