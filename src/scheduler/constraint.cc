#include "scheduler/constraint.h"

#include <re2/re2.h>

#include <charconv>
#include <set>
#include <unordered_map>

#include "core/strings.h"
#include "scheduler/internal/version.h"

namespace caravan::scheduler {

struct ConstraintChecker::RegexCache {
  // A null entry remembers that the pattern does not compile.
  std::unordered_map<std::string, std::unique_ptr<re2::RE2>> compiled;
};

namespace {

std::optional<std::string> lookup(const std::map<std::string, std::string>& map,
                                  std::string_view key) {
  auto it = map.find(std::string(key));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// Ordering as Nomad does it: integers if both parse as integers, then floats,
// otherwise byte-wise string comparison.
bool check_order(std::string_view op, const std::string& l, const std::string& r) {
  int cmp = 0;
  int64_t li = 0;
  int64_t ri = 0;
  double lf = 0;
  double rf = 0;
  if (parse_number(l, li) && parse_number(r, ri)) {
    cmp = li < ri ? -1 : (li > ri ? 1 : 0);
  } else if (parse_number(l, lf) && parse_number(r, rf)) {
    cmp = lf < rf ? -1 : (lf > rf ? 1 : 0);
  } else {
    cmp = l.compare(r);
  }
  if (op == "<") return cmp < 0;
  if (op == "<=") return cmp <= 0;
  if (op == ">") return cmp > 0;
  return cmp >= 0;  // ">="
}

std::set<std::string> to_set(const std::string& text) {
  std::set<std::string> out;
  for (const std::string& item : split(text, ',')) out.emplace(trim(item));
  return out;
}

bool set_contains_all(const std::string& have, const std::string& want) {
  std::set<std::string> items = to_set(have);
  for (const std::string& w : to_set(want)) {
    if (!items.count(w)) return false;
  }
  return true;
}

bool set_contains_any(const std::string& have, const std::string& want) {
  std::set<std::string> items = to_set(have);
  for (const std::string& w : to_set(want)) {
    if (items.count(w)) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> resolve_target(std::string_view target, const model::Node& node) {
  if (target.size() < 3 || target.substr(0, 2) != "${" || target.back() != '}') {
    return std::string(target);
  }
  std::string_view name = target.substr(2, target.size() - 3);
  if (name == "node.unique.id") return node.id;
  if (name == "node.unique.name") return node.name;
  if (name == "node.datacenter") return node.datacenter;
  if (name == "node.class") return node.node_class;
  if (name == "node.pool") return node.node_pool;
  if (name.substr(0, 5) == "attr.") return lookup(node.attributes, name.substr(5));
  if (name.substr(0, 5) == "meta.") return lookup(node.meta, name.substr(5));
  return std::nullopt;
}

std::string constraint_key(const model::Constraint& constraint) {
  return constraint.l_target + " " + constraint.operand + " " + constraint.r_target;
}

ConstraintChecker::ConstraintChecker() : regexes_(std::make_unique<RegexCache>()) {}
ConstraintChecker::~ConstraintChecker() = default;

bool ConstraintChecker::satisfied(const model::Constraint& constraint, const model::Node& node) {
  if (constraint.operand == kOperandDistinctHosts ||
      constraint.operand == kOperandDistinctProperty) {
    return true;
  }
  return compare(constraint.operand, resolve_target(constraint.l_target, node),
                 resolve_target(constraint.r_target, node));
}

bool ConstraintChecker::satisfied(const model::Affinity& affinity, const model::Node& node) {
  return compare(affinity.operand, resolve_target(affinity.l_target, node),
                 resolve_target(affinity.r_target, node));
}

bool ConstraintChecker::compare(std::string_view operand, const std::optional<std::string>& left,
                                const std::optional<std::string>& right) {
  bool both = left.has_value() && right.has_value();
  if (operand.empty() || operand == "=" || operand == "==" || operand == "is") {
    return both && *left == *right;
  }
  if (operand == "!=" || operand == "not") return left != right;
  if (operand == "<" || operand == "<=" || operand == ">" || operand == ">=") {
    return both && check_order(operand, *left, *right);
  }
  if (operand == "is_set") return left.has_value();
  if (operand == "is_not_set") return !left.has_value();
  if (operand == "regexp") return both && regexp_match(*left, *right);
  if (operand == "version") {
    return both && internal::version_satisfies(*right, *left, internal::VersionFlavor::kGoVersion);
  }
  if (operand == "semver") {
    return both && internal::version_satisfies(*right, *left, internal::VersionFlavor::kSemver);
  }
  if (operand == "set_contains" || operand == "set_contains_all") {
    return both && set_contains_all(*left, *right);
  }
  if (operand == "set_contains_any") return both && set_contains_any(*left, *right);
  return false;
}

bool ConstraintChecker::regexp_match(const std::string& text, const std::string& pattern) {
  auto [it, inserted] = regexes_->compiled.try_emplace(pattern);
  if (inserted) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(pattern, options);
    if (re->ok()) it->second = std::move(re);
  }
  return it->second && re2::RE2::PartialMatch(text, *it->second);
}

}  // namespace caravan::scheduler
