#include "cli/alloc_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "cli/prefix_match.h"
#include "cli/text_format.h"

namespace caravan::cli {

std::optional<nlohmann::json> fetch_allocation(ApiClient& api, std::string_view prefix,
                                               CommandIo& io) {
  Result<nlohmann::json> stub = resolve_prefix(api, ObjectKind::kAllocation, prefix);
  if (!stub) {
    io.err << stub.error().message() << "\n";
    return std::nullopt;
  }
  Result<nlohmann::json> alloc = api.get("/v1/allocation/" + url_escape(json_string(*stub, "ID")));
  if (!alloc) {
    print_api_error(io, "querying allocation", alloc.error());
    return std::nullopt;
  }
  return std::move(alloc).value();
}

std::optional<ApiClient> connect_alloc_node(ApiClient& api, const ApiFlags& flags,
                                            const nlohmann::json& alloc, CommandIo& io) {
  Result<nlohmann::json> node = api.get("/v1/node/" + url_escape(json_string(alloc, "NodeID")));
  std::string node_address = node ? json_string(*node, "HTTPAddr") : "";
  if (!node_address.empty()) {
    ApiFlags node_flags = flags;
    node_flags.address = node_address;
    Result<ApiClient> direct = ApiClient::create(node_flags);
    if (direct && direct->get("/v1/agent/self").has_value()) return std::move(direct).value();
  }
  return connect_api(flags, io);
}

std::vector<std::string> allocation_tasks(const nlohmann::json& alloc) {
  std::vector<std::string> tasks;
  const std::string group = json_string(alloc, "TaskGroup");
  const nlohmann::json& groups = json_member(json_member(alloc, "Job"), "TaskGroups");
  if (groups.is_array()) {
    for (const auto& g : groups) {
      const nlohmann::json& group_tasks = json_member(g, "Tasks");
      if (json_string(g, "Name") != group || !group_tasks.is_array()) continue;
      for (const auto& t : group_tasks) tasks.push_back(json_string(t, "Name"));
    }
  }
  const nlohmann::json& states = json_member(alloc, "TaskStates");
  if (tasks.empty() && states.is_object()) {
    for (const auto& [name, state] : states.items()) tasks.push_back(name);
  }
  return tasks;
}

Result<std::string> select_task(const nlohmann::json& alloc, std::string_view requested) {
  std::vector<std::string> tasks = allocation_tasks(alloc);
  std::string list;
  for (const std::string& t : tasks) list += "* " + t + "\n";
  if (!requested.empty()) {
    if (std::find(tasks.begin(), tasks.end(), requested) != tasks.end()) {
      return std::string(requested);
    }
    return not_found(fmt::format("Could not find task named: {}, found:\n{}", requested, list));
  }
  if (tasks.size() == 1) return tasks[0];
  if (tasks.empty()) {
    return not_found(
        fmt::format("Allocation \"{}\" has no tasks", short_id(json_string(alloc, "ID"))));
  }
  std::string lines;
  for (const std::string& t : tasks) lines += "  * " + t + "\n";
  return invalid_argument(
      fmt::format("Allocation \"{}\" is running the following tasks:\n{}\nPlease specify the task.",
                  short_id(json_string(alloc, "ID")), lines));
}

std::string_view last_lines(std::string_view text, int lines, size_t* start) {
  size_t begin = 0;
  if (lines <= 0) {
    begin = text.size();
  } else {
    // Skip a final newline: it ends the last line rather than starting a new one.
    size_t pos = text.size();
    if (pos > 0 && text[pos - 1] == '\n') --pos;
    int seen = 0;
    while (pos > 0) {
      if (text[pos - 1] == '\n' && ++seen == lines) break;
      --pos;
    }
    begin = pos;
  }
  if (start != nullptr) *start = begin;
  return text.substr(begin);
}

}  // namespace caravan::cli
