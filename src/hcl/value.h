// The dynamic values HCL expressions evaluate to: null, bool, number, string,
// list (HCL's tuples, lists and sets) and object (HCL's objects and maps, keys
// kept sorted as cty does), plus "unknown", the value of an expression whose
// evaluation already failed, so one error does not cascade into many.
// Values are immutable; lists and objects share their contents on copy.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace caravan::hcl {

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;

enum class ValueKind { kNull, kUnknown, kBool, kNumber, kString, kList, kObject };

class Value {
 public:
  Value() = default;  // null

  static Value null() { return Value(); }
  static Value unknown();
  static Value boolean(bool b);
  static Value number(double n);
  static Value string(std::string s);
  static Value list(ValueList items);
  static Value object(ValueMap attrs);

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_unknown() const { return kind_ == ValueKind::kUnknown; }
  bool is_bool() const { return kind_ == ValueKind::kBool; }
  bool is_number() const { return kind_ == ValueKind::kNumber; }
  bool is_string() const { return kind_ == ValueKind::kString; }
  bool is_list() const { return kind_ == ValueKind::kList; }
  bool is_object() const { return kind_ == ValueKind::kObject; }
  // True when neither this value nor anything inside it is unknown.
  bool is_wholly_known() const;

  // Accessors; calling one that does not match kind() is a programming error.
  bool as_bool() const;
  double as_number() const;
  const std::string& as_string() const;
  const ValueList& as_list() const;
  const ValueMap& as_object() const;

  // Number helpers: whether the number is integral, and its value as int64.
  bool is_integer() const;
  long long as_integer() const;

  // Deep equality, as HCL's `==`: numbers compare by value, lists element-wise,
  // objects by key set and values. Unknown equals nothing.
  bool operator==(const Value& other) const;

  // "null", "bool", "number", "string", "list", "object" or "unknown": used in
  // messages such as `Invalid value for "count": a number is required, got string`.
  const char* type_name() const;

 private:
  ValueKind kind_ = ValueKind::kNull;
  std::variant<std::monostate, bool, double, std::shared_ptr<const std::string>,
               std::shared_ptr<const ValueList>, std::shared_ptr<const ValueMap>>
      data_;
};

// Numbers print without a trailing ".0" when integral ("3", "2.5", "1e+21" as
// Go's strconv 'f' would give "1000000000000000000000"): the string HCL produces
// when a number is interpolated into a template or converted with tostring().
std::string number_to_string(double n);

// A compact HCL-like rendering for messages and tests: "a", 3, true, null,
// ["a", 1], { a = 1, b = "x" }.
std::string to_display_string(const Value& v);

}  // namespace caravan::hcl
