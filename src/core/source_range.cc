#include "core/source_range.h"

#include <fmt/format.h>

namespace caravan {

const std::string& SourceRange::file() const {
  static const std::string kEmpty;
  return filename ? *filename : kEmpty;
}

std::string SourceRange::to_string() const {
  if (file().empty()) {
    return fmt::format("{}:{}", start.line, start.column);
  }
  return fmt::format("{}:{}:{}", file(), start.line, start.column);
}

SourceRange SourceRange::between(const SourceRange& from, const SourceRange& to) {
  return SourceRange{from.filename, from.start, to.end};
}

}  // namespace caravan
