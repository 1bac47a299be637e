// Regular expression functions (RE2 syntax, Go regexp semantics for repeated
// matches and $1/${name} replacement templates): regex, regexall,
// regex_replace, and replace (plain text, or /pattern/).
#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>

#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace {

Result<std::shared_ptr<const RE2>> compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(pattern, options);
  if (!re->ok()) return invalid_argument("invalid regular expression pattern: " + re->error());
  return re;
}

// Calls `fn(groups)` for every match of `re` in `text` as Go's FindAll does:
// after a non-empty match the search resumes at its end; an empty match is
// skipped when it abuts the previous match, and the search moves one
// character on after it.
template <class Fn>
void for_each_match(const RE2& re, std::string_view text, Fn fn) {
  int n = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n));
  re2::StringPiece input(text.data(), text.size());
  size_t pos = 0;
  long long prev_end = -1;
  while (pos <= text.size()) {
    if (!re.Match(input, pos, text.size(), RE2::UNANCHORED, groups.data(), n)) break;
    auto start = static_cast<size_t>(groups[0].data() - text.data());
    size_t end = start + groups[0].size();
    bool accept = true;
    if (end == pos && start == end) {
      if (static_cast<long long>(start) == prev_end) accept = false;
      if (pos >= text.size()) {
        pos = text.size() + 1;
      } else {
        next_code_point(text, pos);
      }
    } else {
      pos = end;
    }
    prev_end = static_cast<long long>(end);
    if (accept) fn(groups, start, end);
  }
}

Value group_value(const re2::StringPiece& g) {
  if (g.data() == nullptr) return Value::null();
  return Value::string(std::string(g.data(), g.size()));
}

// The value one match produces: the whole match when the pattern has no
// groups, a list for unnamed groups, an object for named groups.
Result<Value> match_value(const RE2& re, const std::vector<re2::StringPiece>& groups) {
  int count = re.NumberOfCapturingGroups();
  if (count == 0) return group_value(groups[0]);
  const auto& named = re.NamedCapturingGroups();
  if (named.empty()) {
    ValueList items;
    for (int i = 1; i <= count; ++i) items.push_back(group_value(groups[static_cast<size_t>(i)]));
    return Value::list(std::move(items));
  }
  if (static_cast<int>(named.size()) != count) {
    return invalid_argument(
        "invalid regular expression pattern: named and unnamed capture groups cannot be mixed; "
        "use (?:...) for groups that should not capture");
  }
  ValueMap attrs;
  for (const auto& [name, index] : named) {
    attrs.insert_or_assign(name, group_value(groups[static_cast<size_t>(index)]));
  }
  return Value::object(std::move(attrs));
}

Result<Value> regex(const Args& args) {
  std::string pattern = CARAVAN_TRY(string_arg(args, 0));
  std::string s = CARAVAN_TRY(string_arg(args, 1));
  auto re = CARAVAN_TRY(compile(pattern));
  int n = re->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n));
  if (!re->Match(s, 0, s.size(), RE2::UNANCHORED, groups.data(), n)) {
    return invalid_argument("pattern did not match any part of the given string");
  }
  return match_value(*re, groups);
}

Result<Value> regexall(const Args& args) {
  std::string pattern = CARAVAN_TRY(string_arg(args, 0));
  std::string s = CARAVAN_TRY(string_arg(args, 1));
  auto re = CARAVAN_TRY(compile(pattern));
  ValueList out;
  Status error;
  for_each_match(*re, s, [&](const std::vector<re2::StringPiece>& groups, size_t, size_t) {
    if (!error.is_ok()) return;
    auto v = match_value(*re, groups);
    if (!v) {
      error = v.error();
      return;
    }
    out.push_back(std::move(v).value());
  });
  CARAVAN_RETURN_IF_ERROR(error);
  return Value::list(std::move(out));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Appends `tmpl` with $n, ${n}, $name and ${name} replaced by the groups;
// $$ is a dollar sign; unknown or unmatched groups are empty (Go's Expand).
void expand(std::string& out, std::string_view tmpl, const RE2& re,
            const std::vector<re2::StringPiece>& groups) {
  size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c != '$' || i + 1 >= tmpl.size()) {
      out += c;
      ++i;
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    std::string_view name;
    size_t next = i + 1;
    if (tmpl[next] == '{') {
      size_t close = tmpl.find('}', next);
      size_t k = next + 1;
      while (k < tmpl.size() && is_name_char(tmpl[k])) ++k;
      if (close == std::string_view::npos || k != close || close == next + 1) {
        out += '$';
        ++i;
        continue;
      }
      name = tmpl.substr(next + 1, close - next - 1);
      next = close + 1;
    } else {
      size_t k = next;
      while (k < tmpl.size() && is_name_char(tmpl[k])) ++k;
      if (k == next) {
        out += '$';
        ++i;
        continue;
      }
      name = tmpl.substr(next, k - next);
      next = k;
    }
    int index = -1;
    if (std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      index = name.size() > 6 ? -1 : std::stoi(std::string(name));
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it != re.NamedCapturingGroups().end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size() &&
        groups[static_cast<size_t>(index)].data() != nullptr) {
      const re2::StringPiece& g = groups[static_cast<size_t>(index)];
      out.append(g.data(), g.size());
    }
    i = next;
  }
}

std::string regex_replace_all(const RE2& re, std::string_view s, std::string_view tmpl) {
  std::string out;
  size_t copied = 0;
  for_each_match(re, s, [&](const std::vector<re2::StringPiece>& groups, size_t start, size_t end) {
    out.append(s.substr(copied, start - copied));
    expand(out, tmpl, re, groups);
    copied = end;
  });
  out.append(s.substr(copied));
  return out;
}

Result<Value> regex_replace(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::string pattern = CARAVAN_TRY(string_arg(args, 1));
  std::string replacement = CARAVAN_TRY(string_arg(args, 2));
  auto re = CARAVAN_TRY(compile(pattern));
  return Value::string(regex_replace_all(*re, s, replacement));
}

Result<Value> replace(const Args& args) {
  std::string s = CARAVAN_TRY(string_arg(args, 0));
  std::string substr = CARAVAN_TRY(string_arg(args, 1));
  std::string replacement = CARAVAN_TRY(string_arg(args, 2));
  if (substr.size() > 1 && substr.front() == '/' && substr.back() == '/') {
    auto re = CARAVAN_TRY(compile(substr.substr(1, substr.size() - 2)));
    return Value::string(regex_replace_all(*re, s, replacement));
  }
  std::string out;
  if (substr.empty()) {
    // As Go's strings.Replace: the replacement goes before every character and at the end.
    size_t pos = 0;
    out += replacement;
    while (pos < s.size()) {
      size_t start = pos;
      next_code_point(s, pos);
      out.append(s, start, pos - start);
      out += replacement;
    }
    return Value::string(std::move(out));
  }
  size_t start = 0;
  while (true) {
    size_t at = s.find(substr, start);
    if (at == std::string::npos) break;
    out.append(s, start, at - start);
    out += replacement;
    start = at + substr.size();
  }
  out.append(s, start, std::string::npos);
  return Value::string(std::move(out));
}

}  // namespace

void register_regex_functions(FunctionTable& table) {
  table.add("regex", {2, 2, regex});
  table.add("regexall", {2, 2, regexall});
  table.add("regex_replace", {3, 3, regex_replace});
  table.add("replace", {3, 3, replace});
}

}  // namespace caravan::hcl::internal
