#include "core/duration.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>

namespace caravan {
namespace {

struct Unit {
  std::string_view name;
  int64_t nanos;
};

constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xC2\xB5s", 1000},  // U+00B5 micro sign
    {"\xCE\xBCs", 1000},  // U+03BC Greek mu
    {"ms", 1000 * 1000},
    {"s", 1000LL * 1000 * 1000},
    {"m", 60LL * 1000 * 1000 * 1000},
    {"h", 3600LL * 1000 * 1000 * 1000},
};

Status bad(std::string_view text, std::string_view why) {
  return invalid_argument(fmt::format("invalid duration \"{}\": {}", text, why));
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return bad(text, "empty");
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    if (i == 0) return bad(text, "expected a number");
    std::string number(s.substr(0, i));
    if (number == "." || std::count(number.begin(), number.end(), '.') > 1) {
      return bad(text, "malformed number");
    }
    s.remove_prefix(i);
    size_t j = 0;
    while (j < s.size() && !((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
    std::string_view unit_name = s.substr(0, j);
    s.remove_prefix(j);
    if (unit_name.empty()) return bad(text, "missing unit (use ns, us, ms, s, m or h)");
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (u.name == unit_name) unit = &u;
    }
    if (unit == nullptr) {
      return bad(text, fmt::format("unknown unit \"{}\" (use ns, us, ms, s, m or h)", unit_name));
    }
    total += std::strtold(number.c_str(), nullptr) * unit->nanos;
  }
  if (total > static_cast<long double>(INT64_MAX)) return bad(text, "out of range");
  auto nanos = static_cast<int64_t>(std::llround(static_cast<double>(total)));
  return Duration(negative ? -nanos : nanos);
}

namespace {

// Appends `value / scale` with up to `digits` fractional digits, trailing zeros trimmed.
std::string fixed(uint64_t value, uint64_t scale, int digits) {
  std::string out = std::to_string(value / scale);
  uint64_t frac = value % scale;
  if (frac == 0) return out;
  std::string f(digits, '0');
  for (int i = digits - 1; i >= 0; --i) {
    f[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  while (!f.empty() && f.back() == '0') f.pop_back();
  return out + "." + f;
}

}  // namespace

std::string format_duration(Duration d) {
  int64_t n = d.count();
  if (n == 0) return "0s";
  std::string sign = n < 0 ? "-" : "";
  uint64_t u = n < 0 ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000 * 1000) return sign + fixed(u, 1000, 3) + "\xC2\xB5s";
  if (u < 1000ULL * 1000 * 1000) return sign + fixed(u, 1000 * 1000, 6) + "ms";
  const uint64_t sec = 1000ULL * 1000 * 1000;
  uint64_t hours = u / (3600 * sec);
  u %= 3600 * sec;
  uint64_t minutes = u / (60 * sec);
  u %= 60 * sec;
  std::string out = sign;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += fixed(u, sec, 9) + "s";
  return out;
}

}  // namespace caravan
