#include "scheduler/distinct.h"

#include <charconv>

#include "scheduler/constraint.h"

namespace caravan::scheduler {
namespace {

bool enabled(const model::Constraint& c, const char* operand) {
  return c.operand == operand && c.r_target != "false";
}

int parse_limit(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return 1;
  return value;
}

}  // namespace

DistinctChecker::DistinctChecker(const model::Job& job, const model::TaskGroup& group,
                                 const ProposedAllocs& proposed)
    : group_(group), proposed_(proposed) {
  for (const model::Constraint& c : job.constraints) {
    job_hosts_ = job_hosts_ || enabled(c, kOperandDistinctHosts);
    if (c.operand == kOperandDistinctProperty) add_property(c, "");
  }
  auto group_level = [&](const std::vector<model::Constraint>& constraints) {
    for (const model::Constraint& c : constraints) {
      group_hosts_ = group_hosts_ || enabled(c, kOperandDistinctHosts);
      if (c.operand == kOperandDistinctProperty) add_property(c, group.name);
    }
  };
  group_level(group.constraints);
  for (const model::Task& task : group.tasks) group_level(task.constraints);
}

void DistinctChecker::add_property(const model::Constraint& c, const std::string& scope_group) {
  Property property{c.l_target, parse_limit(c.r_target), {}};
  for (const auto& [id, alloc] : proposed_.all()) {
    if (!alloc.node || (!scope_group.empty() && alloc.group != scope_group)) continue;
    if (auto value = resolve_target(c.l_target, *alloc.node)) ++property.used[*value];
  }
  properties_.push_back(std::move(property));
}

std::optional<std::string> DistinctChecker::check(const model::Node& node) const {
  if (job_hosts_ && proposed_.on_node(node.id, "") > 0) return std::string(kOperandDistinctHosts);
  if (group_hosts_ && proposed_.on_node(node.id, group_.name) > 0) {
    return std::string(kOperandDistinctHosts);
  }
  for (const Property& property : properties_) {
    std::optional<std::string> value = resolve_target(property.target, node);
    if (!value) return std::string(kOperandDistinctProperty);
    auto it = property.used.find(*value);
    if (it != property.used.end() && it->second >= property.limit) {
      return std::string(kOperandDistinctProperty);
    }
  }
  return std::nullopt;
}

}  // namespace caravan::scheduler
