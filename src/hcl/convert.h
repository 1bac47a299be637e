// Conversions between value kinds with HCL's (cty's) rules: numbers and bools
// to strings and back, lists to sets, objects to maps. Shared by the evaluator
// (template interpolation, conditions), the tostring()/tonumber()/... functions,
// variable type constraints and the jobspec decoder.
#pragma once

#include <string>

#include "core/status.h"
#include "hcl/value.h"

namespace caravan::hcl {

// string → itself; number → number_to_string; bool → "true"/"false".
// null, lists and objects are errors ("a string is required, got list").
Result<std::string> convert_to_string(const Value& v);
// number → itself; a string that parses as a number (e.g. "42", "1.5") → number.
Result<double> convert_to_number(const Value& v);
// bool → itself; "true"/"false" → bool.
Result<bool> convert_to_bool(const Value& v);

}  // namespace caravan::hcl
