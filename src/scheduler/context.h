// EvalContext: the mutable working state of one scheduler pass over a snapshot
// — the snapshot itself, the proposed node usage and job allocations as the
// plan grows, compiled constraints and the random source. Owned by the pass;
// never shared between threads.
#pragma once

#include <cstdint>
#include <random>

#include "scheduler/constraint.h"
#include "scheduler/scheduler.h"
#include "scheduler/usage.h"
#include "state/state_view.h"

namespace caravan::scheduler {

struct EvalContext {
  EvalContext(const state::StateView& state_in, const SchedulerConfig& config_in, uint64_t seed,
              int64_t now_in)
      : state(state_in), config(config_in), rng(seed), usage(state_in), now(now_in) {}

  const state::StateView& state;
  const SchedulerConfig& config;
  std::mt19937_64 rng;
  UsageCache usage;
  ProposedAllocs proposed;  // of the job being scheduled
  ConstraintChecker checker;
  int64_t now;  // ns since the epoch
};

}  // namespace caravan::scheduler
