#include "jobspec/internal/free_form.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace caravan::jobspec::internal {
namespace {

// Blocks that may repeat in Nomad's free-form API structures, and the API
// name of their list (`expose { path {} path {} }` → "Paths").
const char* repeated_block_api_name(std::string_view type) {
  if (type == "upstreams") return "Upstreams";
  if (type == "path") return "Paths";
  if (type == "listener") return "Listeners";
  if (type == "service") return "Services";
  return nullptr;
}

// Members whose inner keys are user data, not field names.
bool keeps_inner_keys(std::string_view key) {
  return key == "config" || key == "meta" || key == "env" || key == "options" || key == "headers";
}

std::string initialism(std::string_view word) {
  static constexpr std::string_view kUpper[] = {"id",  "ttl", "tls",  "ip",   "dns", "sni",
                                                "cpu", "url", "http", "grpc", "tcp", "udp"};
  for (std::string_view w : kUpper) {
    if (word == w) {
      std::string out(word);
      for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return out;
    }
  }
  if (word == "cidrs") return "CIDRs";
  if (word == "uids") return "UIDs";
  std::string out(word);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

std::string api_key_name(std::string_view snake) {
  // Field names whose API spelling is not the plain PascalCase of the HCL name.
  if (snake == "memory") return "MemoryMB";
  if (snake == "memory_max") return "MemoryMaxMB";
  if (snake == "logs") return "LogConfig";
  if (snake == "max_file_size") return "MaxFileSizeMB";
  if (snake == "aud") return "Audience";
  std::string out;
  size_t start = 0;
  while (start <= snake.size()) {
    size_t end = snake.find('_', start);
    if (end == std::string_view::npos) end = snake.size();
    out += initialism(snake.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

model::RawJson value_to_json(const hcl::Value& v) {
  switch (v.kind()) {
    case hcl::ValueKind::kNull:
    case hcl::ValueKind::kUnknown:
      return model::RawJson();
    case hcl::ValueKind::kBool:
      return model::RawJson::boolean(v.as_bool());
    case hcl::ValueKind::kNumber:
      return model::RawJson::number(v.as_number());
    case hcl::ValueKind::kString:
      return model::RawJson::string(v.as_string());
    case hcl::ValueKind::kList: {
      std::vector<model::RawJson> items;
      for (const hcl::Value& item : v.as_list()) items.push_back(value_to_json(item));
      return model::RawJson::array(items);
    }
    case hcl::ValueKind::kObject: {
      std::map<std::string, model::RawJson> members;
      for (const auto& [key, item] : v.as_object()) members[key] = value_to_json(item);
      return model::RawJson::object(members);
    }
  }
  return model::RawJson();
}

namespace {

model::RawJson body_to_json_impl(const hcl::Body& body, const hcl::EvalContext& ctx,
                                 hcl::Diagnostics& diags, KeyStyle style);

model::RawJson block_to_json(const hcl::Block& block, const hcl::EvalContext& ctx,
                             hcl::Diagnostics& diags, KeyStyle style) {
  KeyStyle inner = style;
  if (style == KeyStyle::kNomadApi && keeps_inner_keys(block.type)) inner = KeyStyle::kVerbatim;
  model::RawJson json = body_to_json_impl(block.body, ctx, diags, inner);
  // Labels nest: `x "a" "b" { … }` → {"a": {"b": {…}}}.
  for (auto it = block.labels.rbegin(); it != block.labels.rend(); ++it) {
    json = model::RawJson::object({{*it, json}});
  }
  if (!json.has_value()) json = model::RawJson::object({});
  return json;
}

model::RawJson body_to_json_impl(const hcl::Body& body, const hcl::EvalContext& ctx,
                                 hcl::Diagnostics& diags, KeyStyle style) {
  std::map<std::string, model::RawJson> members;
  std::map<std::string, SourceRange> defined_at;
  for (const hcl::Attribute& attr : body.attributes) {
    hcl::Value v = hcl::evaluate(*attr.expr, ctx, diags);
    std::string key = style == KeyStyle::kNomadApi ? api_key_name(attr.name) : attr.name;
    members[key] = value_to_json(v);
    defined_at[attr.name] = attr.name_range;
  }
  // Blocks of one type are gathered in source order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<model::RawJson>> grouped;
  for (const hcl::Block& block : body.blocks) {
    if (auto it = defined_at.find(block.type); it != defined_at.end()) {
      diags.error(block.type_range, "Duplicate argument",
                  fmt::format("\"{}\" is already set as an argument at {}:{}; use either "
                              "`{} = ...` or `{} {{ ... }}` blocks, not both.",
                              block.type, it->second.start.line, it->second.start.column,
                              block.type, block.type));
      continue;
    }
    if (!grouped.contains(block.type)) order.push_back(block.type);
    grouped[block.type].push_back(block_to_json(block, ctx, diags, style));
  }
  for (const std::string& type : order) {
    std::vector<model::RawJson>& items = grouped[type];
    if (style == KeyStyle::kVerbatim) {
      members[type] = model::RawJson::array(items);
    } else if (const char* list_name = repeated_block_api_name(type)) {
      members[list_name] = model::RawJson::array(items);
    } else {
      // A singleton block in the API; a repeated one keeps the last, as Nomad's
      // decoder would reject it anyway.
      members[api_key_name(type)] = items.back();
    }
  }
  return model::RawJson::object(members);
}

}  // namespace

model::RawJson body_to_json(const hcl::Body& body, const hcl::EvalContext& ctx,
                            hcl::Diagnostics& diags, KeyStyle style) {
  return body_to_json_impl(body, ctx, diags, style);
}

}  // namespace caravan::jobspec::internal
