// String functions: case, trimming, splitting, joining, substrings (UTF-8 aware).
#include <algorithm>

#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

constexpr long long kMaxIndent = 10000;

Result<Value> chomp(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  while (!s.empty() && s.back() == '\n') {
    s.pop_back();
    if (!s.empty() && s.back() == '\r') s.pop_back();
  }
  return Value::string(std::move(s));
}

Result<Value> indent(const Args& args) {
  long long spaces = CARAVAN_TRY(integer_arg(args, 0));
  if (spaces < 0) return arg_error(0, "must not be negative, got " + std::to_string(spaces));
  if (spaces > kMaxIndent) {
    return arg_error(
        0, "must be at most " + std::to_string(kMaxIndent) + ", got " + std::to_string(spaces));
  }
  std::string s = CARAVAN_TRY(string_arg(args, 1));
  std::string pad(static_cast<size_t>(spaces), ' ');
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '\n') out += pad;
  }
  return Value::string(std::move(out));
}

Result<Value> join(const Args& args) {
  std::string sep = CARAVAN_TRY(string_arg(args, 0));
  std::string out;
  bool first = true;
  for (size_t i = 1; i < args.size(); ++i) {
    const ValueList* items = CARAVAN_TRY(list_arg(args, i));
    for (size_t k = 0; k < items->size(); ++k) {
      if ((*items)[k].is_null()) {
        return arg_error(i,
                         "element " + std::to_string(k) + " is null; null values cannot be joined");
      }
    }
    std::vector<std::string> parts = CARAVAN_TRY(string_list_arg(args, i));
    for (const std::string& part : parts) {
      if (!first) out += sep;
      first = false;
      out += part;
    }
  }
  return Value::string(std::move(out));
}

Result<Value> lower(const Args& args) {
  return Value::string(to_lower(CARAVAN_TRY(string_arg(args, 0))));
}

Result<Value> upper(const Args& args) {
  return Value::string(to_upper(CARAVAN_TRY(string_arg(args, 0))));
}

// A word starts after anything but an ASCII letter, digit or underscore; other
// non-ASCII characters separate words only when they are white space (Go's
// strings.Title rule).
bool is_word_separator(char32_t c) {
  if (c < 0x80) {
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_');
  }
  return is_space(c);
}

Result<Value> title(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::string out;
  bool at_word_start = true;
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = next_code_point(s, pos);
    append_utf8(out, at_word_start ? to_upper(c) : c);
    at_word_start = is_word_separator(c);
  }
  return Value::string(std::move(out));
}

Result<Value> split(const Args& args) {
  std::string sep = CARAVAN_TRY(string_arg(args, 0));
  std::string s = CARAVAN_TRY(string_arg(args, 1));
  ValueList out;
  if (sep.empty()) {
    size_t pos = 0;
    while (pos < s.size()) {
      size_t start = pos;
      next_code_point(s, pos);
      out.push_back(Value::string(s.substr(start, pos - start)));
    }
    return Value::list(std::move(out));
  }
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) {
      out.push_back(Value::string(s.substr(start)));
      break;
    }
    out.push_back(Value::string(s.substr(start, at - start)));
    start = at + sep.size();
  }
  return Value::list(std::move(out));
}

Result<Value> strrev(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::vector<std::string_view> chars = split_characters(s);
  std::string out;
  out.reserve(s.size());
  for (auto it = chars.rbegin(); it != chars.rend(); ++it) out.append(*it);
  return Value::string(std::move(out));
}

Result<Value> substr(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  long long offset = CARAVAN_TRY(integer_arg(args, 1));
  long long length = CARAVAN_TRY(integer_arg(args, 2));
  std::vector<std::string_view> chars = split_characters(s);
  auto total = static_cast<long long>(chars.size());
  if (offset < 0) offset = std::max(0LL, offset + total);
  if (offset >= total) return Value::string("");
  long long end = length < 0 ? total : std::min(total, offset + length);
  std::string out;
  for (long long i = offset; i < end; ++i) out.append(chars[static_cast<size_t>(i)]);
  return Value::string(std::move(out));
}

// Removes leading and/or trailing code points for which `strip` is true.
template <class Pred>
std::string trim_code_points(const std::string& s, bool leading, bool trailing, Pred strip) {
  std::vector<char32_t> cps = decode_utf8(s);
  size_t begin = 0;
  size_t end = cps.size();
  if (leading) {
    while (begin < end && strip(cps[begin])) ++begin;
  }
  if (trailing) {
    while (end > begin && strip(cps[end - 1])) --end;
  }
  std::string out;
  for (size_t i = begin; i < end; ++i) append_utf8(out, cps[i]);
  return out;
}

Result<Value> trim(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::vector<char32_t> cutset = decode_utf8(CARAVAN_TRY(string_arg(args, 1)));
  return Value::string(trim_code_points(s, true, true, [&](char32_t c) {
    return std::find(cutset.begin(), cutset.end(), c) != cutset.end();
  }));
}

Result<Value> trimspace(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  return Value::string(trim_code_points(s, true, true, [](char32_t c) { return is_space(c); }));
}

Result<Value> trimprefix(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::string prefix = CARAVAN_TRY(string_arg(args, 1));
  if (s.starts_with(prefix)) s.erase(0, prefix.size());
  return Value::string(std::move(s));
}

Result<Value> trimsuffix(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::string suffix = CARAVAN_TRY(string_arg(args, 1));
  if (s.ends_with(suffix)) s.resize(s.size() - suffix.size());
  return Value::string(std::move(s));
}

Result<Value> startswith(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  return Value::boolean(s.starts_with(CARAVAN_TRY(string_arg(args, 1))));
}

Result<Value> endswith(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  return Value::boolean(s.ends_with(CARAVAN_TRY(string_arg(args, 1))));
}

Result<Value> strcontains(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  return Value::boolean(s.find(CARAVAN_TRY(string_arg(args, 1))) != std::string::npos);
}

}  // namespace

void register_string_functions(FunctionTable& table) {
  table.add("chomp", {1, 1, chomp});
  table.add("endswith", {2, 2, endswith});
  table.add("indent", {2, 2, indent});
  table.add("join", {2, -1, join});
  table.add("lower", {1, 1, lower});
  table.add("split", {2, 2, split});
  table.add("startswith", {2, 2, startswith});
  table.add("strcontains", {2, 2, strcontains});
  table.add("strrev", {1, 1, strrev});
  table.add("substr", {3, 3, substr});
  table.add("title", {1, 1, title});
  table.add("trim", {2, 2, trim});
  table.add("trimprefix", {2, 2, trimprefix});
  table.add("trimspace", {1, 1, trimspace});
  table.add("trimsuffix", {2, 2, trimsuffix});
  table.add("upper", {1, 1, upper});
}

}  // namespace caravan::hcl::internal
