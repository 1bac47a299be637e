#include "hcl/diagnostic.h"

#include <fmt/format.h>

namespace caravan::hcl {
namespace {

// The text of the 1-based line `line` of `source`, without its newline.
std::string_view line_of(const std::string& source, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = source.find('\n', start);
    if (nl == std::string::npos) return {};
    start = nl + 1;
  }
  size_t end = source.find('\n', start);
  if (end == std::string::npos) end = source.size();
  return std::string_view(source).substr(start, end - start);
}

}  // namespace

std::string Diagnostic::to_string() const {
  std::string out = fmt::format("{}: {}: {}", subject.to_string(),
                                severity == Severity::kError ? "error" : "warning", summary);
  if (!detail.empty()) out += "; " + detail;
  return out;
}

void Diagnostics::error(SourceRange where, std::string summary, std::string detail) {
  items_.push_back({Severity::kError, std::move(summary), std::move(detail), std::move(where)});
}

void Diagnostics::warning(SourceRange where, std::string summary, std::string detail) {
  items_.push_back({Severity::kWarning, std::move(summary), std::move(detail), std::move(where)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
  for (const Diagnostic& d : items_) {
    if (d.severity == Severity::kError) return true;
  }
  return false;
}

std::string Diagnostics::format(const std::string* source, std::string_view source_name) const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += d.to_string();
    out += '\n';
    if (source == nullptr) continue;
    if (!source_name.empty() && d.subject.filename && *d.subject.filename != source_name) continue;
    std::string_view text = line_of(*source, d.subject.start.line);
    if (text.empty()) continue;
    out += fmt::format("  {:>4} | {}\n", d.subject.start.line, text);
    // Columns count code points; tabs keep their width by being copied.
    std::string pad;
    int col = 1;
    for (size_t i = 0; i < text.size() && col < d.subject.start.column; ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if ((c & 0xC0) == 0x80) continue;
      pad += c == '\t' ? '\t' : ' ';
      ++col;
    }
    out += fmt::format("       | {}^\n", pad);
  }
  return out;
}

Status Diagnostics::to_status(const std::string* source, std::string_view source_name) const {
  for (const Diagnostic& d : items_) {
    if (d.severity == Severity::kError) {
      std::string text = format(source, source_name);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      // The text already names file:line:col for each error, so no separate location.
      return invalid_argument(std::move(text));
    }
  }
  return Status();
}

}  // namespace caravan::hcl
