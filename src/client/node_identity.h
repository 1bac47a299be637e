// The client's identity: a node ID and a secret ID, generated once (UUID v4) and
// kept in <data_dir>/client/node-id and <data_dir>/client/secret-id so that a
// restarted agent is the same node to the servers and keeps its allocations.
#pragma once

#include <string>

#include "core/status.h"

namespace caravan::client {

struct NodeIdentity {
  std::string node_id;
  std::string secret_id;

  bool operator==(const NodeIdentity&) const = default;
};

// Reads both IDs, creating whichever file is missing (mode 0600). Errors:
// InvalidArgument when a file exists but does not hold a UUID (the message
// names the file; deleting it makes this a new node), Internal on I/O failure.
Result<NodeIdentity> load_or_create_node_identity(const std::string& data_dir);

}  // namespace caravan::client
