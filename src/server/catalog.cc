// The server's catalog operations: what clients register and deregister and
// what the API deletes, checked against the state and written to the log.
#include <fmt/format.h>

#include "server/server.h"

namespace caravan::server {

Status Server::upsert_services_from_client(const std::string& node_id,
                                           const std::string& secret_id,
                                           std::vector<model::ServiceRegistration> instances) {
  CARAVAN_RETURN_IF_ERROR(check_node_secret(node_id, secret_id));
  state::StateViewPtr snapshot = store_->snapshot();
  state::NodePtr node = snapshot->node(node_id);
  for (model::ServiceRegistration& instance : instances) {
    if (instance.id.empty() || instance.service_name.empty()) {
      return invalid_argument("a service instance needs an ID and a ServiceName");
    }
    state::AllocPtr alloc = snapshot->alloc(instance.alloc_id);
    if (!alloc) {
      return not_found(fmt::format("service instance {}: allocation \"{}\" not found",
                                   instance.id, instance.alloc_id));
    }
    if (alloc->node_id != node_id) {
      return permission_denied(fmt::format("allocation {} is not placed on node {}",
                                           instance.alloc_id, node_id));
    }
    instance.node_id = node_id;
    instance.datacenter = node->datacenter;
    instance.namespace_name = alloc->namespace_name;
    instance.job_id = alloc->job_id;
  }
  Result<int64_t> index = store_->apply(state::ServiceRegistrationUpsert{std::move(instances)});
  if (!index) return index.error();
  return Status();
}

Status Server::deregister_services_from_client(const std::string& node_id,
                                               const std::string& secret_id,
                                               std::vector<std::string> alloc_ids) {
  CARAVAN_RETURN_IF_ERROR(check_node_secret(node_id, secret_id));
  state::StateViewPtr snapshot = store_->snapshot();
  for (const std::string& alloc_id : alloc_ids) {
    state::AllocPtr alloc = snapshot->alloc(alloc_id);
    if (alloc && alloc->node_id != node_id) {
      return permission_denied(fmt::format("allocation {} is not placed on node {}", alloc_id,
                                           node_id));
    }
  }
  state::ServiceRegistrationDelete request;
  request.alloc_ids = std::move(alloc_ids);
  Result<int64_t> index = store_->apply(std::move(request));
  if (!index) return index.error();
  return Status();
}

Status Server::delete_service(const std::string& ns, const std::string& name,
                              const std::string& id) {
  state::ServiceRegistrationDelete request;
  request.namespace_name = ns.empty() ? "default" : ns;
  request.service_name = name;
  request.id = id;
  Result<int64_t> index = store_->apply(std::move(request));
  if (!index) return index.error();
  return Status();
}

}  // namespace caravan::server
