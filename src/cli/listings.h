// The list tables the CLI shares between commands: jobs (`job status`), allocation
// stubs (`job status`, `job allocs`, `node status`, `eval status`), nodes
// (`node status`) and evaluations (`eval list`, `job status -verbose`). Each takes
// the API's JSON list as it arrives (Nomad's list stubs) and returns the table
// text; prefix resolution prints the same tables when a prefix is ambiguous.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace caravan::cli {

// ID Type Priority Status Submit Date — from JobListStub objects.
// "No running jobs\n" when empty.
std::string format_job_list(const nlohmann::json& jobs);

// ID Node ID Task Group Version Desired Status Created Modified (relative
// times against `now`); with `verbose`, full IDs plus Eval ID and Node Name and
// absolute times. Accepts AllocListStub or full Allocation objects.
// "No allocations placed\n" when empty.
std::string format_alloc_list(const nlohmann::json& allocs, bool verbose, int64_t now);

// ID Node Pool DC Name Class Drain Eligibility Status (+ Address Version with
// `verbose`), from NodeListStub objects. "No nodes registered\n" when empty.
std::string format_node_list(const nlohmann::json& nodes, bool verbose);

// ID Priority Triggered By Job ID Namespace Node ID Status Placement Failures.
// "No evals found\n" when empty.
std::string format_eval_list(const nlohmann::json& evals, bool verbose);

// "service", or "batch/periodic", "batch/parameterized" as nomad shows job types.
std::string job_type_text(const nlohmann::json& job);
// The job's status, "dead (stopped)" for a stopped job.
std::string job_status_text(const nlohmann::json& job);

}  // namespace caravan::cli
