// Text rendering of `job plan` results as the nomad CLI prints them: the
// annotated diff (+ added, - deleted, +/- edited, with per-group update counts
// and per-task annotations) and the scheduler dry-run summary (placement
// failures with the exhausted dimension and the filtering constraints).
#pragma once

#include <map>
#include <string>

#include "model/evaluation.h"
#include "model/job_diff.h"

namespace caravan::cli {

// The diff block. `verbose` also prints unchanged fields (a contextual diff).
std::string format_job_diff(const model::JobDiff& diff, bool verbose);

// "Scheduler dry-run:" and its lines; `failed` are the evaluation's
// FailedTGAllocs (task group → metrics), empty when everything was placed.
std::string format_dry_run(const std::map<std::string, model::AllocMetric>& failed);

// The placement failure of one task group, indented by `indent` spaces, as
// `job plan`, `job run` and `job status` print it.
std::string format_alloc_metric(const std::string& group, const model::AllocMetric& metric,
                                int indent);

}  // namespace caravan::cli
