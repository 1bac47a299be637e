// The detail views of the status commands, as nomad lays them out: `job
// status <id>`, `alloc status <id>`, `node status <id>` and `eval status <id>`.
// Each takes the API's JSON documents (already fetched by the command) and the
// current time, and returns the text — no I/O, so tests pin the layout.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace caravan::cli {

// The documents `job status <id>` reads: GET /v1/job/:id, /v1/job/:id/summary,
// /v1/job/:id/allocations and /v1/job/:id/evaluations.
struct JobStatusData {
  nlohmann::json job;
  nlohmann::json summary;
  nlohmann::json allocs = nlohmann::json::array();
  nlohmann::json evals = nlohmann::json::array();
  nlohmann::json deployment;  // the latest deployment; null when none
};

// ID, Name, Submit Date, Type, Priority, Datacenters, Namespace, Node Pool,
// Status, Periodic, Parameterized; then Summary (per task group: Queued
// Starting Running Failed Complete Lost Unknown), Evaluations (verbose only),
// Placement Failure (from the newest evaluation with FailedTGAllocs while a
// blocked evaluation waits), Latest Deployment (ID, status, description and
// the Deployed table) and Allocations.
std::string format_job_status(const JobStatusData& data, bool verbose, int64_t now);

// From GET /v1/allocation/:id: the allocation's fields, its addresses, then
// per task `Task "x" is "running"`, Task Resources, Task Events and Recent
// Events (newest first). `verbose` shows full IDs, absolute times and the
// placement metrics.
std::string format_alloc_status(const nlohmann::json& alloc, bool verbose, int64_t now);

// From GET /v1/node/:id and GET /v1/node/:id/allocations: the node's fields,
// drivers, events, allocated resources (of its non-terminal allocations),
// attributes and meta (verbose) and its allocations.
std::string format_node_status(const nlohmann::json& node, const nlohmann::json& allocs,
                               bool verbose, int64_t now);

// From GET /v1/evaluation/:id and /v1/evaluation/:id/allocations.
std::string format_eval_status(const nlohmann::json& eval, const nlohmann::json& allocs,
                               bool verbose, int64_t now);

// `job history`: the versions from GET /v1/job/:id/versions (its "Versions"
// array, or a bare array), newest first, each as Version / Stable / Submit
// Date; with `show_diffs`, also the Diff to the previous version (computed
// with model::diff_jobs). Errors when a version does not decode as a job.
Result<std::string> format_job_history(const nlohmann::json& versions, bool show_diffs);

}  // namespace caravan::cli
