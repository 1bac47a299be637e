// Type conversion functions: tostring, tonumber, tobool, tolist, toset, tomap.
// Null converts to null, as in HCL. (convert(value, type) is not offered: it
// needs its type argument unevaluated, which only the evaluator can provide.)
#include "hcl/convert.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"

namespace caravan::hcl::internal {

namespace {

Status cannot_convert(const Value& v, const char* target) {
  return invalid_argument(std::string("cannot convert ") + describe(v) + " to " + target);
}

Result<Value> tostring(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  auto s = convert_to_string(v);
  if (!s) return cannot_convert(v, "string");
  return Value::string(std::move(s).value());
}

Result<Value> tonumber(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  auto n = convert_to_number(v);
  if (!n) {
    if (v.is_string()) {
      return invalid_argument("cannot convert " + to_display_string(v) +
                              " to number; the string must be a decimal number such as 42 or 1.5");
    }
    return cannot_convert(v, "number");
  }
  return Value::number(*n);
}

Result<Value> tobool(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  auto b = convert_to_bool(v);
  if (!b) {
    if (v.is_string()) {
      return invalid_argument("cannot convert " + to_display_string(v) +
                              " to bool; only \"true\" or \"false\" are allowed");
    }
    return cannot_convert(v, "bool");
  }
  return Value::boolean(*b);
}

Result<Value> tolist(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  if (!v.is_list()) return cannot_convert(v, "list");
  return Value::list(unify_primitives(v.as_list()));
}

Result<Value> toset(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  if (!v.is_list()) return cannot_convert(v, "set");
  return Value::list(canonical_set(unify_primitives(v.as_list())));
}

Result<Value> tomap(const Args& args) {
  const Value& v = args[0];
  if (v.is_null()) return v;
  if (!v.is_object()) return cannot_convert(v, "map");
  ValueList items;
  for (const auto& [key, item] : v.as_object()) items.push_back(item);
  items = unify_primitives(std::move(items));
  ValueMap out;
  size_t i = 0;
  for (const auto& [key, item] : v.as_object()) out.insert_or_assign(key, items[i++]);
  return Value::object(std::move(out));
}

}  // namespace

void register_conversion_functions(FunctionTable& table) {
  table.add("tobool", {1, 1, tobool});
  table.add("tolist", {1, 1, tolist});
  table.add("tomap", {1, 1, tomap});
  table.add("tonumber", {1, 1, tonumber});
  table.add("toset", {1, 1, toset});
  table.add("tostring", {1, 1, tostring});
}

}  // namespace caravan::hcl::internal
