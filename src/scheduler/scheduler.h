// The scheduler's entry point: process_eval turns one evaluation into plans
// against a consistent state snapshot, picking the service, batch, system or
// sysbatch scheduler by the evaluation's type. It is a pure function of the
// snapshot and the evaluation: every effect goes through the Planner, so the
// server's worker commits and `job plan` (AnnotatePlan + a recording planner)
// dry-runs with the same code.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "model/evaluation.h"
#include "scheduler/planner.h"
#include "state/state_view.h"

namespace caravan::scheduler {

// How nodes are scored for fit (Nomad's scheduler_algorithm).
enum class SchedulerAlgorithm {
  kBinpack,  // prefer the fullest node that fits (default)
  kSpread,   // prefer the emptiest node
};

struct SchedulerConfig {
  SchedulerAlgorithm algorithm = SchedulerAlgorithm::kBinpack;
  // Seeds node shuffling and dynamic port choice; 0 = a fresh random seed per
  // evaluation. Tests and benchmarks set it for reproducible placements.
  uint64_t seed = 0;
  // The current time in ns since the epoch (reschedule delays, follow-up
  // evaluations, allocation create times); 0 = the system clock.
  int64_t now_ns = 0;
  // Plan submissions without progress before the evaluation fails (Nomad: 5 for
  // service and system, 2 for batch and sysbatch).
  int service_max_attempts = 5;
  int batch_max_attempts = 2;
};

// Processes `eval` against `state`: reconciles the job's desired and existing
// allocations, places, updates and stops them, submits the plan (retrying on a
// partial commit against the refreshed snapshot), creates follow-up or blocked
// evaluations and finally reports the evaluation (complete, or failed after too
// many attempts) through planner.update_eval. When eval.annotate_plan is set the
// plan carries DesiredTGUpdates and is submitted even when it changes nothing.
// Returns an error only when the Planner fails; the caller should then nack.
Status process_eval(const model::Evaluation& eval, state::StateViewPtr state, Planner& planner,
                    const SchedulerConfig& config);

}  // namespace caravan::scheduler
