// Snapshot: the StateView the state store hands out — an immutable Tables at
// one index. Taking one copies a few root pointers; reading one never blocks
// and is safe from any thread. Private to caravan_state.
#pragma once

#include <memory>

#include "state/internal/tables.h"
#include "state/state_view.h"

namespace caravan::state::internal {

class Snapshot final : public StateView {
 public:
  explicit Snapshot(Tables tables) : tables_(std::move(tables)) {}

  const Tables& tables() const { return tables_; }

  int64_t index() const override { return tables_.index; }
  int64_t table_index(Table table) const override { return tables_.table_index(table); }

  JobPtr job(std::string_view ns, std::string_view id) const override;
  JobPtr job_version(std::string_view ns, std::string_view id, int64_t version) const override;
  std::vector<JobPtr> job_versions(std::string_view ns, std::string_view id) const override;
  std::vector<JobPtr> jobs(std::string_view ns) const override;

  NodePtr node(std::string_view id) const override;
  std::vector<NodePtr> nodes() const override;

  AllocPtr alloc(std::string_view id) const override;
  std::vector<AllocPtr> allocs_by_job(std::string_view ns,
                                      std::string_view job_id) const override;
  std::vector<AllocPtr> allocs_by_node(std::string_view node_id) const override;
  std::vector<AllocPtr> allocs() const override;
  std::shared_ptr<const model::NodeUsage> node_usage(std::string_view node_id) const override;

  EvalPtr eval(std::string_view id) const override;
  std::vector<EvalPtr> evals_by_job(std::string_view ns,
                                    std::string_view job_id) const override;
  std::vector<EvalPtr> evals() const override;

  DeploymentPtr deployment(std::string_view id) const override;
  std::vector<DeploymentPtr> deployments(std::string_view ns) const override;
  std::vector<DeploymentPtr> deployments_by_job(std::string_view ns,
                                                std::string_view job_id) const override;

  std::vector<ServicePtr> services(std::string_view ns) const override;
  std::vector<ServicePtr> service(std::string_view ns, std::string_view name) const override;
  std::vector<ServicePtr> services_by_alloc(std::string_view alloc_id) const override;
  int64_t service_index(std::string_view ns, std::string_view name) const override;

 private:
  Tables tables_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

}  // namespace caravan::state::internal
