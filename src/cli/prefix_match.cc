#include "cli/prefix_match.h"

#include <fmt/format.h>

#include <cctype>

#include "cli/deployment_format.h"
#include "cli/listings.h"
#include "cli/text_format.h"

namespace caravan::cli {

std::string_view kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kJob:
      return "job";
    case ObjectKind::kAllocation:
      return "allocation";
    case ObjectKind::kNode:
      return "node";
    case ObjectKind::kEvaluation:
      return "evaluation";
    case ObjectKind::kDeployment:
      return "deployment";
  }
  return "object";
}

std::string_view kind_list_path(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kJob:
      return "/v1/jobs";
    case ObjectKind::kAllocation:
      return "/v1/allocations";
    case ObjectKind::kNode:
      return "/v1/nodes";
    case ObjectKind::kEvaluation:
      return "/v1/evaluations";
    case ObjectKind::kDeployment:
      return "/v1/deployments";
  }
  return "";
}

Result<nlohmann::json> pick_prefix_match(ObjectKind kind, std::string_view prefix,
                                         const nlohmann::json& candidates, int64_t now) {
  if (kind != ObjectKind::kJob && prefix.size() < 2) {
    static constexpr const char* kWhat[] = {"Job", "Alloc", "Node", "Eval"};
    return invalid_argument(
        fmt::format("{} ID must contain at least two characters.", kWhat[static_cast<int>(kind)]));
  }
  nlohmann::json matches = nlohmann::json::array();
  if (candidates.is_array()) {
    for (const auto& c : candidates) {
      std::string id = json_string(c, "ID");
      if (id == prefix) return c;  // an exact ID wins over longer IDs with the same prefix
      if (id.starts_with(prefix)) matches.push_back(c);
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) {
    std::string_view noun = kind_name(kind);
    return not_found(fmt::format("No {}(s) with prefix{} \"{}\" found", noun,
                                 kind == ObjectKind::kNode ? "" : " or id", prefix));
  }
  std::string table;
  switch (kind) {
    case ObjectKind::kJob:
      table = format_job_list(matches);
      break;
    case ObjectKind::kAllocation:
      table = format_alloc_list(matches, false, now);
      break;
    case ObjectKind::kNode:
      table = format_node_list(matches, false);
      break;
    case ObjectKind::kEvaluation:
      table = format_eval_list(matches, false);
      break;
    case ObjectKind::kDeployment:
      table = format_deployment_list(matches, false);
      break;
  }
  return invalid_argument(fmt::format("Prefix matched multiple {}s\n\n{}", kind_name(kind), table));
}

Result<nlohmann::json> resolve_prefix(ApiClient& api, ObjectKind kind, std::string_view prefix) {
  if (kind != ObjectKind::kJob && prefix.size() < 2) {
    return pick_prefix_match(kind, prefix, nlohmann::json::array(), 0);
  }
  std::string path = fmt::format("{}?prefix={}", kind_list_path(kind), url_escape(prefix));
  Result<nlohmann::json> list = api.get(path);
  if (!list) {
    return Status(list.error().code(),
                  api_error_text(fmt::format("querying {}s", kind_name(kind)), list.error()));
  }
  return pick_prefix_match(kind, prefix, *list, now_unix_nanos());
}

Result<std::pair<ObjectKind, std::string>> choose_status_target(
    std::string_view prefix, const std::map<ObjectKind, std::vector<std::string>>& matches) {
  std::vector<ObjectKind> exact;
  for (const auto& [kind, ids] : matches) {
    for (const std::string& id : ids) {
      if (id == prefix) exact.push_back(kind);
    }
  }
  if (exact.size() == 1) return std::pair{exact[0], std::string(prefix)};
  std::vector<std::pair<ObjectKind, std::string>> single;
  size_t kinds = 0;
  for (const auto& [kind, ids] : matches) {
    if (ids.empty()) continue;
    ++kinds;
    if (ids.size() == 1) single.emplace_back(kind, ids[0]);
  }
  if (kinds == 0) return not_found(fmt::format("No matches found for id \"{}\"", prefix));
  if (kinds == 1 && single.size() == 1) return single[0];
  std::string out = fmt::format("Multiple matches found for id \"{}\"\n", prefix);
  for (const auto& [kind, ids] : matches) {
    if (ids.empty()) continue;
    std::string title(kind_name(kind));
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    out += "\n" + title + "s:\n";
    for (const std::string& id : ids) out += id + "\n";
  }
  return invalid_argument(out);
}

std::optional<nlohmann::json> resolve_or_report(ApiClient& api, ObjectKind kind,
                                                std::string_view prefix, CommandIo& io) {
  Result<nlohmann::json> stub = resolve_prefix(api, kind, prefix);
  if (!stub) {
    io.err << stub.error().message() << "\n";
    return std::nullopt;
  }
  return std::move(stub).value();
}

}  // namespace caravan::cli
