// Helpers for the function library tests: terse value builders and a call()
// that finds a standard function by name and checks arity as the evaluator
// does. File functions resolve against tests/data/hcl_functions.
#pragma once

#include <string>
#include <string_view>

#include "hcl/functions.h"
#include "hcl/value.h"

namespace caravan::hcl::testing {

inline Value str(std::string s) { return Value::string(std::move(s)); }
inline Value num(double n) { return Value::number(n); }
inline Value boolean(bool b) { return Value::boolean(b); }
inline Value list(ValueList items) { return Value::list(std::move(items)); }
inline Value obj(ValueMap attrs) { return Value::object(std::move(attrs)); }
inline Value null() { return Value::null(); }

inline std::string function_data_dir() { return CARAVAN_TEST_DATA_DIR "/hcl_functions"; }

inline const FunctionTable& function_table() {
  static const FunctionTable table = standard_functions(function_data_dir());
  return table;
}

inline Result<Value> call(std::string_view name, const ValueList& args) {
  const FunctionSpec* spec = function_table().find(name);
  if (spec == nullptr) return invalid_argument("no function named " + std::string(name));
  auto count = static_cast<int>(args.size());
  if (count < spec->min_args || (spec->max_args >= 0 && count > spec->max_args)) {
    return invalid_argument("wrong number of arguments");
  }
  return spec->impl(args);
}

// The result as to_display_string shows it, or "error: <message>".
inline std::string run(std::string_view name, const ValueList& args) {
  auto result = call(name, args);
  if (!result) return "error: " + result.error().message();
  return to_display_string(*result);
}

// Like run(), but a string result is returned raw (without quotes or escapes).
inline std::string text(std::string_view name, const ValueList& args) {
  auto result = call(name, args);
  if (!result) return "error: " + result.error().message();
  if (result->is_string()) return result->as_string();
  return to_display_string(*result);
}

}  // namespace caravan::hcl::testing
