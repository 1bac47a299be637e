// Constraint evaluation against one node: resolving targets such as
// `${attr.kernel.name}`, `${node.unique.id}` or `${meta.rack}` and applying every
// operator of the jobspec (=, !=, ordering, regexp, version, semver, set_*,
// is_set, is_not_set). Used by feasibility (hard constraints) and ranking
// (affinities). distinct_hosts / distinct_property depend on the plan and are
// checked in distinct.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/job.h"
#include "model/node.h"

namespace caravan::scheduler {

inline constexpr const char* kOperandDistinctHosts = "distinct_hosts";
inline constexpr const char* kOperandDistinctProperty = "distinct_property";

// The value of `target` on `node`: an interpolation (`${attr.X}`, `${meta.X}`,
// `${node.unique.id}`, `${node.unique.name}`, `${node.datacenter}`,
// `${node.class}`, `${node.pool}`) or the literal text. nullopt when the
// interpolation names something the node does not have.
std::optional<std::string> resolve_target(std::string_view target, const model::Node& node);

// The AllocMetric::constraint_filtered key for a constraint, as Nomad prints
// it: "${attr.kernel.name} = windows".
std::string constraint_key(const model::Constraint& constraint);

// Applies operators; keeps compiled regular expressions for the life of one
// evaluation. Not thread-safe (one per scheduler run).
class ConstraintChecker {
 public:
  ConstraintChecker();
  ~ConstraintChecker();
  ConstraintChecker(const ConstraintChecker&) = delete;
  ConstraintChecker& operator=(const ConstraintChecker&) = delete;

  // Whether `node` satisfies the constraint. distinct_* operands always pass
  // here. An empty operand means "=". Unknown operands never pass.
  bool satisfied(const model::Constraint& constraint, const model::Node& node);
  bool satisfied(const model::Affinity& affinity, const model::Node& node);

  // Applies `operand` to resolved values (nullopt = the target is not set).
  bool compare(std::string_view operand, const std::optional<std::string>& left,
               const std::optional<std::string>& right);

 private:
  bool regexp_match(const std::string& text, const std::string& pattern);

  struct RegexCache;
  std::unique_ptr<RegexCache> regexes_;
};

}  // namespace caravan::scheduler
