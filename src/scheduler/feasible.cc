#include "scheduler/feasible.h"

namespace caravan::scheduler {
namespace {

std::optional<std::string> first_unmet(const std::vector<model::Constraint>& constraints,
                                       const model::Node& node, ConstraintChecker& checker) {
  for (const model::Constraint& c : constraints) {
    if (!checker.satisfied(c, node)) return constraint_key(c);
  }
  return std::nullopt;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point for the last `*`.
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool in_datacenters(const std::vector<std::string>& datacenters, std::string_view datacenter) {
  if (datacenters.empty()) return true;
  for (const std::string& pattern : datacenters) {
    if (glob_match(pattern, datacenter)) return true;
  }
  return false;
}

bool in_node_pool(std::string_view job_pool, std::string_view node_pool) {
  if (job_pool == "all") return true;
  std::string_view want = job_pool.empty() ? "default" : job_pool;
  std::string_view have = node_pool.empty() ? "default" : node_pool;
  return want == have;
}

bool is_candidate(const model::Job& job, const model::Node& node) {
  return node.schedulable() && in_datacenters(job.datacenters, node.datacenter) &&
         in_node_pool(job.node_pool, node.node_pool);
}

bool has_driver(const model::Node& node, const std::string& driver) {
  auto it = node.drivers.find(driver);
  if (it != node.drivers.end()) return it->second.detected && it->second.healthy;
  auto attr = node.attributes.find("driver." + driver);
  return attr != node.attributes.end() && (attr->second == "1" || attr->second == "true");
}

std::optional<std::string> infeasible_reason(const model::Job& job, const model::TaskGroup& group,
                                             const model::Node& node, ConstraintChecker& checker) {
  for (const model::Task& task : group.tasks) {
    if (!has_driver(node, task.driver)) return std::string(kFilterMissingDrivers);
  }
  if (auto reason = first_unmet(job.constraints, node, checker)) return reason;
  if (auto reason = first_unmet(group.constraints, node, checker)) return reason;
  for (const model::Task& task : group.tasks) {
    if (auto reason = first_unmet(task.constraints, node, checker)) return reason;
  }
  return std::nullopt;
}

}  // namespace caravan::scheduler
