// Spread blocks: scoring that steers a group's allocations across the values of
// a node attribute, towards target percentages (`target "dc1" { percent = 70 }`,
// the rest implicitly shared by other values) or, without targets, evenly.
// Built per placement from the job's proposed allocations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"
#include "model/node.h"
#include "scheduler/usage.h"

namespace caravan::scheduler {

class SpreadScorer {
 public:
  // Counts the group's proposed allocations per value of each spread attribute
  // (the job's spreads and the group's).
  SpreadScorer(const model::Job& job, const model::TaskGroup& group,
               const ProposedAllocs& proposed);

  bool empty() const { return spreads_.empty(); }

  // The summed boost of placing one more allocation on `node`: positive where a
  // value is below its share, negative above it, -1 per spread whose attribute
  // the node lacks. No opinion when the sum is 0.
  std::optional<double> score(const model::Node& node) const;

 private:
  struct Entry {
    const model::Spread* spread;
    std::map<std::string, double> desired;  // value (or "*") → desired count
    std::map<std::string, int> used;        // value → proposed allocations
  };
  double even_boost(const Entry& entry, const std::string& value) const;

  std::vector<Entry> spreads_;
  double weight_sum_ = 0;
};

// Whether spreads apply to `group` (they widen the number of nodes scored).
bool has_spreads(const model::Job& job, const model::TaskGroup& group);

}  // namespace caravan::scheduler
