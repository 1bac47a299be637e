// Rescheduling failed allocations: the effective reschedule policy of a group
// (its block, the job's, or Nomad's per-type defaults), whether a failed
// allocation may still be rescheduled, and when (constant, exponential or
// fibonacci delay, capped by max_delay).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/duration.h"
#include "model/allocation.h"
#include "model/job.h"

namespace caravan::scheduler {

struct EffectivePolicy {
  int attempts = 0;
  Duration interval{0};
  Duration delay{0};
  std::string delay_function = "constant";
  Duration max_delay{0};
  bool unlimited = false;
};

// The group's policy merged over the job's over the defaults for the job type
// (service: unlimited, 30s exponential up to 1h; batch: 1 attempt in 24h, 5s
// constant; system and sysbatch: never).
EffectivePolicy effective_policy(const model::Job& job, const model::TaskGroup& group);

// The delay before the next reschedule of `alloc`, given its past reschedules.
Duration reschedule_delay(const EffectivePolicy& policy, const model::Allocation& alloc);

// When (ns since the epoch) the failed `alloc` should be replaced, or nullopt
// when its policy allows no more attempts at `now`. The failure time is the
// allocation's modify_time (or `now` when unset).
std::optional<int64_t> reschedule_time(const EffectivePolicy& policy,
                                       const model::Allocation& alloc, int64_t now);

}  // namespace caravan::scheduler
