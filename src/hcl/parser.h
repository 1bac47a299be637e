// The HCL2 native-syntax parser: source text → File (hcl/ast.h). Follows the
// HCL2 specification: attributes, blocks with labels, comments, numbers, strings
// with ${} interpolation and %{} directives, heredocs, tuples, objects, operators
// with HCL precedence, conditionals, for expressions, splats, index and attribute
// access, function calls with `...` expansion.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"

namespace caravan::hcl {

// Parses a whole file. Always returns a File (partial when there were errors);
// errors and warnings go to `diags`, located in `filename`.
std::unique_ptr<File> parse_file(std::string source, std::string filename, Diagnostics& diags);

// Parses a standalone expression (a `-var` value, a test input). The expression
// must make up the whole text; `filename` names it in diagnostics.
ExprPtr parse_expression(std::string_view source, std::string filename, Diagnostics& diags);

}  // namespace caravan::hcl
