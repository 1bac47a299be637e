// The plan-dependent constraints: distinct_hosts (no two allocations of the job,
// or of the group when set on a group or task, on one node) and
// distinct_property (at most RTarget, default 1, allocations per value of a
// node property). Built per placement from the job's proposed allocations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "model/node.h"
#include "scheduler/usage.h"

namespace caravan::scheduler {

class DistinctChecker {
 public:
  DistinctChecker(const model::Job& job, const model::TaskGroup& group,
                  const ProposedAllocs& proposed);

  // nullopt when `node` may take one more allocation of the group, otherwise
  // the filter reason: "distinct_hosts" or "distinct_property".
  std::optional<std::string> check(const model::Node& node) const;

 private:
  struct Property {
    std::string target;  // l_target
    int limit = 1;
    std::map<std::string, int> used;  // property value → allocations in scope
  };
  void add_property(const model::Constraint& c, const std::string& scope_group);

  const model::TaskGroup& group_;
  const ProposedAllocs& proposed_;
  bool job_hosts_ = false;    // distinct_hosts at job level
  bool group_hosts_ = false;  // at group or task level
  std::vector<Property> properties_;
};

}  // namespace caravan::scheduler
