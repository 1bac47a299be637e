// Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum.
#include <cmath>

#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"

namespace caravan::hcl::internal {

namespace {

Result<Value> abs_fn(const Args& args) {
  return Value::number(std::fabs(CARAVAN_TRY(number_arg(args, 0))));
}

Result<Value> ceil_fn(const Args& args) {
  return Value::number(std::ceil(CARAVAN_TRY(number_arg(args, 0))));
}

Result<Value> floor_fn(const Args& args) {
  return Value::number(std::floor(CARAVAN_TRY(number_arg(args, 0))));
}

Result<Value> log_fn(const Args& args) {
  double n = CARAVAN_TRY(number_arg(args, 0));
  double base = CARAVAN_TRY(number_arg(args, 1));
  return Value::number(std::log(n) / std::log(base));
}

Result<Value> pow_fn(const Args& args) {
  double n = CARAVAN_TRY(number_arg(args, 0));
  double exponent = CARAVAN_TRY(number_arg(args, 1));
  return Value::number(std::pow(n, exponent));
}

Result<Value> signum_fn(const Args& args) {
  double n = CARAVAN_TRY(number_arg(args, 0));
  return Value::number(n > 0 ? 1 : (n < 0 ? -1 : 0));
}

Result<Value> extreme(const Args& args, bool want_max) {
  double best = CARAVAN_TRY(number_arg(args, 0));
  for (size_t i = 1; i < args.size(); ++i) {
    double n = CARAVAN_TRY(number_arg(args, i));
    if (want_max ? n > best : n < best) best = n;
  }
  return Value::number(best);
}

Result<Value> max_fn(const Args& args) { return extreme(args, true); }
Result<Value> min_fn(const Args& args) { return extreme(args, false); }

// Digit values as Go's big.Int SetString reads them: up to base 36 letters
// are case-insensitive; above it a–z are 10–35 and A–Z are 36–61.
int digit_value(char c, long long base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return base <= 36 ? c - 'A' + 10 : c - 'A' + 36;
  return 99;
}

Result<Value> parseint(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  long long base = CARAVAN_TRY(integer_arg(args, 1));
  if (base < 2 || base > 62) return arg_error(1, "(the base) must be between 2 and 62 inclusive");
  auto fail = [&] {
    return invalid_argument("cannot parse \"" + s + "\" as a base " + std::to_string(base) +
                            " integer");
  };
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    negative = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return fail();
  double total = 0;
  for (; i < s.size(); ++i) {
    int d = digit_value(s[i], base);
    if (d >= base) return fail();
    total = total * static_cast<double>(base) + d;
  }
  return Value::number(negative ? -total : total);
}

}  // namespace

void register_numeric_functions(FunctionTable& table) {
  table.add("abs", {1, 1, abs_fn});
  table.add("ceil", {1, 1, ceil_fn});
  table.add("floor", {1, 1, floor_fn});
  table.add("log", {2, 2, log_fn});
  table.add("max", {1, -1, max_fn});
  table.add("min", {1, -1, min_fn});
  table.add("parseint", {2, 2, parseint});
  table.add("pow", {2, 2, pow_fn});
  table.add("signum", {1, 1, signum_fn});
}

}  // namespace caravan::hcl::internal
