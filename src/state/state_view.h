// StateView: a consistent, read-only view of the cluster state at one index —
// what a scheduler worker plans against, what the plan applier re-checks and
// what API reads serve. The state store hands out immutable snapshots that
// implement it (cheap to take, safe to read from any thread while writes go on);
// tests may implement it with a hand-written fake.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/allocation.h"
#include "model/deployment.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/node.h"
#include "model/node_usage.h"
#include "model/service_registration.h"

namespace caravan::state {

using JobPtr = std::shared_ptr<const model::Job>;
using NodePtr = std::shared_ptr<const model::Node>;
using AllocPtr = std::shared_ptr<const model::Allocation>;
using EvalPtr = std::shared_ptr<const model::Evaluation>;
using ServicePtr = std::shared_ptr<const model::ServiceRegistration>;
using DeploymentPtr = std::shared_ptr<const model::Deployment>;

// The tables; each records the index of its last change (blocking queries on a
// list endpoint wait on its table's index).
enum class Table { kJobs, kJobVersions, kNodes, kAllocs, kEvals, kDeployments, kServices };

class StateView {
 public:
  virtual ~StateView() = default;

  // The index of the last log entry applied to this view.
  virtual int64_t index() const = 0;
  // The index of the last change to `table` (0 when never changed).
  virtual int64_t table_index(Table table) const = 0;

  // The current version of a job; nullptr when there is none.
  virtual JobPtr job(std::string_view ns, std::string_view id) const = 0;
  // One past or current version of a job; nullptr when unknown.
  virtual JobPtr job_version(std::string_view ns, std::string_view id, int64_t version) const = 0;
  // Every version kept of a job, newest first.
  virtual std::vector<JobPtr> job_versions(std::string_view ns, std::string_view id) const = 0;
  // Every job, sorted by namespace then id. `ns` empty = all namespaces.
  virtual std::vector<JobPtr> jobs(std::string_view ns) const = 0;

  virtual NodePtr node(std::string_view id) const = 0;
  // Every node, sorted by id.
  virtual std::vector<NodePtr> nodes() const = 0;

  virtual AllocPtr alloc(std::string_view id) const = 0;
  // Allocations of a job (every version, terminal ones included), sorted by id.
  virtual std::vector<AllocPtr> allocs_by_job(std::string_view ns, std::string_view job_id) const = 0;
  // Allocations placed on a node (terminal ones included), sorted by id.
  virtual std::vector<AllocPtr> allocs_by_node(std::string_view node_id) const = 0;
  // Every allocation, sorted by id.
  virtual std::vector<AllocPtr> allocs() const = 0;
  // What the live (non-terminal) allocations on a node hold of it; nullptr when
  // there are none. The state store keeps it as an index; this default sums
  // allocs_by_node (for hand-written views).
  virtual std::shared_ptr<const model::NodeUsage> node_usage(std::string_view node_id) const;

  virtual EvalPtr eval(std::string_view id) const = 0;
  // Evaluations of a job, sorted by id.
  virtual std::vector<EvalPtr> evals_by_job(std::string_view ns, std::string_view job_id) const = 0;
  // Every evaluation, sorted by id.
  virtual std::vector<EvalPtr> evals() const = 0;

  // Deployments (Table::kDeployments). The defaults hold nothing.
  virtual DeploymentPtr deployment(std::string_view id) const;
  // Every deployment, sorted by id; `ns` empty = all namespaces.
  virtual std::vector<DeploymentPtr> deployments(std::string_view ns) const;
  // The deployments of a job, newest (highest CreateIndex) first.
  virtual std::vector<DeploymentPtr> deployments_by_job(std::string_view ns,
                                                        std::string_view job_id) const;
  // The job's newest deployment; nullptr when it has none.
  DeploymentPtr latest_deployment(std::string_view ns, std::string_view job_id) const;

  // The catalog (Table::kServices). The defaults hold nothing (for hand-written
  // views that do not need it).
  // Every registered instance, sorted by namespace, service name, id; `ns`
  // empty = all namespaces.
  virtual std::vector<ServicePtr> services(std::string_view ns) const;
  // The instances of one service, sorted by id.
  virtual std::vector<ServicePtr> service(std::string_view ns, std::string_view name) const;
  // The instances an allocation registered, sorted by id.
  virtual std::vector<ServicePtr> services_by_alloc(std::string_view alloc_id) const;
  // The index of the last change to one service's instances (0 = never): the
  // X-Consul-Index of a per-service blocking query. It stays (and only grows)
  // after the last instance is gone.
  virtual int64_t service_index(std::string_view ns, std::string_view name) const;
};

using StateViewPtr = std::shared_ptr<const StateView>;

}  // namespace caravan::state
