// Text rendering of `job plan` results as the nomad CLI prints them: the
// annotated diff (+ added, - deleted, +/- edited, with per-group update counts
// and per-task annotations) and the scheduler dry-run summary (placement
// failures with the exhausted dimension and the filtering constraints).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
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

// Only the "* reason" lines of format_alloc_metric (each indented by `indent`
// spaces), for outputs that print their own group header (`job run`'s monitor,
// `job status`'s "Placement Failure" section).
std::string format_alloc_metric_reasons(const model::AllocMetric& metric, int indent);

// The `job run -check-index` paragraph that ends `job plan`'s output.
std::string format_check_index_help(int64_t job_modify_index, std::string_view path);

// The whole `job plan` output for a plan response (Annotations, FailedTGAllocs,
// JobModifyIndex, Diff, Warnings) and whether it creates or destroys
// allocations (any Place, Stop, Migrate, DestructiveUpdate or Canary in
// Annotations.DesiredTGUpdates; nomad's exit code 1).
struct PlanOutput {
  std::string text;
  bool changes = false;
};
Result<PlanOutput> format_plan_response(const nlohmann::json& response, std::string_view path,
                                        bool show_diff, bool verbose);

}  // namespace caravan::cli
