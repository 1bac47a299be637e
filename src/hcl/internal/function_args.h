// Argument checking and small value utilities shared by the standard function
// implementations (functions_*.cc): typed access to arguments with messages
// such as "argument 1 must be a list, got string", set canonicalisation
// (sets are lists with duplicates removed, in a stable sorted order) and the
// unification of mixed primitive element types that cty applies to lists/maps.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "hcl/value.h"

namespace caravan::hcl::internal {

using Args = std::vector<Value>;

// "argument N " prefix for a 0-based index.
std::string arg_name(size_t index);
Status arg_error(size_t index, const std::string& message);

// `string "abc"`, `number 3`, `list`, `null`: what a value is, for messages.
std::string describe(const Value& v);

// Strings accept numbers and bools (converted as tostring does); numbers accept
// numeric strings; bools accept "true"/"false". Null is rejected everywhere.
Result<std::string> string_arg(const Args& args, size_t index);
Result<double> number_arg(const Args& args, size_t index);
// A whole number (1.5 is rejected).
Result<long long> integer_arg(const Args& args, size_t index);
Result<bool> bool_arg(const Args& args, size_t index);
Result<const ValueList*> list_arg(const Args& args, size_t index);
Result<const ValueMap*> object_arg(const Args& args, size_t index);
// A list whose elements all convert to strings (null elements are rejected).
Result<std::vector<std::string>> string_list_arg(const Args& args, size_t index);

// A whole number from a value (not an argument), e.g. a list element.
Result<long long> to_integer(const Value& v);

// Total order for set elements: by kind (null < bool < number < string < list
// < object), then by value (strings byte-wise, numbers numerically).
int compare_values(const Value& a, const Value& b);
// Sorts and removes duplicates.
ValueList canonical_set(ValueList items);
bool list_contains(const ValueList& items, const Value& v);

// When the values mix primitive kinds (string, number, bool), converts them
// all to strings, as cty unifies ["a", 1] to a list of strings. Values of one
// kind, nulls and non-primitives are left alone.
ValueList unify_primitives(ValueList items);

}  // namespace caravan::hcl::internal
