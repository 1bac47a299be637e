// An evaluation: the server's unit of scheduling work. A job registration, a
// node update or a failed allocation creates one; the eval broker hands it to a
// scheduler worker, whose plan the applier commits. AllocMetric records why a
// placement failed (what `job plan` and `job status` print). Field names follow
// Nomad's JSON API.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/duration.h"

namespace caravan::model {

// Evaluation::status values.
inline constexpr const char* kEvalStatusPending = "pending";
inline constexpr const char* kEvalStatusComplete = "complete";
inline constexpr const char* kEvalStatusFailed = "failed";
inline constexpr const char* kEvalStatusBlocked = "blocked";
inline constexpr const char* kEvalStatusCanceled = "canceled";

// Evaluation::triggered_by values.
inline constexpr const char* kEvalTriggerJobRegister = "job-register";
inline constexpr const char* kEvalTriggerJobDeregister = "job-deregister";
inline constexpr const char* kEvalTriggerNodeUpdate = "node-update";
inline constexpr const char* kEvalTriggerNodeDrain = "node-drain";
inline constexpr const char* kEvalTriggerAllocStop = "alloc-stop";
inline constexpr const char* kEvalTriggerRetryFailedAlloc = "alloc-failure";
inline constexpr const char* kEvalTriggerQueuedAllocs = "queued-allocs";
inline constexpr const char* kEvalTriggerMaxPlans = "max-plan-attempts";
inline constexpr const char* kEvalTriggerPeriodicJob = "periodic-job";
inline constexpr const char* kEvalTriggerRollingUpdate = "rolling-update";
inline constexpr const char* kEvalTriggerDeploymentWatcher = "deployment-watcher";
inline constexpr const char* kEvalTriggerScheduled = "scheduled";

// How the scheduler searched for a place. JSON: NodesEvaluated, NodesFiltered,
// NodesInPool, NodesAvailable, ClassFiltered, ConstraintFiltered,
// NodesExhausted, ClassExhausted, DimensionExhausted, QuotaExhausted,
// AllocationTime, CoalescedFailures.
struct AllocMetric {
  int nodes_evaluated = 0;
  int nodes_filtered = 0;
  int nodes_in_pool = 0;
  std::map<std::string, int> nodes_available;  // per datacenter
  std::map<std::string, int> class_filtered;
  std::map<std::string, int> constraint_filtered;  // e.g. "${attr.kernel.name} = windows": 3
  int nodes_exhausted = 0;
  std::map<std::string, int> class_exhausted;
  std::map<std::string, int> dimension_exhausted;  // e.g. "network: reserved port collision": 1
  std::vector<std::string> quota_exhausted;
  Duration allocation_time{0};
  int coalesced_failures = 0;

  bool operator==(const AllocMetric&) const = default;
};

struct Evaluation {
  std::string id;  // JSON "ID"
  std::string namespace_name = "default";  // JSON "Namespace"
  int priority = 50;
  std::string type;  // the job's type; "_core" for garbage collection
  std::string triggered_by;
  std::string job_id;  // JSON "JobID"
  int64_t job_modify_index = 0;
  std::string node_id;  // JSON "NodeID", for node-triggered evals
  int64_t node_modify_index = 0;
  std::string deployment_id;  // JSON "DeploymentID"
  std::string status = kEvalStatusPending;
  std::string status_description;
  Duration wait{0};          // delay before the broker hands it out
  int64_t wait_until = 0;    // ns since the epoch; 0 = none
  std::string next_eval;     // JSON "NextEval"
  std::string previous_eval;
  std::string blocked_eval;
  std::map<std::string, AllocMetric> failed_tg_allocs;  // JSON "FailedTGAllocs"
  std::map<std::string, bool> class_eligibility;
  bool escaped_computed_class = false;
  bool annotate_plan = false;
  std::map<std::string, int> queued_allocations;
  int64_t snapshot_index = 0;
  int64_t create_index = 0;
  int64_t modify_index = 0;
  int64_t create_time = 0;  // ns since the epoch
  int64_t modify_time = 0;  // ns since the epoch

  bool terminal() const {
    return status == kEvalStatusComplete || status == kEvalStatusFailed ||
           status == kEvalStatusCanceled;
  }

  bool operator==(const Evaluation&) const = default;
};

}  // namespace caravan::model
