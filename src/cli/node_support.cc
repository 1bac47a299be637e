#include "cli/node_support.h"

#include <ostream>

#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {

Result<std::string> local_node_id(ApiClient& api) {
  Result<nlohmann::json> self = api.get("/v1/agent/self");
  if (!self)
    return Status(self.error().code(), api_error_text("querying agent info", self.error()));
  std::string id = json_string(json_member(json_member(*self, "stats"), "client"), "node_id");
  if (id.empty()) {
    return failed_precondition(
        "Error determining local node ID: the agent is not running a client (start it with "
        "-client or -dev)");
  }
  return id;
}

std::optional<std::string> resolve_node_id(ApiClient& api, bool self, const std::string& prefix,
                                           CommandIo& io) {
  if (self) {
    Result<std::string> id = local_node_id(api);
    if (!id) {
      io.err << id.error().message() << "\n";
      return std::nullopt;
    }
    return *id;
  }
  Result<nlohmann::json> stub = resolve_prefix(api, ObjectKind::kNode, prefix);
  if (!stub) {
    io.err << stub.error().message() << "\n";
    return std::nullopt;
  }
  return json_string(*stub, "ID");
}

}  // namespace caravan::cli
