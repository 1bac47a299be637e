// Date and time functions on RFC 3339 timestamps: timestamp, formatdate
// (Terraform's format sequences: YYYY, MM, DD, hh, mm, ss, ZZZ, ...),
// timeadd (Go durations) and timecmp.
#include <chrono>
#include <cstdio>

#include "core/duration.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"

namespace caravan::hcl::internal {

namespace {

namespace chr = std::chrono;

// An instant and the UTC offset it was written with.
struct Timestamp {
  chr::sys_seconds seconds;
  long long nanos = 0;
  int offset_seconds = 0;
};

bool read_digits(std::string_view s, size_t& pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

Result<Timestamp> parse_rfc3339(std::string_view s) {
  auto fail = [&] {
    return invalid_argument("\"" + std::string(s) +
                            "\" is not a valid RFC 3339 timestamp, such as "
                            "\"2006-01-02T15:04:05Z\" or \"2006-01-02T15:04:05-07:00\"");
  };
  size_t pos = 0;
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, day) || !expect(s, pos, 'T') ||
      !read_digits(s, pos, 2, hour) || !expect(s, pos, ':') || !read_digits(s, pos, 2, minute) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, second)) {
    return fail();
  }
  long long nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return fail();
    for (size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  int offset = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0;
    int om = 0;
    if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) ||
        oh > 23 || om > 59) {
      return fail();
    }
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return fail();
  }
  chr::year_month_day ymd{chr::year(year), chr::month(static_cast<unsigned>(month)),
                          chr::day(static_cast<unsigned>(day))};
  if (pos != s.size() || !ymd.ok() || hour > 23 || minute > 59 || second > 59) return fail();
  chr::sys_seconds local =
      chr::sys_days(ymd) + chr::hours(hour) + chr::minutes(minute) + chr::seconds(second);
  return Timestamp{local - chr::seconds(offset), nanos, offset};
}

struct Fields {
  int year;
  unsigned month;
  unsigned day;
  unsigned weekday;  // 0 = Sunday
  long hour;
  long minute;
  long second;
};

Fields local_fields(const Timestamp& t) {
  chr::sys_seconds local = t.seconds + chr::seconds(t.offset_seconds);
  chr::sys_days days = chr::floor<chr::days>(local);
  chr::year_month_day ymd{days};
  chr::hh_mm_ss<chr::seconds> hms{local - days};
  return Fields{static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()),
                chr::weekday(days).c_encoding(),
                static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count())};
}

std::string offset_text(int offset, bool colon) {
  char buf[16];
  int abs = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, colon ? "%c%02d:%02d" : "%c%02d%02d", offset < 0 ? '-' : '+',
                abs / 3600, (abs / 60) % 60);
  return buf;
}

std::string rfc3339(const Timestamp& t) {
  Fields f = local_fields(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return std::string(buf) + (t.offset_seconds == 0 ? "Z" : offset_text(t.offset_seconds, true));
}

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

std::string two_digits(long n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02ld", n);
  return buf;
}

Result<std::string> format_token(std::string_view token, const Fields& f, int offset) {
  long hour12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
  if (token == "YYYY") {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d", f.year);
    return std::string(buf);
  }
  if (token == "YY") return two_digits(f.year % 100);
  if (token == "MMMM") return std::string(kMonths[f.month - 1]);
  if (token == "MMM") return std::string(kMonths[f.month - 1]).substr(0, 3);
  if (token == "MM") return two_digits(f.month);
  if (token == "M") return std::to_string(f.month);
  if (token == "DD") return two_digits(f.day);
  if (token == "D") return std::to_string(f.day);
  if (token == "EEEE") return std::string(kWeekdays[f.weekday]);
  if (token == "EEE") return std::string(kWeekdays[f.weekday]).substr(0, 3);
  if (token == "hh") return two_digits(f.hour);
  if (token == "h") return std::to_string(f.hour);
  if (token == "HH") return two_digits(hour12);
  if (token == "H") return std::to_string(hour12);
  if (token == "AA") return std::string(f.hour < 12 ? "AM" : "PM");
  if (token == "aa") return std::string(f.hour < 12 ? "am" : "pm");
  if (token == "mm") return two_digits(f.minute);
  if (token == "m") return std::to_string(f.minute);
  if (token == "ss") return two_digits(f.second);
  if (token == "s") return std::to_string(f.second);
  if (token == "ZZZZZ") return offset_text(offset, true);
  if (token == "ZZZZ") return offset_text(offset, false);
  if (token == "ZZZ") return offset == 0 ? std::string("UTC") : offset_text(offset, false);
  if (token == "Z") return offset == 0 ? std::string("Z") : offset_text(offset, true);
  return invalid_argument("invalid date format verb \"" + std::string(token) +
                          "\"; put literal letters in single quotes, like 'T'");
}

Result<Value> formatdate(const Args& args) {
  std::string spec = CARAVAN_TRY(string_arg(args, 0));
  Timestamp t = CARAVAN_TRY(parse_rfc3339(CARAVAN_TRY(string_arg(args, 1))));
  Fields f = local_fields(t);
  std::string out;
  size_t i = 0;
  while (i < spec.size()) {
    char c = spec[i];
    if (c == '\'') {
      if (i + 1 < spec.size() && spec[i + 1] == '\'') {
        out += '\'';
        i += 2;
        continue;
      }
      ++i;
      while (true) {
        if (i >= spec.size()) {
          return arg_error(0, "has an unterminated quoted literal; close it with '");
        }
        if (spec[i] == '\'') {
          if (i + 1 < spec.size() && spec[i + 1] == '\'') {
            out += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        out += spec[i++];
      }
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t j = i;
      while (j < spec.size() && spec[j] == c) ++j;
      out +=
          CARAVAN_TRY(format_token(std::string_view(spec).substr(i, j - i), f, t.offset_seconds));
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  return Value::string(std::move(out));
}

Result<Value> timeadd(const Args& args) {
  Timestamp t = CARAVAN_TRY(parse_rfc3339(CARAVAN_TRY(string_arg(args, 0))));
  std::string text = CARAVAN_TRY(string_arg(args, 1));
  auto duration = parse_duration(text);
  if (!duration) return arg_error(1, "is not a valid duration: " + duration.error().message());
  long long total_nanos = t.nanos + duration->count();
  long long whole = total_nanos / 1000000000;
  long long rest = total_nanos % 1000000000;
  if (rest < 0) {
    rest += 1000000000;
    --whole;
  }
  Timestamp out{t.seconds + chr::seconds(whole), rest, t.offset_seconds};
  return Value::string(rfc3339(out));
}

Result<Value> timecmp(const Args& args) {
  Timestamp a = CARAVAN_TRY(parse_rfc3339(CARAVAN_TRY(string_arg(args, 0))));
  Timestamp b = CARAVAN_TRY(parse_rfc3339(CARAVAN_TRY(string_arg(args, 1))));
  if (a.seconds != b.seconds) return Value::number(a.seconds < b.seconds ? -1 : 1);
  if (a.nanos != b.nanos) return Value::number(a.nanos < b.nanos ? -1 : 1);
  return Value::number(0);
}

Result<Value> timestamp(const Args&) {
  Timestamp now{chr::floor<chr::seconds>(chr::system_clock::now()), 0, 0};
  return Value::string(rfc3339(now));
}

}  // namespace

void register_datetime_functions(FunctionTable& table) {
  table.add("formatdate", {2, 2, formatdate});
  table.add("timeadd", {2, 2, timeadd});
  table.add("timecmp", {2, 2, timecmp});
  table.add("timestamp", {0, 0, timestamp});
}

}  // namespace caravan::hcl::internal
