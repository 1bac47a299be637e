// format() and formatlist(): Go fmt-style verbs with cty's conversions.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "hcl/convert.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/json_value.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

struct Verb {
  bool minus = false;
  bool plus = false;
  bool space = false;
  bool zero = false;
  bool sharp = false;
  int width = -1;
  int precision = -1;
  char verb = 0;
};

std::string pad(std::string text, const Verb& v, bool allow_zero) {
  size_t len = code_point_count(text);
  if (v.width < 0 || len >= static_cast<size_t>(v.width)) return text;
  size_t fill = static_cast<size_t>(v.width) - len;
  if (v.minus) return text + std::string(fill, ' ');
  return std::string(fill, allow_zero && v.zero ? '0' : ' ') + text;
}

// Pads a number: with the 0 flag the zeros go between the sign/prefix and the digits.
std::string pad_number(const std::string& sign_prefix, const std::string& digits, const Verb& v,
                       bool allow_zero) {
  std::string body = sign_prefix + digits;
  if (v.width < 0 || body.size() >= static_cast<size_t>(v.width)) return body;
  size_t fill = static_cast<size_t>(v.width) - body.size();
  if (v.minus) return body + std::string(fill, ' ');
  if (allow_zero && v.zero) return sign_prefix + std::string(fill, '0') + digits;
  return std::string(fill, ' ') + body;
}

std::string sign_of(bool negative, const Verb& v) {
  if (negative) return "-";
  if (v.plus) return "+";
  if (v.space) return " ";
  return "";
}

Result<std::string> format_integer(const Value& value, const Verb& v) {
  long long n = CARAVAN_TRY(to_integer(value));
  bool negative = n < 0;
  unsigned long long mag =
      negative ? static_cast<unsigned long long>(-(n + 1)) + 1 : static_cast<unsigned long long>(n);
  unsigned base = 10;
  const char* digit_chars = "0123456789abcdef";
  std::string prefix;
  switch (v.verb) {
    case 'b':
      base = 2;
      if (v.sharp) prefix = "0b";
      break;
    case 'o':
      base = 8;
      if (v.sharp) prefix = "0";
      break;
    case 'x':
      base = 16;
      if (v.sharp) prefix = "0x";
      break;
    case 'X':
      base = 16;
      digit_chars = "0123456789ABCDEF";
      if (v.sharp) prefix = "0X";
      break;
    default:
      break;
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), digit_chars[mag % base]);
    mag /= base;
  } while (mag > 0);
  if (v.precision >= 0) {
    if (v.precision == 0 && digits == "0") digits.clear();
    if (digits.size() < static_cast<size_t>(v.precision)) {
      digits.insert(0, static_cast<size_t>(v.precision) - digits.size(), '0');
    }
  }
  if (prefix == "0" && !digits.empty() && digits[0] == '0') prefix.clear();
  return pad_number(sign_of(negative, v) + prefix, digits, v, v.precision < 0);
}

// Go's %g without a precision: the shortest digits that read back exactly,
// in %e form when the exponent is < -4 or >= 6.
std::string shortest_g(double magnitude, bool upper) {
  if (magnitude == 0) return "0";
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, magnitude);
    if (std::strtod(buf, nullptr) == magnitude) break;
  }
  std::string text(buf);
  size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits += text[i];
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (exponent < -4 || exponent >= 6) {
    std::string out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "%c%c%02d", upper ? 'E' : 'e', exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + exp_buf;
  }
  int decimals = std::max(static_cast<int>(digits.size()) - 1 - exponent, 0);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, magnitude);
  return buf;
}

Result<std::string> format_float(const Value& value, const Verb& v) {
  double n = CARAVAN_TRY(convert_to_number(value));
  if (!std::isfinite(n)) {
    std::string text = std::isnan(n) ? "NaN" : (n > 0 ? "+Inf" : "-Inf");
    Verb no_zero = v;
    no_zero.zero = false;
    return pad(text, no_zero, false);
  }
  if ((v.verb == 'g' || v.verb == 'G') && v.precision < 0) {
    return pad_number(sign_of(std::signbit(n), v), shortest_g(std::fabs(n), v.verb == 'G'), v,
                      true);
  }
  std::string c_format = "%";
  if (v.minus) c_format += '-';
  if (v.plus) c_format += '+';
  if (v.space) c_format += ' ';
  if (v.zero) c_format += '0';
  if (v.sharp) c_format += '#';
  if (v.width >= 0) c_format += std::to_string(v.width);
  c_format += '.' + std::to_string(v.precision >= 0 ? v.precision : 6);
  c_format += v.verb == 'F' ? 'f' : v.verb;
  int size = std::snprintf(nullptr, 0, c_format.c_str(), n);
  std::string out(static_cast<size_t>(size) + 1, '\0');
  std::snprintf(out.data(), out.size(), c_format.c_str(), n);
  out.resize(static_cast<size_t>(size));
  return out;
}

