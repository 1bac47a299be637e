#include "state/internal/tables.h"

#include <vector>

namespace caravan::state::internal {
namespace {

template <class Map, class Key>
auto find_ptr(const Map& map, const Key& key) -> std::decay_t<decltype(*map.find(key))> {
  const auto* found = map.find(key);
  return found == nullptr ? nullptr : *found;
}

JobChildKey child_key(const model::Allocation& alloc) {
  return {alloc.namespace_name, alloc.job_id, alloc.id};
}
JobChildKey child_key(const model::Evaluation& eval) {
  return {eval.namespace_name, eval.job_id, eval.id};
}

}  // namespace

JobPtr Tables::job(std::string_view ns, std::string_view id) const {
  return find_ptr(jobs, JobKey{ns, id});
}
JobPtr Tables::job_version(std::string_view ns, std::string_view id, int64_t version) const {
  return find_ptr(job_versions, JobVersionKey{ns, id, version});
}
AllocPtr Tables::alloc(std::string_view id) const { return find_ptr(allocs, id); }
EvalPtr Tables::eval(std::string_view id) const { return find_ptr(evals, id); }
DeploymentPtr Tables::deployment(std::string_view id) const { return find_ptr(deployments, id); }

void Tables::put_deployment(DeploymentPtr deployment) {
  deployments.set(std::string_view(deployment->id), deployment);
  JobChildKey key{deployment->namespace_name, deployment->job_id, deployment->id};
  deployments_by_job.set(key, std::move(deployment));
}

void Tables::delete_deployment(std::string_view id) {
  DeploymentPtr old = deployment(id);
  if (old == nullptr) return;
  deployments_by_job.erase(JobChildKey{old->namespace_name, old->job_id, old->id});
  deployments.erase(std::string_view(old->id));
}
NodePtr Tables::node(std::string_view id) const { return find_ptr(nodes, id); }

JobCounts Tables::counts(std::string_view ns, std::string_view job_id) const {
  const JobCounts* found = job_counts.find(OwnedJobKey(ns, job_id));
  return found == nullptr ? JobCounts{} : *found;
}

void Tables::put_job(JobPtr job) {
  JobKey key{job->namespace_name, job->id};
  jobs.set(key, std::move(job));
}

void Tables::put_job_version(JobPtr job) {
  std::string_view ns = job->namespace_name;
  std::string_view id = job->id;
  JobVersionKey key{ns, id, job->version};
  JobPtr keep = job;  // the views in `key` point into it
  job_versions.set(key, std::move(job));
  std::vector<int64_t> versions;
  for (auto it = job_versions.lower_bound(JobVersionKey{ns, id, INT64_MIN});
       it != job_versions.end() && std::get<0>(it.key()) == ns && std::get<1>(it.key()) == id;
       ++it) {
    versions.push_back(std::get<2>(it.key()));
  }
  for (size_t i = 0; i + kJobVersionsKept < versions.size(); ++i) {
    job_versions.erase(JobVersionKey{ns, id, versions[i]});
  }
}

void Tables::delete_job(std::string_view ns_view, std::string_view id_view) {
  // Own the strings: the views may point into the job being deleted.
  std::string ns(ns_view);
  std::string id(id_view);
  jobs.erase(JobKey{ns, id});
  std::vector<int64_t> versions;
  for (auto it = job_versions.lower_bound(JobVersionKey{ns, id, INT64_MIN});
       it != job_versions.end() && std::get<0>(it.key()) == ns && std::get<1>(it.key()) == id;
       ++it) {
    versions.push_back(std::get<2>(it.key()));
  }
  for (int64_t version : versions) job_versions.erase(JobVersionKey{ns, id, version});
}

void Tables::put_node(NodePtr node) {
  std::string_view key = node->id;
  nodes.set(key, std::move(node));
}

void Tables::put_alloc(AllocPtr alloc) {
  AllocPtr old = this->alloc(alloc->id);
  adjust_usage(old.get(), alloc.get());
  if (old != nullptr) {
    // Ids never change; the node or job of an in-place update normally do not either.
    if (old->node_id != alloc->node_id) allocs_by_node.erase(NodeChildKey{old->node_id, old->id});
    if (old->namespace_name != alloc->namespace_name || old->job_id != alloc->job_id) {
      allocs_by_job.erase(child_key(*old));
      adjust_counts(old->namespace_name, old->job_id, -1, old->terminal() ? 0 : -1, 0, 0);
      old = nullptr;
    }
  }
  int64_t live_delta = (alloc->terminal() ? 0 : 1) - (old == nullptr || old->terminal() ? 0 : 1);
  adjust_counts(alloc->namespace_name, alloc->job_id, old == nullptr ? 1 : 0, live_delta, 0, 0);
  allocs.set(std::string_view(alloc->id), alloc);
  allocs_by_job.set(child_key(*alloc), alloc);
  NodeChildKey node_key{alloc->node_id, alloc->id};
  allocs_by_node.set(node_key, std::move(alloc));
}

void Tables::delete_alloc(std::string_view id) {
  AllocPtr old = alloc(id);
  if (old == nullptr) return;
  adjust_usage(old.get(), nullptr);
  allocs_by_node.erase(NodeChildKey{old->node_id, old->id});
  allocs_by_job.erase(child_key(*old));
  allocs.erase(std::string_view(old->id));
  adjust_counts(old->namespace_name, old->job_id, -1, old->terminal() ? 0 : -1, 0, 0);
}

void Tables::put_eval(EvalPtr eval) {
  EvalPtr old = this->eval(eval->id);
  if (old != nullptr &&
      (old->namespace_name != eval->namespace_name || old->job_id != eval->job_id)) {
    evals_by_job.erase(child_key(*old));
    adjust_counts(old->namespace_name, old->job_id, 0, 0, -1, old->terminal() ? 0 : -1);
    old = nullptr;
  }
  int64_t live_delta = (eval->terminal() ? 0 : 1) - (old == nullptr || old->terminal() ? 0 : 1);
  adjust_counts(eval->namespace_name, eval->job_id, 0, 0, old == nullptr ? 1 : 0, live_delta);
  evals.set(std::string_view(eval->id), eval);
  JobChildKey key = child_key(*eval);
  evals_by_job.set(key, std::move(eval));
}

void Tables::delete_eval(std::string_view id) {
  EvalPtr old = eval(id);
  if (old == nullptr) return;
  evals_by_job.erase(child_key(*old));
  evals.erase(std::string_view(old->id));
  adjust_counts(old->namespace_name, old->job_id, 0, 0, -1, old->terminal() ? 0 : -1);
}

ServicePtr Tables::service(std::string_view alloc_id, std::string_view id) const {
  return find_ptr(services_by_alloc, AllocServiceKey{alloc_id, id});
}

int64_t Tables::service_index(std::string_view ns, std::string_view name) const {
  const int64_t* found = service_indexes.find(OwnedServiceName(ns, name));
  return found == nullptr ? 0 : *found;
}

void Tables::put_service(ServicePtr instance, int64_t at) {
  ServicePtr old = service(instance->alloc_id, instance->id);
  if (old != nullptr && (old->namespace_name != instance->namespace_name ||
                         old->service_name != instance->service_name)) {
    delete_service(old->alloc_id, old->id, at);
  }
  service_indexes.set(OwnedServiceName(instance->namespace_name, instance->service_name), at);
  services.set(ServiceKey{instance->namespace_name, instance->service_name, instance->id},
               instance);
  AllocServiceKey key{instance->alloc_id, instance->id};
  services_by_alloc.set(key, std::move(instance));
}

bool Tables::delete_service(std::string_view alloc_id_view, std::string_view id_view,
                            int64_t at) {
  ServicePtr old = service(alloc_id_view, id_view);  // keeps the keys' strings alive
  if (old == nullptr) return false;
  service_indexes.set(OwnedServiceName(old->namespace_name, old->service_name), at);
  services.erase(ServiceKey{old->namespace_name, old->service_name, old->id});
  services_by_alloc.erase(AllocServiceKey{old->alloc_id, old->id});
  return true;
}

void Tables::adjust_usage(const model::Allocation* before, const model::Allocation* after) {
  bool before_live = before != nullptr && !before->terminal();
  bool after_live = after != nullptr && !after->terminal();
  if (before_live && after_live && before->node_id == after->node_id &&
      before->allocated_resources == after->allocated_resources) {
    return;  // a client status update: nothing held changes
  }
  auto change = [&](const model::Allocation& alloc, int sign) {
    const auto* stored = usage_by_node.find(std::string_view(alloc.node_id));
    auto usage = stored != nullptr && *stored != nullptr ? std::make_shared<model::NodeUsage>(**stored)
                                                         : std::make_shared<model::NodeUsage>();
    model::apply_alloc_usage(*usage, alloc, sign);
    usage_by_node.set(alloc.node_id, std::move(usage));
  };
  if (before_live) change(*before, -1);
  if (after_live) change(*after, 1);
}

void Tables::adjust_counts(std::string_view ns, std::string_view job_id, int64_t allocs_delta,
                           int64_t live_allocs, int64_t evals_delta, int64_t live_evals) {
  if (allocs_delta == 0 && live_allocs == 0 && evals_delta == 0 && live_evals == 0) return;
  OwnedJobKey key(ns, job_id);
  JobCounts* counts = job_counts.find_mutable(key);
  if (counts == nullptr) {
    job_counts.set(key, JobCounts{});
    counts = job_counts.find_mutable(key);
  }
  counts->allocs += allocs_delta;
  counts->live_allocs += live_allocs;
  counts->evals += evals_delta;
  counts->live_evals += live_evals;
  if (counts->empty()) job_counts.erase(key);
}

}  // namespace caravan::state::internal
