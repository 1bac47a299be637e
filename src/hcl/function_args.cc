#include "hcl/internal/function_args.h"

#include <algorithm>
#include <cmath>

#include "hcl/convert.h"

namespace caravan::hcl::internal {

namespace {

int kind_rank(ValueKind k) {
  switch (k) {
    case ValueKind::kNull:
      return 0;
    case ValueKind::kUnknown:
      return 1;
    case ValueKind::kBool:
      return 2;
    case ValueKind::kNumber:
      return 3;
    case ValueKind::kString:
      return 4;
    case ValueKind::kList:
      return 5;
    case ValueKind::kObject:
      return 6;
  }
  return 7;
}

bool is_primitive(const Value& v) { return v.is_string() || v.is_number() || v.is_bool(); }

// "must be a string, got list": the conversion message "a string is required,
// got list" reworded for an argument.
Status reword(size_t index, const Status& conversion_error) {
  std::string message = conversion_error.message();
  const std::string marker = " is required, got ";
  size_t at = message.find(marker);
  if (at != std::string::npos) {
    message = "must be " + message.substr(0, at) + ", got " + message.substr(at + marker.size());
  }
  return arg_error(index, message);
}

}  // namespace

std::string arg_name(size_t index) { return "argument " + std::to_string(index + 1); }

Status arg_error(size_t index, const std::string& message) {
  return invalid_argument(arg_name(index) + " " + message);
}

std::string describe(const Value& v) {
  if (v.is_string()) return "string " + to_display_string(v);
  if (v.is_number() || v.is_bool()) return std::string(v.type_name()) + " " + to_display_string(v);
  return v.type_name();
}

Result<std::string> string_arg(const Args& args, size_t index) {
  auto s = convert_to_string(args.at(index));
  if (!s) return reword(index, s.error());
  return std::move(s).value();
}

Result<double> number_arg(const Args& args, size_t index) {
  auto n = convert_to_number(args.at(index));
  if (!n) return reword(index, n.error());
  return *n;
}

Result<long long> integer_arg(const Args& args, size_t index) {
  double n = CARAVAN_TRY(number_arg(args, index));
  if (!std::isfinite(n) || std::floor(n) != n || std::fabs(n) >= 9.2e18) {
    return arg_error(index, "must be a whole number, got " + number_to_string(n));
  }
  return static_cast<long long>(n);
}

Result<bool> bool_arg(const Args& args, size_t index) {
  auto b = convert_to_bool(args.at(index));
  if (!b) return reword(index, b.error());
  return *b;
}

Result<const ValueList*> list_arg(const Args& args, size_t index) {
  const Value& v = args.at(index);
  if (!v.is_list()) return arg_error(index, std::string("must be a list, got ") + v.type_name());
  return &v.as_list();
}

Result<const ValueMap*> object_arg(const Args& args, size_t index) {
  const Value& v = args.at(index);
  if (!v.is_object()) return arg_error(index, std::string("must be a map, got ") + v.type_name());
  return &v.as_object();
}

Result<std::vector<std::string>> string_list_arg(const Args& args, size_t index) {
  const ValueList* items = CARAVAN_TRY(list_arg(args, index));
  std::vector<std::string> out;
  out.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    auto s = convert_to_string((*items)[i]);
    if (!s) {
      return arg_error(index, "element " + std::to_string(i) + ": " + s.error().message());
    }
    out.push_back(std::move(s).value());
  }
  return out;
}

Result<long long> to_integer(const Value& v) {
  double n = CARAVAN_TRY(convert_to_number(v));
  if (!std::isfinite(n) || std::floor(n) != n || std::fabs(n) >= 9.2e18) {
    return invalid_argument("a whole number is required, got " + number_to_string(n));
  }
  return static_cast<long long>(n);
}

int compare_values(const Value& a, const Value& b) {
  int ra = kind_rank(a.kind());
  int rb = kind_rank(b.kind());
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case ValueKind::kBool:
      return static_cast<int>(a.as_bool()) - static_cast<int>(b.as_bool());
    case ValueKind::kNumber:
      return a.as_number() < b.as_number() ? -1 : (a.as_number() > b.as_number() ? 1 : 0);
    case ValueKind::kString:
      return a.as_string().compare(b.as_string()) < 0 ? -1
                                                      : (a.as_string() == b.as_string() ? 0 : 1);
    case ValueKind::kList:
    case ValueKind::kObject: {
      if (a == b) return 0;
      std::string da = to_display_string(a);
      std::string db = to_display_string(b);
      return da < db ? -1 : (da > db ? 1 : 0);
    }
    default:
      return 0;
  }
}

ValueList canonical_set(ValueList items) {
  std::stable_sort(items.begin(), items.end(),
                   [](const Value& a, const Value& b) { return compare_values(a, b) < 0; });
  ValueList out;
  out.reserve(items.size());
  for (Value& v : items) {
    if (out.empty() || !(out.back() == v)) out.push_back(std::move(v));
  }
  return out;
}

bool list_contains(const ValueList& items, const Value& v) {
  return std::any_of(items.begin(), items.end(), [&](const Value& item) { return item == v; });
}

ValueList unify_primitives(ValueList items) {
  bool mixed = false;
  ValueKind seen = ValueKind::kNull;
  for (const Value& v : items) {
    if (!is_primitive(v)) {
      if (!v.is_null()) return items;
      continue;
    }
    if (seen == ValueKind::kNull) {
      seen = v.kind();
    } else if (v.kind() != seen) {
      mixed = true;
    }
  }
  if (!mixed) return items;
  for (Value& v : items) {
    if (is_primitive(v)) v = Value::string(convert_to_string(v).value());
  }
  return items;
}

}  // namespace caravan::hcl::internal
