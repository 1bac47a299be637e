// The reconciler's view of a job's deployment: the one rolling out the job's
// current version (found in the state, or started by this evaluation), the
// older ones this evaluation cancels, and the per-group facts the rolling
// update and canary logic need (is the group governed by a deployment, is it
// promoted, may it make progress).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/deployment.h"
#include "model/job.h"
#include "state/state_view.h"

namespace caravan::scheduler::internal {

class JobDeployment {
 public:
  // Finds the deployment of `job`'s current version and cancels an active one
  // of an older version (or of a stopped job: `job` null or stopped).
  JobDeployment(const state::StateView& state, const std::string& ns, const std::string& job_id,
                const model::Job* job, int64_t now);

  // True when `group` of the job rolls out under a deployment: a service job
  // whose update block has max_parallel > 0.
  static bool governs(const model::Job& job, const model::TaskGroup& group);

  // The running or paused deployment new allocations join; null when none.
  const model::Deployment* active() const;
  // The deployment of the current version in any status; null when none.
  const model::Deployment* current() const;
  // Starts a deployment for the current version unless one exists, and adds
  // `group`'s state to the one this evaluation started.
  void require(const model::Job& job, const model::TaskGroup& group, int desired_canaries);
  // The group's canaries were promoted (or it has none to wait for).
  bool promoted(const std::string& group) const;
  // Updates may start now (a deployment that is paused, failed or cancelled holds them).
  bool running() const;

  std::optional<model::Deployment> created;
  std::vector<model::DeploymentStatusUpdate> cancelled;

 private:
  int64_t now_ = 0;
  state::DeploymentPtr existing_;
};

// The allocation is a canary of its deployment (not yet promoted).
bool is_canary(const model::Allocation& alloc);

}  // namespace caravan::scheduler::internal
