// The scheduler dry run behind `job plan`: runs the real scheduler against the
// current state with the proposed job in place of the stored one and a Planner
// that records instead of committing; and the diff annotations the plan yields
// (per-group update counts, "forces create/destroy update" on tasks).
#pragma once

#include <optional>
#include <vector>

#include "core/status.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/job_diff.h"
#include "model/plan.h"
#include "scheduler/scheduler.h"
#include "state/state_view.h"

namespace caravan::server {

struct DryRunResult {
  Status status;                          // a scheduler error, if any
  std::optional<model::Plan> plan;        // the last plan the scheduler submitted
  std::optional<model::Evaluation> eval;  // the evaluation as the scheduler finished it
  std::vector<model::Evaluation> created_evals;
};

// Schedules `job` (defaulted and validated) against `state` without side effects.
DryRunResult dry_run_job(const model::Job& job, const state::StateViewPtr& state,
                         scheduler::SchedulerConfig config);

// Copies the plan's per-group counts into the diff's groups ("create", "destroy",
// "in-place update", "create/destroy update", "ignore", "canary", "migrate") and
// marks tasks of groups with destructive updates "forces create/destroy update"
// (or "forces create" / "forces destroy" for added and removed groups).
void annotate_diff(model::JobDiff& diff, const model::PlanAnnotations& annotations);

}  // namespace caravan::server
