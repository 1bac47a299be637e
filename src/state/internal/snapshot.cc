#include "state/internal/snapshot.h"

#include <algorithm>

namespace caravan::state::internal {
namespace {

template <class Map>
auto all_values(const Map& map) {
  std::vector<std::decay_t<decltype(map.begin().value())>> out;
  out.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) out.push_back(it.value());
  return out;
}

// The values of a (namespace, job id or service name, child id) keyed map
// under one job or service.
template <class Map>
auto job_children(const Map& map, std::string_view ns, std::string_view job_id) {
  std::vector<std::decay_t<decltype(map.begin().value())>> out;
  for (auto it = map.lower_bound(JobChildKey{ns, job_id, std::string_view()});
       it != map.end() && std::get<0>(it.key()) == ns && std::get<1>(it.key()) == job_id; ++it) {
    out.push_back(it.value());
  }
  return out;
}

}  // namespace

JobPtr Snapshot::job(std::string_view ns, std::string_view id) const {
  return tables_.job(ns, id);
}

JobPtr Snapshot::job_version(std::string_view ns, std::string_view id, int64_t version) const {
  return tables_.job_version(ns, id, version);
}

std::vector<JobPtr> Snapshot::job_versions(std::string_view ns, std::string_view id) const {
  std::vector<JobPtr> out;
  const auto& versions = tables_.job_versions;
  for (auto it = versions.lower_bound(JobVersionKey{ns, id, INT64_MIN});
       it != versions.end() && std::get<0>(it.key()) == ns && std::get<1>(it.key()) == id; ++it) {
    out.push_back(it.value());
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<JobPtr> Snapshot::jobs(std::string_view ns) const {
  if (ns.empty()) return all_values(tables_.jobs);
  std::vector<JobPtr> out;
  for (auto it = tables_.jobs.lower_bound(JobKey{ns, std::string_view()});
       it != tables_.jobs.end() && it.key().first == ns; ++it) {
    out.push_back(it.value());
  }
  return out;
}

NodePtr Snapshot::node(std::string_view id) const { return tables_.node(id); }
std::vector<NodePtr> Snapshot::nodes() const { return all_values(tables_.nodes); }

AllocPtr Snapshot::alloc(std::string_view id) const { return tables_.alloc(id); }

std::vector<AllocPtr> Snapshot::allocs_by_job(std::string_view ns,
                                              std::string_view job_id) const {
  return job_children(tables_.allocs_by_job, ns, job_id);
}

std::shared_ptr<const model::NodeUsage> Snapshot::node_usage(std::string_view node_id) const {
  const auto* found = tables_.usage_by_node.find(node_id);
  return found == nullptr ? nullptr : *found;
}

std::vector<AllocPtr> Snapshot::allocs_by_node(std::string_view node_id) const {
  std::vector<AllocPtr> out;
  const auto& by_node = tables_.allocs_by_node;
  for (auto it = by_node.lower_bound(NodeChildKey{node_id, std::string_view()});
       it != by_node.end() && it.key().first == node_id; ++it) {
    out.push_back(it.value());
  }
  return out;
}

std::vector<AllocPtr> Snapshot::allocs() const { return all_values(tables_.allocs); }

EvalPtr Snapshot::eval(std::string_view id) const { return tables_.eval(id); }

std::vector<EvalPtr> Snapshot::evals_by_job(std::string_view ns,
                                            std::string_view job_id) const {
  return job_children(tables_.evals_by_job, ns, job_id);
}

std::vector<EvalPtr> Snapshot::evals() const { return all_values(tables_.evals); }

DeploymentPtr Snapshot::deployment(std::string_view id) const { return tables_.deployment(id); }

std::vector<DeploymentPtr> Snapshot::deployments(std::string_view ns) const {
  std::vector<DeploymentPtr> all = all_values(tables_.deployments);
  if (ns.empty()) return all;
  std::erase_if(all, [&](const DeploymentPtr& d) { return d->namespace_name != ns; });
  return all;
}

std::vector<DeploymentPtr> Snapshot::deployments_by_job(std::string_view ns,
                                                        std::string_view job_id) const {
  std::vector<DeploymentPtr> out = job_children(tables_.deployments_by_job, ns, job_id);
  std::sort(out.begin(), out.end(), [](const DeploymentPtr& a, const DeploymentPtr& b) {
    return a->create_index > b->create_index;
  });
  return out;
}

std::vector<ServicePtr> Snapshot::services(std::string_view ns) const {
  if (ns.empty()) return all_values(tables_.services);
  std::vector<ServicePtr> out;
  const auto& services = tables_.services;
  for (auto it = services.lower_bound(ServiceKey{ns, std::string_view(), std::string_view()});
       it != services.end() && std::get<0>(it.key()) == ns; ++it) {
    out.push_back(it.value());
  }
  return out;
}

std::vector<ServicePtr> Snapshot::service(std::string_view ns, std::string_view name) const {
  return job_children(tables_.services, ns, name);  // keyed (namespace, name, id)
}

std::vector<ServicePtr> Snapshot::services_by_alloc(std::string_view alloc_id) const {
  std::vector<ServicePtr> out;
  const auto& by_alloc = tables_.services_by_alloc;
  for (auto it = by_alloc.lower_bound(AllocServiceKey{alloc_id, std::string_view()});
       it != by_alloc.end() && it.key().first == alloc_id; ++it) {
    out.push_back(it.value());
  }
  return out;
}

int64_t Snapshot::service_index(std::string_view ns, std::string_view name) const {
  return tables_.service_index(ns, name);
}

}  // namespace caravan::state::internal