Result<std::string> format_one(const Value& value, const Verb& v) {
  if (value.is_null() && v.verb != 'v') {
    return invalid_argument("a null value cannot be formatted with this verb");
  }
  switch (v.verb) {
    case 'v': {
      if (v.sharp || value.is_list() || value.is_object()) {
        return pad(CARAVAN_TRY(json_encode(value)), v, true);
      }
      if (value.is_null()) return pad("null", v, true);
      return pad(CARAVAN_TRY(convert_to_string(value)), v, true);
    }
    case 't':
      return pad(CARAVAN_TRY(convert_to_bool(value)) ? "true" : "false", v, true);
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
      return format_integer(value, v);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return format_float(value, v);
    case 's': {
      std::string s = CARAVAN_TRY(convert_to_string(value));
      if (v.precision >= 0) {
        size_t pos = 0;
        for (int i = 0; i < v.precision && pos < s.size(); ++i) next_code_point(s, pos);
        s.resize(pos);
      }
      return pad(std::move(s), v, true);
    }
    case 'q':
      return pad(go_quote(CARAVAN_TRY(convert_to_string(value))), v, true);
    default:
      return invalid_argument(std::string("unsupported format verb %") + v.verb);
  }
}

int read_decimal(std::string_view spec, size_t& i) {
  int n = 0;
  while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') {
    n = std::min(n * 10 + (spec[i] - '0'), 1000000);
    ++i;
  }
  return n;
}

// Formats `values` according to `spec`.
Result<std::string> format_values(std::string_view spec, const ValueList& values) {
  std::string out;
  size_t next_arg = 0;
  size_t max_used = 0;
  bool any_verb = false;
  size_t i = 0;
  while (i < spec.size()) {
    if (spec[i] != '%') {
      out += spec[i++];
      continue;
    }
    size_t start = i++;
    auto incomplete = [&] {
      return invalid_argument("invalid format string: incomplete verb at offset " +
                              std::to_string(start));
    };
    if (i >= spec.size()) return incomplete();
    if (spec[i] == '%') {
      out += '%';
      ++i;
      continue;
    }
    Verb v;
    for (; i < spec.size(); ++i) {
      char c = spec[i];
      if (c == '-') {
        v.minus = true;
      } else if (c == '+') {
        v.plus = true;
      } else if (c == ' ') {
        v.space = true;
      } else if (c == '0') {
        v.zero = true;
      } else if (c == '#') {
        v.sharp = true;
      } else {
        break;
      }
    }
    if (i < spec.size() && spec[i] == '[') {
      ++i;
      size_t digits_start = i;
      int index = read_decimal(spec, i);
      if (i == digits_start || i >= spec.size() || spec[i] != ']' || index < 1) {
        return invalid_argument("invalid format string: bad argument index at offset " +
                                std::to_string(start) + "; write %[1]s to use the first value");
      }
      ++i;
      next_arg = static_cast<size_t>(index - 1);
    }
    if (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') v.width = read_decimal(spec, i);
    if (i < spec.size() && spec[i] == '.') {
      ++i;
      v.precision = read_decimal(spec, i);
    }
    if (i >= spec.size()) return incomplete();
    v.verb = spec[i++];
    std::string verb_text(spec.substr(start, i - start));
    any_verb = true;
    if (next_arg >= values.size()) {
      return invalid_argument("not enough arguments for \"" + verb_text + "\" at offset " +
                              std::to_string(start) + ": need value " +
                              std::to_string(next_arg + 1) + " but have " +
                              std::to_string(values.size()));
    }
    const Value& value = values[next_arg];
    max_used = std::max(max_used, next_arg + 1);
    ++next_arg;
    auto formatted = format_one(value, v);
    if (!formatted) {
      return invalid_argument("invalid value for \"" + verb_text + "\" at offset " +
                              std::to_string(start) + ": " + formatted.error().message());
    }
    out += *formatted;
  }
  if (values.size() > max_used) {
    if (!any_verb) return invalid_argument("too many arguments; no verbs in format string");
    return invalid_argument("too many arguments; only " + std::to_string(max_used) +
                            " used by format string");
  }
  return out;
}

Result<Value> format_fn(const Args& args) {
  std::string spec = CARAVAN_TRY(string_arg(args, 0));
  ValueList values(args.begin() + 1, args.end());
  return Value::string(CARAVAN_TRY(format_values(spec, values)));
}

Result<Value> formatlist_fn(const Args& args) {
  std::string spec = CARAVAN_TRY(string_arg(args, 0));
  long long rows = -1;
  for (size_t i = 1; i < args.size(); ++i) {
    if (!args[i].is_list()) continue;
    auto len = static_cast<long long>(args[i].as_list().size());
    if (rows >= 0 && len != rows) {
      return arg_error(i, "has " + std::to_string(len) + " elements but an earlier list has " +
                              std::to_string(rows) + "; all lists must have the same length");
    }
    rows = len;
  }
  if (rows < 0) rows = 1;  // no lists: a single row of the scalar arguments
  ValueList out;
  for (long long row = 0; row < rows; ++row) {
    ValueList values;
    for (size_t i = 1; i < args.size(); ++i) {
      values.push_back(args[i].is_list() ? args[i].as_list()[static_cast<size_t>(row)] : args[i]);
    }
    auto formatted = format_values(spec, values);
    if (!formatted) {
      return invalid_argument("error on format iteration " + std::to_string(row) + ": " +
                              formatted.error().message());
    }
    out.push_back(Value::string(std::move(formatted).value()));
  }
  return Value::list(std::move(out));
}

}  // namespace

void register_format_functions(FunctionTable& table) {
  table.add("format", {1, -1, format_fn});
  table.add("formatlist", {1, -1, formatlist_fn});
}

}  // namespace caravan::hcl::internal
