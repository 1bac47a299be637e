// The reconciler: compares a job's desired task groups with its existing
// allocations and decides, without touching any node, what to place, stop,
// update in place or replace (destructive update), which lost, migrating or
// failed allocations to replace, and which delayed reschedules or rolling
// updates need a follow-up evaluation. reconcile() serves service and batch
// jobs; system_reconcile.h serves system and sysbatch jobs with the same types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/evaluation.h"
#include "model/job.h"
#include "model/plan.h"
#include "state/state_view.h"

namespace caravan::scheduler {

// DesiredDescription of stopped allocations (Nomad's wording).
inline constexpr const char* kDescNotNeeded = "alloc not needed due to job update";
inline constexpr const char* kDescJobStopped = "alloc not needed as job is stopped";
inline constexpr const char* kDescMigrating = "alloc is being migrated";
inline constexpr const char* kDescUpdating = "alloc is being updated due to job update";
inline constexpr const char* kDescLost = "alloc is lost since its node is down";
inline constexpr const char* kDescRescheduled = "alloc was rescheduled because it failed";
inline constexpr const char* kDescNodeIneligible = "alloc not needed as node is no longer eligible";

// An allocation to create.
struct PlacementRequest {
  const model::TaskGroup* group = nullptr;
  std::string name;          // "<job>.<group>[<index>]"
  state::AllocPtr previous;  // the allocation it replaces, if any
  bool reschedule = false;   // `previous` failed: extend its tracker, avoid its node
  // Stop `previous` with `stop_description`, but only once a node is found
  // (destructive updates, reschedules): a replacement that cannot be placed
  // leaves the old allocation alone.
  bool stop_previous = false;
  std::string stop_description;
  state::NodePtr node;  // system jobs: the one node to place on
  std::string deployment_id;  // the deployment the new allocation joins ("" = none)
  bool canary = false;        // placed beside the old version, waiting for promotion
};

// An allocation to stop now.
struct StopRequest {
  state::AllocPtr alloc;
  std::string description;
  std::string client_status;  // "lost" for allocations on down nodes, else empty
};

// An allocation to move to the new job version without restarting it.
struct InPlaceRequest {
  state::AllocPtr alloc;
  const model::TaskGroup* group = nullptr;
  std::string deployment_id;  // the deployment the updated allocation joins ("" = none)
};

// An evaluation to create before the plan is submitted, and the failed
// allocations it will reschedule (their followup_eval_id is set to it).
struct FollowupRequest {
  model::Evaluation eval;
  std::vector<state::AllocPtr> allocs;
};

struct ReconcileResult {
  std::vector<StopRequest> stops;
  std::vector<PlacementRequest> placements;
  std::vector<InPlaceRequest> in_place;
  std::vector<FollowupRequest> followups;
  std::map<std::string, model::DesiredUpdates> desired_tg_updates;  // `job plan` annotations
  // The deployment this evaluation starts, and older ones it cancels.
  std::optional<model::Deployment> deployment;
  std::vector<model::DeploymentStatusUpdate> deployment_updates;
};

struct ReconcileInput {
  const model::Evaluation& eval;
  state::JobPtr job;                           // null when the job was purged
  const std::vector<state::AllocPtr>& allocs;  // every allocation of the job
  const state::StateView& state;               // node lookups
  int64_t now = 0;                             // ns since the epoch
};

// Service and batch jobs: per group, keeps `count` allocations named
// job.group[0..count-1] (reusing free indexes, stopping the highest first),
// replaces lost ones (node down or gone) and migrating ones (draining node with
// DesiredTransition.migrate), reschedules failed ones per the reschedule policy
// (now, or through a follow-up evaluation at the delayed time), never replaces
// completed batch allocations, updates old versions in place or destructively
// (under the job's deployment for service jobs: at most update.max_parallel
// replacements not yet healthy at a time, none while the deployment is paused
// or failed, and with `canary` set, canaries placed beside the old version
// until promotion), starts the deployment of a new version, cancels the one of
// an older version, and stops everything of a stopped or purged job.
ReconcileResult reconcile(const ReconcileInput& input);

// True when `alloc` already runs `job`'s current version.
bool same_version(const model::Allocation& alloc, const model::Job& job);

// How many destructive updates may start now under `group`'s update strategy,
// given `pending` new-version allocations not yet running (-1 = no limit).
int destructive_limit(const model::Job& job, const model::TaskGroup& group, int pending);

// A follow-up evaluation of `job` triggered by `trigger`, to run at `wait_until`.
model::Evaluation followup_eval(const model::Evaluation& parent, const model::Job& job,
                                const std::string& trigger, int64_t wait_until);

}  // namespace caravan::scheduler
