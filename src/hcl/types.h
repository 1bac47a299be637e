// Type constraints of `variable` blocks (`type = list(string)`,
// `map(number)`, `object({ a = string, b = optional(number, 1) })`, `any`) and
// conversion of a value to a constraint, as HCL's typeexpr and cty convert do.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/value.h"

namespace caravan::hcl {

struct TypeConstraint {
  enum class Kind { kAny, kString, kNumber, kBool, kList, kSet, kMap, kObject, kTuple };
  Kind kind = Kind::kAny;
  std::shared_ptr<const TypeConstraint> element;  // list, set, map
  struct Attr {
    std::shared_ptr<const TypeConstraint> type;
    bool optional = false;
    std::optional<Value> default_value;  // optional(T, default)
  };
  std::map<std::string, Attr> attributes;                       // object
  std::vector<std::shared_ptr<const TypeConstraint>> elements;  // tuple

  // HCL's spelling: "list(string)", "object({a=string})".
  std::string to_string() const;
};

// Reads a type expression (keywords and calls, not evaluated). Errors go to diags.
std::optional<TypeConstraint> parse_type_constraint(const Expression& expr, Diagnostics& diags);

// Converts `v` to the constraint, or explains why it cannot
// ("a number is required", `attribute "port" is required`).
Result<Value> convert_to_type(const Value& v, const TypeConstraint& type);

}  // namespace caravan::hcl
