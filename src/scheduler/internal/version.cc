#include "scheduler/internal/version.h"

#include <algorithm>
#include <charconv>

#include "core/strings.h"

namespace caravan::scheduler::internal {
namespace {

bool parse_int(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Semver §11: numeric identifiers compare numerically and sort before
// alphanumeric ones; a shorter list of equal identifiers sorts first.
int compare_prerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;  // a release outranks any pre-release
  if (b.empty()) return -1;
  std::vector<std::string> left = split(a, '.');
  std::vector<std::string> right = split(b, '.');
  for (size_t i = 0; i < std::min(left.size(), right.size()); ++i) {
    bool ln = all_digits(left[i]);
    bool rn = all_digits(right[i]);
    if (ln && rn) {
      int64_t l = 0;
      int64_t r = 0;
      parse_int(left[i], l);
      parse_int(right[i], r);
      if (l != r) return l < r ? -1 : 1;
    } else if (ln != rn) {
      return ln ? -1 : 1;
    } else if (left[i] != right[i]) {
      return left[i] < right[i] ? -1 : 1;
    }
  }
  if (left.size() == right.size()) return 0;
  return left.size() < right.size() ? -1 : 1;
}

struct Clause {
  std::string op;
  Version version;
};

std::optional<Clause> parse_clause(std::string_view text, bool strict) {
  text = trim(text);
  static constexpr std::string_view kOps[] = {">=", "<=", "!=", "~>", "=", ">", "<"};
  Clause clause;
  for (std::string_view op : kOps) {
    if (text.substr(0, op.size()) == op) {
      clause.op = std::string(op);
      text.remove_prefix(op.size());
      break;
    }
  }
  if (clause.op.empty()) clause.op = "=";
  auto version = parse_version(trim(text), strict);
  if (!version) return std::nullopt;
  clause.version = std::move(*version);
  return clause;
}

// "~> 1.2" allows 1.x from 1.2; "~> 1.2.3" allows 1.2.x from 1.2.3.
bool pessimistic_match(const Version& v, const Version& c) {
  if (compare_versions(v, c) < 0) return false;
  int fixed = std::max(1, c.specified - 1);
  for (int i = 0; i < fixed; ++i) {
    if (v.segments[i] != c.segments[i]) return false;
  }
  return true;
}

bool clause_matches(const Clause& clause, const Version& v, VersionFlavor flavor) {
  const Version& c = clause.version;
  if (flavor == VersionFlavor::kGoVersion && !v.prerelease.empty()) {
    // go-version: a pre-release only satisfies clauses naming a pre-release of
    // the same release.
    if (c.prerelease.empty() || c.segments != v.segments) return false;
  }
  int cmp = compare_versions(v, c);
  if (clause.op == "=") return cmp == 0;
  if (clause.op == "!=") return cmp != 0;
  if (clause.op == ">") return cmp > 0;
  if (clause.op == ">=") return cmp >= 0;
  if (clause.op == "<") return cmp < 0;
  if (clause.op == "<=") return cmp <= 0;
  return pessimistic_match(v, c);  // "~>"
}

}  // namespace

std::optional<Version> parse_version(std::string_view text, bool strict) {
  text = trim(text);
  if (!strict && !text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
  Version version;
  size_t plus = text.find('+');
  if (plus != std::string_view::npos) {
    if (plus + 1 == text.size()) return std::nullopt;
    text = text.substr(0, plus);
  }
  size_t dash = text.find('-');
  if (dash != std::string_view::npos) {
    version.prerelease = std::string(text.substr(dash + 1));
    if (version.prerelease.empty()) return std::nullopt;
    text = text.substr(0, dash);
  }
  for (const std::string& part : split(text, '.')) {
    int64_t value = 0;
    if (!parse_int(part, value) || value < 0) return std::nullopt;
    version.segments.push_back(value);
  }
  version.specified = static_cast<int>(version.segments.size());
  if (version.specified == 0 || (strict && version.specified > 3)) return std::nullopt;
  while (version.segments.size() < 3) version.segments.push_back(0);
  return version;
}

int compare_versions(const Version& a, const Version& b) {
  size_t n = std::max(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    int64_t l = i < a.segments.size() ? a.segments[i] : 0;
    int64_t r = i < b.segments.size() ? b.segments[i] : 0;
    if (l != r) return l < r ? -1 : 1;
  }
  return compare_prerelease(a.prerelease, b.prerelease);
}

bool version_satisfies(std::string_view constraint, std::string_view version,
                       VersionFlavor flavor) {
  bool strict = flavor == VersionFlavor::kSemver;
  auto v = parse_version(version, strict);
  if (!v) return false;
  std::vector<std::string> parts = split(constraint, ',');
  if (parts.empty()) return false;
  for (const std::string& part : parts) {
    auto clause = parse_clause(part, strict);
    if (!clause || !clause_matches(*clause, *v, flavor)) return false;
  }
  return true;
}

}  // namespace caravan::scheduler::internal
