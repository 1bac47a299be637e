// The FSM's deployment bookkeeping: counts placements and health reports into
// a deployment's per-group counters, changes its status, promotes canaries,
// applies manually set health and marks a job version stable. Each function
// validates before it writes; allocations to change are returned for the
// applier to store (it owns their indexes). Private to caravan_state.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/status.h"
#include "model/allocation.h"
#include "model/deployment.h"
#include "state/internal/tables.h"
#include "state/log_entry.h"

namespace caravan::state::internal {

class DeploymentBook {
 public:
  DeploymentBook(Tables& tables, int64_t index, int64_t time)
      : t_(tables), index_(index), time_(time) {}

  // Stores a deployment a plan creates.
  void create(model::Deployment deployment);
  Status set_status(const model::DeploymentStatusUpdate& update);
  // A new allocation of a deployment was placed.
  void count_placement(const model::Allocation& alloc);
  // The allocation's health went from `before` to its current DeploymentStatus.
  void count_health(const std::optional<model::AllocDeploymentStatus>& before,
                    const model::Allocation& alloc);
  // The canaries of the promoted groups, no longer canaries (to store).
  Result<std::vector<model::Allocation>> promote(const DeploymentPromote& req);
  // The allocations with their health set (to store; count_health is done).
  Result<std::vector<model::Allocation>> set_alloc_health(const DeploymentAllocHealth& req);
  // The operator's stable mark on a job version (the current job's too when
  // it is that version); not found when the server no longer keeps it.
  Status set_stability(const JobStability& req);

 private:
  Result<model::Deployment> active(const std::string& id) const;
  void put(model::Deployment deployment);
  void mark_stable(const model::Deployment& deployment);
  // Writes `stable` into the stored version and, when it is the job's
  // current version, into the job.
  void put_stability(const JobPtr& version, bool stable);

  Tables& t_;
  int64_t index_;
  int64_t time_;
};

}  // namespace caravan::state::internal
