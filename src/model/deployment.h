// A deployment: the rollout of one job version under the `update` block —
// per task group, how many allocations the version wants, how many were placed,
// became healthy or unhealthy, the canaries and whether they were promoted, and
// the deadline by which the next allocation must turn healthy. The reconciler
// creates it with the plan that starts the rollout; the FSM keeps its counters
// as allocations are placed and report health; the deployment watcher
// (server/deployment_watcher.h) promotes, fails, reverts or completes it.
// Field names follow Nomad's JSON API.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/duration.h"

namespace caravan::model {

// Deployment::status values.
inline constexpr const char* kDeploymentRunning = "running";
inline constexpr const char* kDeploymentPaused = "paused";
inline constexpr const char* kDeploymentFailed = "failed";
inline constexpr const char* kDeploymentSuccessful = "successful";
inline constexpr const char* kDeploymentCancelled = "cancelled";

// Deployment::status_description values (Nomad's wording).
inline constexpr const char* kDeploymentDescRunning = "Deployment is running";
inline constexpr const char* kDeploymentDescNeedsPromotion =
    "Deployment is running but requires manual promotion";
inline constexpr const char* kDeploymentDescAutoPromotion =
    "Deployment is running pending automatic promotion";
inline constexpr const char* kDeploymentDescPaused = "Deployment is paused";
inline constexpr const char* kDeploymentDescSuccessful = "Deployment completed successfully";
inline constexpr const char* kDeploymentDescStoppedJob = "Cancelled because job is stopped";
inline constexpr const char* kDeploymentDescNewerJob = "Cancelled due to newer version of job";
inline constexpr const char* kDeploymentDescFailedAllocations =
    "Failed due to unhealthy allocations";
inline constexpr const char* kDeploymentDescProgressDeadline = "Failed due to progress deadline";
inline constexpr const char* kDeploymentDescFailedByUser = "Deployment marked as failed";

// One task group's part of a deployment. JSON: AutoRevert, AutoPromote,
// ProgressDeadline, RequireProgressBy, Promoted, PlacedCanaries, DesiredCanaries,
// DesiredTotal, PlacedAllocs, HealthyAllocs, UnhealthyAllocs.
struct DeploymentGroupState {
  bool auto_revert = false;
  bool auto_promote = false;
  Duration progress_deadline{0};
  int64_t require_progress_by = 0;  // ns since the epoch; 0 = no deadline
  bool promoted = false;
  std::vector<std::string> placed_canaries;  // alloc ids
  int desired_canaries = 0;
  int desired_total = 0;
  int placed_allocs = 0;
  int healthy_allocs = 0;
  int unhealthy_allocs = 0;

  bool operator==(const DeploymentGroupState&) const = default;
};

struct Deployment {
  std::string id;  // JSON "ID"
  std::string namespace_name = "default";
  std::string job_id;  // JSON "JobID"
  int64_t job_version = 0;
  int64_t job_modify_index = 0;
  int64_t job_create_index = 0;
  std::map<std::string, DeploymentGroupState> task_groups;
  std::string status = kDeploymentRunning;
  std::string status_description = kDeploymentDescRunning;
  int64_t create_index = 0;
  int64_t modify_index = 0;
  int64_t create_time = 0;  // ns since the epoch
  int64_t modify_time = 0;  // ns since the epoch

  // Running or paused: the watcher still drives it.
  bool active() const { return status == kDeploymentRunning || status == kDeploymentPaused; }
  // Some group has canaries that wait for promotion.
  bool requires_promotion() const;

  bool operator==(const Deployment&) const = default;
};

// A change of a deployment's status (the watcher, `deployment fail/pause/resume`,
// the reconciler cancelling the rollout of a replaced version).
// JSON: DeploymentID, Status, StatusDescription.
struct DeploymentStatusUpdate {
  std::string deployment_id;
  std::string status;
  std::string status_description;

  bool operator==(const DeploymentStatusUpdate&) const = default;
};

}  // namespace caravan::model
