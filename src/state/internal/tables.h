// Tables: the state store's data at one index — persistent maps for jobs, job
// versions, nodes, allocations and evaluations with their secondary indexes.
// Copying a Tables is O(1) (a snapshot); the FSM writes a private copy through
// the put_*/delete_* methods, which keep every index consistent.
// Private to caravan_state.
#pragma once

#include <array>
#include <memory>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "state/persistent_map.h"
#include "state/state_view.h"

namespace caravan::state::internal {

inline constexpr size_t kTableCount = static_cast<size_t>(Table::kServices) + 1;
// Nomad keeps this many versions of a job.
inline constexpr size_t kJobVersionsKept = 6;

// Keys view into the stored object (see PersistentMap).
using JobKey = std::pair<std::string_view, std::string_view>;  // namespace, job id
using JobVersionKey = std::tuple<std::string_view, std::string_view, int64_t>;
using JobChildKey = std::tuple<std::string_view, std::string_view, std::string_view>;
using NodeChildKey = std::pair<std::string_view, std::string_view>;  // node id, alloc id
using OwnedJobKey = std::pair<std::string, std::string>;
using ServiceKey = std::tuple<std::string_view, std::string_view, std::string_view>;  // ns, name, id
using AllocServiceKey = std::pair<std::string_view, std::string_view>;  // alloc id, instance id
using OwnedServiceName = std::pair<std::string, std::string>;           // ns, service name

// What a job's status derives from: how many of its allocations and evaluations
// exist and how many of them are still live (not terminal).
struct JobCounts {
  int64_t allocs = 0;
  int64_t live_allocs = 0;
  int64_t evals = 0;
  int64_t live_evals = 0;

  bool empty() const { return allocs == 0 && evals == 0; }
};

struct Tables {
  int64_t index = 0;
  std::array<int64_t, kTableCount> table_indexes{};

  PersistentMap<JobKey, JobPtr> jobs;
  PersistentMap<JobVersionKey, JobPtr> job_versions;
  PersistentMap<std::string_view, NodePtr> nodes;
  PersistentMap<std::string_view, AllocPtr> allocs;
  PersistentMap<JobChildKey, AllocPtr> allocs_by_job;
  PersistentMap<NodeChildKey, AllocPtr> allocs_by_node;
  PersistentMap<std::string_view, EvalPtr> evals;
  PersistentMap<JobChildKey, EvalPtr> evals_by_job;
  PersistentMap<OwnedJobKey, JobCounts> job_counts;
  // What the live allocations on each node hold (StateView::node_usage).
  PersistentMap<std::string, std::shared_ptr<const model::NodeUsage>> usage_by_node;
  // The catalog: service instances by name and by allocation, and the index of
  // the last change to each service name.
  PersistentMap<ServiceKey, ServicePtr> services;
  PersistentMap<AllocServiceKey, ServicePtr> services_by_alloc;
  PersistentMap<OwnedServiceName, int64_t> service_indexes;
  PersistentMap<std::string_view, DeploymentPtr> deployments;
  PersistentMap<JobChildKey, DeploymentPtr> deployments_by_job;

  int64_t table_index(Table table) const { return table_indexes[static_cast<size_t>(table)]; }
  void touch(Table table, int64_t at) { table_indexes[static_cast<size_t>(table)] = at; }

  JobPtr job(std::string_view ns, std::string_view id) const;
  JobPtr job_version(std::string_view ns, std::string_view id, int64_t version) const;
  AllocPtr alloc(std::string_view id) const;
  EvalPtr eval(std::string_view id) const;
  DeploymentPtr deployment(std::string_view id) const;
  NodePtr node(std::string_view id) const;
  JobCounts counts(std::string_view ns, std::string_view job_id) const;

  // Replaces the current job (the jobs table only).
  void put_job(JobPtr job);
  // Adds a version and drops the oldest beyond kJobVersionsKept.
  void put_job_version(JobPtr job);
  // Deletes the job and every kept version of it.
  void delete_job(std::string_view ns, std::string_view id);
  void put_node(NodePtr node);
  // Inserts or replaces an allocation, keeping its indexes and job counts.
  void put_alloc(AllocPtr alloc);
  void delete_alloc(std::string_view id);
  void put_eval(EvalPtr eval);
  void delete_eval(std::string_view id);
  // Inserts or replaces a deployment (its job never changes).
  void put_deployment(DeploymentPtr deployment);
  void delete_deployment(std::string_view id);
  // The instance `id` an allocation registered; nullptr when none.
  ServicePtr service(std::string_view alloc_id, std::string_view id) const;
  int64_t service_index(std::string_view ns, std::string_view name) const;
  // Inserts or replaces an instance (keyed by its alloc id and id) and records
  // `at` as its service's index.
  void put_service(ServicePtr service, int64_t at);
  // Removes an instance; true when there was one. Records `at` as its
  // service's index.
  bool delete_service(std::string_view alloc_id, std::string_view id, int64_t at);

 private:
  void adjust_counts(std::string_view ns, std::string_view job_id, int64_t allocs,
                     int64_t live_allocs, int64_t evals, int64_t live_evals);
  // Moves node usage from `before` to `after` (either may be null or terminal).
  void adjust_usage(const model::Allocation* before, const model::Allocation* after);
};

}  // namespace caravan::state::internal
