#include "scheduler/rank.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace caravan::scheduler {
namespace {

constexpr double kMaxFitScore = 18.0;

double fraction(int64_t used, int64_t capacity) {
  if (capacity <= 0) return 1.0;
  return std::clamp(static_cast<double>(used) / static_cast<double>(capacity), 0.0, 1.0);
}

template <class Fn>
void for_each_affinity(const model::Job& job, const model::TaskGroup& group, Fn&& fn) {
  for (const model::Affinity& a : job.affinities) fn(a);
  for (const model::Affinity& a : group.affinities) fn(a);
  for (const model::Task& task : group.tasks) {
    for (const model::Affinity& a : task.affinities) fn(a);
  }
}

}  // namespace

double fit_score(const NodeCapacity& capacity, int64_t cpu_after, int64_t memory_after,
                 SchedulerAlgorithm algorithm) {
  double free_cpu = 1.0 - fraction(cpu_after, capacity.cpu);
  double free_mem = 1.0 - fraction(memory_after, capacity.memory_mb);
  double total = std::pow(10.0, free_cpu) + std::pow(10.0, free_mem);
  double raw = algorithm == SchedulerAlgorithm::kSpread ? total - 2.0 : 20.0 - total;
  return std::clamp(raw, 0.0, kMaxFitScore) / kMaxFitScore;
}

std::optional<double> anti_affinity_score(int collisions, int desired_count) {
  if (collisions <= 0) return std::nullopt;
  return -static_cast<double>(collisions + 1) / static_cast<double>(std::max(1, desired_count));
}

std::optional<double> affinity_score(const model::Job& job, const model::TaskGroup& group,
                                     const model::Node& node, ConstraintChecker& checker) {
  double total = 0;
  double matched = 0;
  for_each_affinity(job, group, [&](const model::Affinity& a) {
    total += std::abs(a.weight);
    if (checker.satisfied(a, node)) matched += a.weight;
  });
  if (total == 0 || matched == 0) return std::nullopt;
  return matched / total;
}

bool has_affinities(const model::Job& job, const model::TaskGroup& group) {
  bool any = false;
  for_each_affinity(job, group, [&](const model::Affinity&) { any = true; });
  return any;
}

}  // namespace caravan::scheduler
