#include "scheduler/spread.h"

#include <algorithm>
#include <climits>

#include "scheduler/constraint.h"

namespace caravan::scheduler {
namespace {

constexpr const char* kImplicitTarget = "*";

}  // namespace

SpreadScorer::SpreadScorer(const model::Job& job, const model::TaskGroup& group,
                           const ProposedAllocs& proposed) {
  std::vector<const model::Spread*> all;
  for (const model::Spread& s : job.spreads) all.push_back(&s);
  for (const model::Spread& s : group.spreads) all.push_back(&s);
  double count = group.count.value_or(1);
  for (const model::Spread* spread : all) {
    Entry entry{spread, {}, {}};
    double percent_sum = 0;
    for (const model::SpreadTarget& target : spread->spread_target) {
      entry.desired[target.value] = count * target.percent / 100.0;
      percent_sum += target.percent;
    }
    if (!spread->spread_target.empty() && percent_sum < 100) {
      entry.desired[kImplicitTarget] = count * (100 - percent_sum) / 100.0;
    }
    for (const auto& [id, alloc] : proposed.all()) {
      if (alloc.group != group.name || !alloc.node) continue;
      if (auto value = resolve_target(spread->attribute, *alloc.node)) ++entry.used[*value];
    }
    weight_sum_ += spread->weight;
    spreads_.push_back(std::move(entry));
  }
}

double SpreadScorer::even_boost(const Entry& entry, const std::string& value) const {
  if (entry.used.empty()) return 0;
  int least = INT_MAX;
  int most = 0;
  for (const auto& [v, n] : entry.used) {
    least = std::min(least, n);
    most = std::max(most, n);
  }
  auto it = entry.used.find(value);
  int current = it == entry.used.end() ? 0 : it->second;
  if (current < least) return 1.0;  // a value not used yet
  if (current > least) return static_cast<double>(least - current) / current;
  if (least == most) return -1.0;                   // even already: any value will do
  return static_cast<double>(most - least) / most;  // among the least used
}

std::optional<double> SpreadScorer::score(const model::Node& node) const {
  double total = 0;
  for (const Entry& entry : spreads_) {
    std::optional<std::string> value = resolve_target(entry.spread->attribute, node);
    if (!value) {
      total -= 1.0;
      continue;
    }
    double weight = weight_sum_ > 0 ? entry.spread->weight / weight_sum_ : 1.0 / spreads_.size();
    if (entry.desired.empty()) {
      total += even_boost(entry, *value) * weight;
      continue;
    }
    auto desired = entry.desired.find(*value);
    if (desired == entry.desired.end()) desired = entry.desired.find(kImplicitTarget);
    if (desired == entry.desired.end() || desired->second <= 0) {
      total -= 1.0;
      continue;
    }
    auto used = entry.used.find(*value);
    double after = (used == entry.used.end() ? 0 : used->second) + 1;
    total += (desired->second - after) / desired->second * weight;
  }
  if (total == 0) return std::nullopt;
  return total;
}

bool has_spreads(const model::Job& job, const model::TaskGroup& group) {
  return !job.spreads.empty() || !group.spreads.empty();
}

}  // namespace caravan::scheduler
