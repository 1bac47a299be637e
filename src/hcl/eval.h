// Evaluation of HCL expressions against a scope of variables and a function
// table, with HCL's semantics (operators, conditionals, for, splat, templates,
// `try()`/`can()`). Errors become diagnostics and an unknown value, so one error
// does not cascade. Nomad's job-file rule: in a template, an interpolation whose
// root variable is not defined in any scope (`${NOMAD_PORT_http}`,
// `${attr.kernel.name}`, `${meta.rack}`, `${env["X"]}`) is a reference resolved
// at run time on the client and is kept in the string verbatim.
#pragma once

#include <string>
#include <string_view>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/value.h"

namespace caravan::hcl {

class FunctionTable;

struct EvalContext {
  ValueMap variables;                       // e.g. "var", "local", iterator names
  const FunctionTable* functions = nullptr;  // inherited from the parent when null
  const EvalContext* parent = nullptr;       // enclosing scope (for-expressions)
  // See the file comment; when false, any undefined variable is an error.
  bool keep_runtime_references = true;

  // The variable in this scope or the nearest enclosing one, or nullptr.
  const Value* lookup(std::string_view name) const;
  const FunctionTable* function_table() const;
};

// Evaluates `expr`. On error, adds diagnostics and returns Value::unknown().
Value evaluate(const Expression& expr, const EvalContext& ctx, Diagnostics& diags);

}  // namespace caravan::hcl
