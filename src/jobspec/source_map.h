// Where each field of a decoded job came from in its HCL file. The HCL decoder
// records a range per field path (Nomad's JSON naming: "TaskGroups[0].Tasks[1].
// Resources.MemoryMB"); the validator reports problems by the same paths, so an
// error found on the model still points at file:line:col of the job file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/source_range.h"

namespace caravan::jobspec {

class SourceMap {
 public:
  // Remembers that `path` was read from `range` (the first recording wins).
  void record(std::string path, SourceRange range);

  // Makes paths under `from` resolve like the same paths under `to`, for values
  // the defaults pass copied (a job-level `update` inherited by a group).
  void alias(std::string from, std::string to);

  // The range of `path`, else of its nearest recorded ancestor ("A.B[2].C" →
  // "A.B[2]" → "A.B" → "A"), after applying aliases; nullopt when none is known.
  std::optional<SourceRange> find(std::string_view path) const;

  // Whether exactly `path` was recorded.
  bool has(std::string_view path) const { return ranges_.find(path) != ranges_.end(); }
  bool empty() const { return ranges_.empty(); }

 private:
  std::optional<SourceRange> find_exact_or_ancestor(std::string path) const;

  std::map<std::string, SourceRange, std::less<>> ranges_;
  std::vector<std::pair<std::string, std::string>> aliases_;
};

// Joins a field onto a path: ("", "Name") → "Name", ("TaskGroups[0]", "Count")
// → "TaskGroups[0].Count".
std::string join_path(std::string_view prefix, std::string_view field);
// ("TaskGroups", 2) → "TaskGroups[2]".
std::string index_path(std::string_view prefix, size_t index);
// ("TaskGroups[0].Meta", "a.b") → `TaskGroups[0].Meta["a.b"]`.
std::string key_path(std::string_view prefix, std::string_view key);

}  // namespace caravan::jobspec
