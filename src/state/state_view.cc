#include "state/state_view.h"

namespace caravan::state {

std::shared_ptr<const model::NodeUsage> StateView::node_usage(std::string_view node_id) const {
  std::shared_ptr<model::NodeUsage> usage;
  for (const AllocPtr& alloc : allocs_by_node(node_id)) {
    if (alloc->terminal()) continue;
    if (!usage) usage = std::make_shared<model::NodeUsage>();
    model::apply_alloc_usage(*usage, *alloc, 1);
  }
  return usage;
}

DeploymentPtr StateView::deployment(std::string_view /*id*/) const { return nullptr; }

std::vector<DeploymentPtr> StateView::deployments(std::string_view /*ns*/) const { return {}; }

std::vector<DeploymentPtr> StateView::deployments_by_job(std::string_view /*ns*/,
                                                         std::string_view /*job_id*/) const {
  return {};
}

DeploymentPtr StateView::latest_deployment(std::string_view ns, std::string_view job_id) const {
  std::vector<DeploymentPtr> all = deployments_by_job(ns, job_id);
  return all.empty() ? nullptr : all.front();
}

std::vector<ServicePtr> StateView::services(std::string_view /*ns*/) const { return {}; }

std::vector<ServicePtr> StateView::service(std::string_view /*ns*/,
                                           std::string_view /*name*/) const {
  return {};
}

std::vector<ServicePtr> StateView::services_by_alloc(std::string_view /*alloc_id*/) const {
  return {};
}

int64_t StateView::service_index(std::string_view /*ns*/, std::string_view /*name*/) const {
  return 0;
}

}  // namespace caravan::state
