// Positions in a source text (a job file, an agent config, a var-file).
// Every user-facing diagnostic points at one of these so errors read
// `file:line:column`. Lines and columns are 1-based; columns count characters
// (UTF-8 code points), as HCL's own diagnostics do.
#pragma once

#include <memory>
#include <string>

namespace caravan {

struct SourcePos {
  int line = 1;
  int column = 1;
  int byte = 0;  // 0-based byte offset into the source

  bool operator==(const SourcePos&) const = default;
};

struct SourceRange {
  // Shared so the many AST nodes of one file do not each copy the name.
  std::shared_ptr<const std::string> filename;
  SourcePos start;
  SourcePos end;

  const std::string& file() const;
  // "file:line:col" (or "line:col" when there is no file name).
  std::string to_string() const;
  // The smallest range covering both (same file assumed).
  static SourceRange between(const SourceRange& from, const SourceRange& to);
};

}  // namespace caravan
