#include "hcl/convert.h"

#include <cctype>
#include <cstdlib>

namespace caravan::hcl {

namespace {

// What a value is, for messages: `string "abc"`, `list`, `null`.
std::string describe(const Value& v) {
  if (v.is_string()) return "string " + to_display_string(v);
  return v.type_name();
}

// Whether `s` is entirely a decimal number: [+-]digits[.digits][e[+-]digits].
bool is_decimal_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    ++i;
    ++int_digits;
  }
  size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
      ++exp_digits;
    }
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

Result<std::string> convert_to_string(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
      return v.as_string();
    case ValueKind::kNumber:
      return number_to_string(v.as_number());
    case ValueKind::kBool:
      return std::string(v.as_bool() ? "true" : "false");
    default:
      return invalid_argument(std::string("a string is required, got ") + v.type_name());
  }
}

Result<double> convert_to_number(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNumber:
      return v.as_number();
    case ValueKind::kString: {
      const std::string& s = v.as_string();
      if (!is_decimal_number(s)) {
        return invalid_argument("a number is required, got " + describe(v));
      }
      return std::strtod(s.c_str(), nullptr);
    }
    default:
      return invalid_argument("a number is required, got " + describe(v));
  }
}

Result<bool> convert_to_bool(const Value& v) {
  if (v.is_bool()) return v.as_bool();
  if (v.is_string()) {
    if (v.as_string() == "true") return true;
    if (v.as_string() == "false") return false;
  }
  return invalid_argument("a bool is required, got " + describe(v));
}

}  // namespace caravan::hcl
