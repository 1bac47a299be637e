#include "cli/text_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <cmath>
#include <ctime>

namespace caravan::cli {
namespace {

// Display width: UTF-8 code points (continuation bytes do not count).
size_t display_width(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string columns(const std::vector<Row>& rows, std::string_view glue, std::string_view empty) {
  std::vector<size_t> widths;
  std::vector<Row> cells = rows;
  for (Row& row : cells) {
    for (size_t i = 0; i < row.size(); ++i) {
      row[i] = std::string(trim_blanks(row[i]));
      if (row[i].empty()) row[i] = std::string(empty);
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  std::string out;
  for (const Row& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] - display_width(row[i]), ' ');
        line += glue;
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

bool parse_digits(std::string_view text, size_t pos, size_t count, int* value) {
  if (pos + count > text.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *value = v;
  return true;
}

}  // namespace

std::string format_list(const std::vector<Row>& rows, std::string_view empty) {
  return columns(rows, "  ", empty);
}

std::string format_kv(const std::vector<std::pair<std::string, std::string>>& rows,
                      std::string_view empty) {
  std::vector<Row> table;
  table.reserve(rows.size());
  for (const auto& [key, value] : rows) table.push_back({key, value});
  return columns(table, " = ", empty);
}

int64_t now_unix_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_time(int64_t unix_nanos) {
  if (unix_nanos < 1'000'000'000) return "";
  std::time_t seconds = static_cast<std::time_t>(unix_nanos / 1'000'000'000);
  std::tm local{};
  if (localtime_r(&seconds, &local) == nullptr) return "";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
  long offset = local.tm_gmtoff;
  if (offset == 0) return std::string(text) + "Z";
  char sign = offset < 0 ? '-' : '+';
  offset = std::labs(offset);
  return fmt::format("{}{}{:02}:{:02}", text, sign, offset / 3600, (offset % 3600) / 60);
}

std::optional<int64_t> parse_rfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!parse_digits(text, 0, 4, &year) || text.size() < 20 || text[4] != '-' ||
      !parse_digits(text, 5, 2, &month) || text[7] != '-' || !parse_digits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !parse_digits(text, 11, 2, &hour) || text[13] != ':' || !parse_digits(text, 14, 2, &minute) ||
      text[16] != ':' || !parse_digits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      nanos += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!parse_digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !parse_digits(text, pos + 4, 2, &om)) {
      return std::nullopt;
    }
    offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  using namespace std::chrono;
  sys_days date{year_month_day{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                               std::chrono::day{unsigned(day)}}};
  int64_t seconds = date.time_since_epoch().count() * 86400LL + hour * 3600 + minute * 60 + second -
                    offset_seconds;
  // Nanoseconds since the epoch fit in int64 only for 1678..2262; Go's zero
  // time ("0001-01-01T00:00:00Z", Nomad's "unset") is outside and means none.
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;
  if (seconds < -kLimit || seconds > kLimit) return std::nullopt;
  return seconds * 1'000'000'000 + nanos;
}

std::string format_task_time(std::string_view rfc3339) {
  std::optional<int64_t> t = parse_rfc3339(rfc3339);
  if (!t || *t < 1'000'000'000) return "N/A";
  return format_time(*t);
}

std::string pretty_time_diff(int64_t then_unix_nanos, int64_t now_unix_nanos) {
  if (then_unix_nanos == 0) return "";
  constexpr int64_t kSecond = 1'000'000'000;
  auto round = [](int64_t ns) { return (ns >= 0 ? ns + kSecond / 2 : ns - kSecond / 2) / kSecond; };
  int64_t then_s = round(then_unix_nanos);
  int64_t now_s = round(now_unix_nanos);
  const char* suffix = now_s >= then_s ? " ago" : " from now";
  uint64_t left = static_cast<uint64_t>(now_s >= then_s ? now_s - then_s : then_s - now_s);
  // Units from the largest; months are 30 days and years 12 months, as nomad counts.
  struct Unit {
    const char* name;
    uint64_t seconds;
  };
  static constexpr Unit kUnits[] = {{"y", 12ULL * 30 * 86400},
                                    {"mo", 30ULL * 86400},
                                    {"d", 86400},
                                    {"h", 3600},
                                    {"m", 60},
                                    {"s", 1}};
  std::string out;
  int parts = 0;
  for (const Unit& unit : kUnits) {
    uint64_t count = left / unit.seconds;
    left %= unit.seconds;
    if (count == 0 || parts == 2) continue;
    out += std::to_string(count) + unit.name;
    ++parts;
  }
  if (out.empty()) out = "0s";
  return out + suffix;
}

std::string short_id(std::string_view id, size_t length) {
  return std::string(id.substr(0, std::min(length, id.size())));
}

std::string format_bytes(uint64_t bytes) {
  if (bytes < 10) return fmt::format("{} B", bytes);
  static constexpr const char* kSuffixes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  size_t exponent = 0;
  double scaled = static_cast<double>(bytes);
  while (scaled >= 1024.0 && exponent + 1 < std::size(kSuffixes)) {
    scaled /= 1024.0;
    ++exponent;
  }
  double value = std::floor(scaled * 10 + 0.5) / 10;
  return value < 10 ? fmt::format("{:.1f} {}", value, kSuffixes[exponent])
                    : fmt::format("{:.0f} {}", value, kSuffixes[exponent]);
}

std::string format_mib(int64_t mebibytes) {
  return format_bytes(static_cast<uint64_t>(std::max<int64_t>(mebibytes, 0)) * 1024 * 1024);
}

const nlohmann::json& json_member(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string json_string(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

int64_t json_int(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  return it->is_number_float() ? static_cast<int64_t>(it->get<double>()) : it->get<int64_t>();
}

bool json_bool(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string json_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

}  // namespace caravan::cli
