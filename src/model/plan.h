// A plan: what a scheduler worker wants to change for one evaluation — the
// allocations to place or update and those to stop, per node. The plan applier
// re-checks it against the newest state and commits what still fits
// (PlanResult). `job plan` shows the annotations (counts per task group).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/allocation.h"
#include "model/deployment.h"
#include "model/job.h"

namespace caravan::model {

// What the reconciler decided for one task group. JSON: Ignore, Place, Migrate,
// Stop, InPlaceUpdate, DestructiveUpdate, Canary, Preemptions.
struct DesiredUpdates {
  int ignore = 0;
  int place = 0;
  int migrate = 0;
  int stop = 0;
  int in_place_update = 0;
  int destructive_update = 0;
  int canary = 0;
  int preemptions = 0;

  bool operator==(const DesiredUpdates&) const = default;
};

// JSON: DesiredTGUpdates.
struct PlanAnnotations {
  std::map<std::string, DesiredUpdates> desired_tg_updates;

  bool operator==(const PlanAnnotations&) const = default;
};

struct Plan {
  std::string eval_id;
  std::string eval_token;  // the broker's token: only the holder of the eval may submit
  int priority = 50;
  bool all_at_once = false;  // commit all or nothing
  std::shared_ptr<const Job> job;
  int64_t snapshot_index = 0;  // the state index the scheduler planned against
  // Allocations to stop or mark lost, by node: copies carrying the new desired
  // status/description (and client status for lost ones).
  std::map<std::string, std::vector<Allocation>> node_update;
  // New allocations and in-place updates of existing ones, by node.
  std::map<std::string, std::vector<Allocation>> node_allocation;
  PlanAnnotations annotations;
  // The deployment this plan starts (the rollout of a new job version), and
  // status changes of earlier ones (cancelled by a newer version or a stop).
  std::optional<Deployment> deployment;
  std::vector<DeploymentStatusUpdate> deployment_updates;

  bool empty() const {
    return node_update.empty() && node_allocation.empty() && !deployment &&
           deployment_updates.empty();
  }
};

// What the applier committed. A node whose placements no longer fit is left out
// of node_allocation; refresh_index then tells the worker which state index to
// wait for before it plans again.
struct PlanResult {
  std::map<std::string, std::vector<Allocation>> node_update;
  std::map<std::string, std::vector<Allocation>> node_allocation;
  int64_t refresh_index = 0;
  int64_t alloc_index = 0;  // the index the committed allocations were written at

  // True when every placement and stop of `plan` was committed.
  bool full_commit(const Plan& plan) const;
};

}  // namespace caravan::model
