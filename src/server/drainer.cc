#include "server/drainer.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "model/health_strategy.h"

namespace caravan::server {
namespace {

using GroupKey = std::tuple<std::string, std::string, std::string>;  // ns, job, group

GroupKey group_key(const model::Allocation& alloc) {
  return {alloc.namespace_name, alloc.job_id, alloc.task_group};
}

bool marked(const model::Allocation& alloc) {
  return alloc.desired_transition.migrate.value_or(false);
}

std::string job_type(const model::Allocation& alloc) {
  return alloc.job && !alloc.job->type.empty() ? alloc.job->type : model::kJobTypeService;
}

bool forced(const model::DrainStrategy& drain, int64_t now_ns) {
  if (drain.deadline < Duration::zero()) return true;
  return drain.deadline > Duration::zero() && drain.force_deadline > 0 &&
         now_ns >= drain.force_deadline;
}

// Replacement chains: previous allocation id → the allocation replacing it.
class Replacements {
 public:
  explicit Replacements(const state::StateView& state) {
    for (const state::AllocPtr& alloc : state.allocs()) {
      if (!alloc->previous_allocation.empty()) by_previous_[alloc->previous_allocation] = alloc;
    }
  }

  // Whether the (last living) replacement of `alloc` reported healthy.
  bool healthy(const model::Allocation& alloc) const {
    std::set<std::string> seen{alloc.id};
    auto it = by_previous_.find(alloc.id);
    while (it != by_previous_.end()) {
      const model::Allocation& next = *it->second;
      if (next.deployment_status && next.deployment_status->healthy.value_or(false)) return true;
      auto further = by_previous_.find(next.id);
      if (further == by_previous_.end() || !seen.insert(next.id).second) return false;
      it = further;
    }
    return false;
  }

 private:
  std::map<std::string, state::AllocPtr> by_previous_;
};

struct NodeAllocs {
  const model::Node* node = nullptr;
  std::vector<state::AllocPtr> live;  // not terminal
};

}  // namespace

DrainPlan plan_drain(const state::StateView& state, int64_t now_ns) {
  DrainPlan plan;
  std::vector<NodeAllocs> draining;
  std::vector<state::NodePtr> nodes = state.nodes();
  std::sort(nodes.begin(), nodes.end(),
            [](const state::NodePtr& a, const state::NodePtr& b) { return a->id < b->id; });
  for (const state::NodePtr& node : nodes) {
    if (!node->drain()) continue;
    NodeAllocs entry{node.get(), {}};
    for (const state::AllocPtr& alloc : state.allocs_by_node(node->id)) {
      if (!alloc->terminal()) entry.live.push_back(alloc);
    }
    std::sort(entry.live.begin(), entry.live.end(),
              [](const state::AllocPtr& a, const state::AllocPtr& b) { return a->name < b->name; });
    draining.push_back(std::move(entry));
  }
  if (draining.empty()) return plan;

  // Migration budget per (job, group), shared by every draining node.
  Replacements replacements(state);
  std::map<GroupKey, int> in_flight;
  for (const NodeAllocs& entry : draining) {
    const int64_t started = entry.node->drain_strategy->started_at;
    for (const state::AllocPtr& alloc : state.allocs_by_node(entry.node->id)) {
      // Marks older than this drain (an earlier drain of the node) do not count.
      if (!marked(*alloc) || alloc->modify_time < started ||
          job_type(*alloc) != model::kJobTypeService) {
        continue;
      }
      state::JobPtr job = state.job(alloc->namespace_name, alloc->job_id);
      if (job && !job->stop && !replacements.healthy(*alloc)) ++in_flight[group_key(*alloc)];
    }
  }
  auto budget_left = [&](const model::Allocation& alloc) {
    const model::TaskGroup* group =
        alloc.job ? model::find_task_group(*alloc.job, alloc.task_group) : nullptr;
    int max_parallel = group ? model::migrate_max_parallel(*alloc.job, *group) : 1;
    return in_flight[group_key(alloc)] < max_parallel;
  };

  std::set<std::pair<std::string, std::string>> jobs;
  auto mark = [&](const model::Allocation& alloc) {
    plan.migrate.push_back(alloc.id);
    jobs.emplace(alloc.namespace_name, alloc.job_id);
  };

  for (const NodeAllocs& entry : draining) {
    const model::DrainStrategy& drain = *entry.node->drain_strategy;
    const bool force = forced(drain, now_ns);
    bool others_left = false;  // non-system allocations still on the node
    std::vector<state::AllocPtr> system;
    for (const state::AllocPtr& alloc : entry.live) {
      const std::string type = job_type(*alloc);
      if (type == model::kJobTypeSystem) {
        if (!drain.ignore_system_jobs) system.push_back(alloc);
        continue;
      }
      others_left = true;
      if (marked(*alloc)) continue;  // the scheduler has yet to act on it
      if (force) {
        mark(*alloc);
      } else if (type == model::kJobTypeService && budget_left(*alloc)) {
        mark(*alloc);
        ++in_flight[group_key(*alloc)];
      }
      // Batch and sysbatch: left to finish until the deadline.
    }
    for (const state::AllocPtr& alloc : system) {
      if ((force || !others_left) && !marked(*alloc)) mark(*alloc);
    }
    if (!others_left && system.empty()) plan.complete.push_back(entry.node->id);
  }
  plan.jobs.assign(jobs.begin(), jobs.end());
  return plan;
}

}  // namespace caravan::server
