#include "scheduler/reschedule.h"

#include <algorithm>
#include <chrono>

namespace caravan::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

EffectivePolicy defaults(const std::string& type) {
  EffectivePolicy p;
  if (type == model::kJobTypeService || type.empty()) {
    p.delay = seconds(30);
    p.delay_function = "exponential";
    p.max_delay = hours(1);
    p.unlimited = true;
  } else if (type == model::kJobTypeBatch) {
    p.attempts = 1;
    p.interval = hours(24);
    p.delay = seconds(5);
  }
  return p;
}

void merge(EffectivePolicy& p, const model::ReschedulePolicy& over) {
  if (over.attempts) p.attempts = *over.attempts;
  if (over.interval) p.interval = *over.interval;
  if (over.delay) p.delay = *over.delay;
  if (over.delay_function) p.delay_function = *over.delay_function;
  if (over.max_delay) p.max_delay = *over.max_delay;
  if (over.unlimited) p.unlimited = *over.unlimited;
}

size_t past_reschedules(const model::Allocation& alloc) {
  return alloc.reschedule_tracker ? alloc.reschedule_tracker->events.size() : 0;
}

}  // namespace

EffectivePolicy effective_policy(const model::Job& job, const model::TaskGroup& group) {
  EffectivePolicy p = defaults(job.type);
  if (job.type == model::kJobTypeSystem || job.type == model::kJobTypeSysBatch) return p;
  if (job.reschedule) merge(p, *job.reschedule);
  if (group.reschedule_policy) merge(p, *group.reschedule_policy);
  return p;
}

Duration reschedule_delay(const EffectivePolicy& policy, const model::Allocation& alloc) {
  size_t n = past_reschedules(alloc);
  Duration delay = policy.delay;
  bool capped_policy = policy.max_delay > Duration(0);
  auto below_cap = [&](Duration d) { return !capped_policy || d < policy.max_delay; };
  auto capped = [&](Duration d) { return capped_policy ? std::min(d, policy.max_delay) : d; };
  if (policy.delay_function == "exponential") {
    for (size_t i = 0; i < n && below_cap(delay); ++i) delay *= 2;
  } else if (policy.delay_function == "fibonacci") {
    Duration prev = policy.delay;
    for (size_t i = 1; i < n && below_cap(delay); ++i) {
      Duration next = prev + delay;
      prev = delay;
      delay = next;
    }
  } else {
    return delay;
  }
  return capped(delay);
}

std::optional<int64_t> reschedule_time(const EffectivePolicy& policy,
                                       const model::Allocation& alloc, int64_t now) {
  if (!policy.unlimited) {
    if (policy.attempts <= 0) return std::nullopt;
    int64_t window_start = now - policy.interval.count();
    int recent = 0;
    if (alloc.reschedule_tracker) {
      for (const model::RescheduleEvent& e : alloc.reschedule_tracker->events) {
        if (e.reschedule_time > window_start) ++recent;
      }
    }
    if (recent >= policy.attempts) return std::nullopt;
  }
  int64_t failed_at = alloc.modify_time > 0 ? alloc.modify_time : now;
  return failed_at + reschedule_delay(policy, alloc).count();
}

}  // namespace caravan::scheduler
