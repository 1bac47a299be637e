// Finds which `local.<name>` (or any `<root>.<name>`) values an expression
// refers to, without evaluating it: locals may be written in any order, so the
// evaluator needs their dependency graph first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/source_range.h"
#include "hcl/ast.h"

namespace caravan::jobspec::internal {

struct Reference {
  std::string name;   // the attribute after the root, e.g. "b" in local.b
  SourceRange range;  // of the whole traversal `local.b`
};

// Appends every `root.name` and `root["name"]` found in `expr` to `*out`.
void collect_references(const hcl::Expression& expr, std::string_view root,
                        std::vector<Reference>* out);

}  // namespace caravan::jobspec::internal
