#include "client/node_identity.h"

#include "client/internal/files.h"
#include "core/strings.h"
#include "core/uuid.h"

namespace caravan::client {

namespace {

Result<std::string> load_or_create_id(const std::string& path) {
  Result<std::string> text = internal::read_file(path);
  if (text.has_value()) {
    std::string id(trim(*text));
    if (!is_uuid(id)) {
      return invalid_argument("node identity file " + path + " does not hold a UUID (found \"" +
                              id.substr(0, 40) +
                              "\"); restore it, or delete it to register "
                              "as a new node");
    }
    return id;
  }
  if (text.error().code() != StatusCode::kNotFound) return text.error();
  std::string id = generate_uuid();
  CARAVAN_RETURN_IF_ERROR(internal::write_file_atomic(path, id + "\n", 0600));
  return id;
}

}  // namespace

Result<NodeIdentity> load_or_create_node_identity(const std::string& data_dir) {
  if (data_dir.empty()) return invalid_argument("the client data dir is not set");
  std::string dir = data_dir + "/client";
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(dir, 0700));
  NodeIdentity identity;
  identity.node_id = CARAVAN_TRY(load_or_create_id(dir + "/node-id"));
  identity.secret_id = CARAVAN_TRY(load_or_create_id(dir + "/secret-id"));
  return identity;
}

}  // namespace caravan::client
