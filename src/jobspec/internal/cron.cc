#include "jobspec/internal/cron.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <vector>

#include "core/strings.h"

namespace caravan::jobspec::internal {
namespace {

struct Field {
  const char* name;
  int min;
  int max;
  const char* const* names;  // optional: names for min..; nullptr-terminated
  bool allow_special;        // L, W, # (day fields)
};

constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",  "jul",
                                   "aug", "sep", "oct", "nov", "dec", nullptr};
constexpr const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", nullptr};

constexpr Field kSecond{"second", 0, 59, nullptr, false};
constexpr Field kMinute{"minute", 0, 59, nullptr, false};
constexpr Field kHour{"hour", 0, 23, nullptr, false};
constexpr Field kDayOfMonth{"day-of-month", 1, 31, nullptr, true};
constexpr Field kMonth{"month", 1, 12, kMonths, false};
constexpr Field kDayOfWeek{"day-of-week", 0, 7, kDays, true};
constexpr Field kYear{"year", 1970, 2099, nullptr, false};

// Parses a number or a name of the field; -1 when it is neither.
int parse_value(std::string_view text, const Field& field) {
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && ptr == text.data() + text.size()) return n;
  if (field.names != nullptr) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int i = 0; field.names[i] != nullptr; ++i) {
      if (lower == field.names[i]) return field.min + i;
    }
  }
  return -1;
}

std::string check_value(std::string_view text, const Field& field) {
  int v = parse_value(text, field);
  if (v < 0) return fmt::format("\"{}\" is not a valid {} value", text, field.name);
  if (v < field.min || v > field.max) {
    return fmt::format("{} value {} is out of range {}-{}", field.name, v, field.min, field.max);
  }
  return "";
}

std::string check_item(std::string_view item, const Field& field) {
  if (item.empty()) return fmt::format("empty item in the {} field", field.name);
  std::string_view base = item;
  if (size_t slash = item.find('/'); slash != std::string_view::npos) {
    base = item.substr(0, slash);
    std::string_view step = item.substr(slash + 1);
    int n = 0;
    auto [ptr, ec] = std::from_chars(step.data(), step.data() + step.size(), n);
    if (ec != std::errc() || ptr != step.data() + step.size() || n <= 0) {
      return fmt::format("\"{}\" is not a valid step in the {} field", step, field.name);
    }
  }
  if (base == "*" || base == "?") return "";
  if (field.allow_special) {
    if (base == "L" || base == "LW") return "";
    if (base.size() > 1 && (base.back() == 'L' || base.back() == 'W')) {
      return check_value(base.substr(0, base.size() - 1), field);
    }
    if (size_t hash = base.find('#'); hash != std::string_view::npos) {
      std::string err = check_value(base.substr(0, hash), field);
      if (!err.empty()) return err;
      std::string_view nth = base.substr(hash + 1);
      if (nth.size() != 1 || nth[0] < '1' || nth[0] > '5') {
        return fmt::format("\"{}\" is not a valid weekday occurrence (1-5)", nth);
      }
      return "";
    }
  }
  if (size_t dash = base.find('-'); dash != std::string_view::npos && dash > 0) {
    std::string err = check_value(base.substr(0, dash), field);
    if (err.empty()) err = check_value(base.substr(dash + 1), field);
    return err;
  }
  return check_value(base, field);
}

std::string check_field(std::string_view text, const Field& field) {
  for (const std::string& item : split(text, ',')) {
    std::string err = check_item(item, field);
    if (!err.empty()) return err;
  }
  return "";
}

}  // namespace

std::string check_cron(std::string_view spec) {
  std::string_view s = trim(spec);
  if (s.empty()) return "the expression is empty";
  if (s[0] == '@') {
    for (std::string_view macro :
         {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}) {
      if (s == macro) return "";
    }
    return fmt::format("unknown macro \"{}\"", s);
  }
  std::vector<std::string> fields;
  for (const std::string& f : split(s, ' ')) {
    for (const std::string& g : split(f, '\t')) {
      if (!g.empty()) fields.push_back(g);
    }
  }
  std::vector<const Field*> layout;
  switch (fields.size()) {
    case 5:
      layout = {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};
      break;
    case 6:
      layout = {&kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek, &kYear};
      break;
    case 7:
      layout = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek, &kYear};
      break;
    default:
      return fmt::format("expected 5 to 7 fields, found {}", fields.size());
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string err = check_field(fields[i], *layout[i]);
    if (!err.empty()) return err;
  }
  return "";
}

}  // namespace caravan::jobspec::internal
