#include "jobspec/source_map.h"

namespace caravan::jobspec {

void SourceMap::record(std::string path, SourceRange range) {
  ranges_.emplace(std::move(path), std::move(range));
}

void SourceMap::alias(std::string from, std::string to) {
  aliases_.emplace_back(std::move(from), std::move(to));
}

namespace {

// Whether `path` is `prefix` itself or a path below it.
bool has_path_prefix(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  if (path.size() == prefix.size()) return true;
  char next = path[prefix.size()];
  return next == '.' || next == '[';
}

// The parent of a path: strips the last ".field" or "[index]" step; "" at the root.
std::string parent_path(std::string_view path) {
  if (path.ends_with("\"]")) {  // a map key step, which may itself hold '.' or '['
    size_t open = path.rfind("[\"");
    if (open != std::string_view::npos) return std::string(path.substr(0, open));
  }
  size_t cut = path.find_last_of(".[");
  if (cut == std::string_view::npos) return "";
  return std::string(path.substr(0, cut));
}

}  // namespace

std::optional<SourceRange> SourceMap::find_exact_or_ancestor(std::string path) const {
  while (true) {
    if (auto it = ranges_.find(path); it != ranges_.end()) return it->second;
    if (path.empty()) return std::nullopt;
    path = parent_path(path);
  }
}

std::optional<SourceRange> SourceMap::find(std::string_view path) const {
  // A path recorded as such wins over an alias (a group's own field).
  if (auto it = ranges_.find(path); it != ranges_.end()) return it->second;
  for (const auto& [from, to] : aliases_) {
    if (has_path_prefix(path, from)) {
      std::string mapped = to + std::string(path.substr(from.size()));
      if (auto it = ranges_.find(mapped); it != ranges_.end()) return it->second;
    }
  }
  return find_exact_or_ancestor(std::string(path));
}

std::string join_path(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  std::string out(prefix);
  out += '.';
  out += field;
  return out;
}

std::string index_path(std::string_view prefix, size_t index) {
  return std::string(prefix) + "[" + std::to_string(index) + "]";
}

std::string key_path(std::string_view prefix, std::string_view key) {
  std::string out(prefix);
  out += "[\"";
  out += key;
  out += "\"]";
  return out;
}

}  // namespace caravan::jobspec
