#include "client/fingerprint.h"

#include "client/internal/fingerprinters.h"
#include "client/node_identity.h"

namespace caravan::client {

Result<FingerprintResult> fingerprint_node(
    const FingerprintConfig& config,
    const std::vector<std::unique_ptr<Fingerprinter>>& fingerprinters) {
  NodeIdentity identity = CARAVAN_TRY(load_or_create_node_identity(config.data_dir));
  FingerprintResult result;
  model::Node& node = result.node;
  node.id = identity.node_id;
  node.secret_id = identity.secret_id;
  node.datacenter = config.datacenter.empty() ? "dc1" : config.datacenter;
  node.node_class = config.node_class;
  node.node_pool = config.node_pool.empty() ? "default" : config.node_pool;
  node.meta = config.meta;
  node.http_addr = config.http_addr;
  node.status = model::kNodeStatusInitializing;
  for (const auto& fingerprinter : fingerprinters) {
    Status st = fingerprinter->fingerprint(config, node, result.warnings);
    if (!st.is_ok()) {
      return Status(st.code(),
                    "fingerprint " + std::string(fingerprinter->name()) + ": " + st.message());
    }
  }
  node.name = config.node_name;
  if (node.name.empty()) {
    auto host = node.attributes.find("unique.hostname");
    node.name = host != node.attributes.end() ? host->second : node.id;
  }
  return result;
}

Result<FingerprintResult> fingerprint_node(const FingerprintConfig& config) {
  return fingerprint_node(config, builtin_fingerprinters());
}

std::vector<std::unique_ptr<Fingerprinter>> builtin_fingerprinters() {
  std::vector<std::unique_ptr<Fingerprinter>> out;
  out.push_back(internal::make_cpu_fingerprinter());
  out.push_back(internal::make_memory_fingerprinter());
  out.push_back(internal::make_storage_fingerprinter());
  out.push_back(internal::make_host_fingerprinter());
  out.push_back(internal::make_network_fingerprinter());
  out.push_back(internal::make_version_fingerprinter());
  return out;
}

}  // namespace caravan::client
