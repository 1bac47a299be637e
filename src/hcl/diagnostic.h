// Diagnostics produced while reading HCL: by the lexer and parser (syntax), the
// evaluator (unknown variables, type errors) and decoders built on top (jobspec:
// unsupported arguments, validation rules). Each carries a summary, a detail that
// says how to fix it, and the source range, and formats as `file:line:col`.
#pragma once

#include <string>
#include <vector>

#include "core/source_range.h"
#include "core/status.h"

namespace caravan::hcl {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string summary;  // short, e.g. "Unsupported argument"
  std::string detail;   // full sentence(s), e.g. `An argument named "cont" is not expected
                        // here. Did you mean "count"?`
  SourceRange subject;  // where the problem is

  // `file:line:col: error: Summary; detail`
  std::string to_string() const;
};

class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(SourceRange where, std::string summary, std::string detail);
  void warning(SourceRange where, std::string summary, std::string detail);
  void append(const Diagnostics& other);

  bool has_errors() const;
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

  // One diagnostic per line. When `source` (the text of the file named
  // `source_name`) is given, each diagnostic pointing into that file is followed
  // by the offending line and a caret under the column; those pointing
  // elsewhere (a -var value, a var-file) get no snippet. An empty `source_name`
  // takes every diagnostic to point into `source`.
  std::string format(const std::string* source = nullptr, std::string_view source_name = {}) const;

  // An InvalidArgument Status whose message is format(source, source_name); OK
  // when there are no errors.
  Status to_status(const std::string* source = nullptr, std::string_view source_name = {}) const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace caravan::hcl
