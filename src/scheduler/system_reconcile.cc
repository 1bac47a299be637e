#include "scheduler/system_reconcile.h"

#include <algorithm>
#include <unordered_map>

#include "scheduler/internal/reconcile_helpers.h"
#include "scheduler/task_updates.h"

namespace caravan::scheduler {
namespace {

class SystemGroupReconciler {
 public:
  SystemGroupReconciler(const ReconcileInput& in, const model::Job& job,
                        const model::TaskGroup& group, ReconcileResult& out)
      : in_(in),
        job_(job),
        group_(group),
        out_(out),
        du_(out.desired_tg_updates[group.name]),
        name_(model::allocation_name(job.id, group.name, 0)) {}

  void run(const std::vector<state::AllocPtr>& allocs, const std::vector<state::NodePtr>& nodes,
           const NodeFeasibility& feasible, bool& rolling) {
    std::unordered_map<std::string, std::vector<state::AllocPtr>> by_node;
    for (const state::AllocPtr& alloc : allocs) {
      if (!alloc->server_terminal()) by_node[alloc->node_id].push_back(alloc);
    }
    for (const state::NodePtr& node : nodes) {
      auto it = by_node.find(node->id);
      std::vector<state::AllocPtr> here;
      if (it != by_node.end()) {
        here = std::move(it->second);
        by_node.erase(it);
      }
      if (feasible(group_, *node)) {
        on_feasible_node(node, here);
      } else {
        on_other_node(*node, here);
      }
    }
    for (const auto& [node_id, gone] : by_node) {
      for (const state::AllocPtr& alloc : gone) stop_lost(alloc);
    }
    update(rolling);
  }

 private:
  bool sysbatch() const { return job_.type == model::kJobTypeSysBatch; }

  void stop(const state::AllocPtr& alloc, const char* description, const char* client = "") {
    out_.stops.push_back({alloc, description, client});
  }

  void stop_lost(const state::AllocPtr& alloc) {
    if (alloc->client_terminal()) return;
    stop(alloc, kDescLost, model::kAllocClientLost);
    ++du_.stop;
  }

  void on_other_node(const model::Node& node, const std::vector<state::AllocPtr>& here) {
    for (const state::AllocPtr& alloc : here) {
      if (alloc->client_terminal()) continue;
      if (node.status == model::kNodeStatusDown || node.status == model::kNodeStatusDisconnected) {
        stop_lost(alloc);
      } else if (node.drain()) {
        if (alloc->desired_transition.migrate.value_or(false)) {
          stop(alloc, kDescMigrating);
          ++du_.migrate;
        } else {
          ++du_.ignore;
        }
      } else if (node.status == model::kNodeStatusReady &&
                 node.scheduling_eligibility == model::kNodeEligible) {
        stop(alloc, kDescNodeIneligible);  // constraints, datacenter or pool changed
        ++du_.stop;
      } else {
        ++du_.ignore;  // ineligible or initializing: leave it running
      }
    }
  }

  // Whether a finished sysbatch allocation already ran this version.
  bool already_ran(const model::Allocation& alloc) const {
    if (!sysbatch() || alloc.client_status == model::kAllocClientLost) return false;
    if (same_version(alloc, job_)) return true;
    const model::TaskGroup* old_group = alloc.job ? find_group(*alloc.job, group_.name) : nullptr;
    return old_group && !tasks_updated(*alloc.job, *old_group, job_, group_);
  }

  void on_feasible_node(const state::NodePtr& node, std::vector<state::AllocPtr>& here) {
    std::sort(here.begin(), here.end(), [](const state::AllocPtr& a, const state::AllocPtr& b) {
      return a->create_index > b->create_index;  // newest first
    });
    state::AllocPtr keep;
    state::AllocPtr finished;
    for (const state::AllocPtr& alloc : here) {
      if (alloc->client_terminal()) {
        if (!finished) finished = alloc;
      } else if (!keep) {
        keep = alloc;
      } else {
        stop(alloc, kDescNotNeeded);
        ++du_.stop;
      }
    }
    if (keep) {
      candidates_.push_back(keep);
      return;
    }
    if (finished && already_ran(*finished)) {
      ++du_.ignore;
      return;
    }
    PlacementRequest p;
    p.group = &group_;
    p.name = name_;
    p.previous = finished;
    p.node = node;
    out_.placements.push_back(std::move(p));
    ++du_.place;
  }

  void update(bool& rolling) {
    internal::SortedUpdates sorted = internal::sort_updates(job_, group_, candidates_, du_, out_);
    int limit = destructive_limit(job_, group_, sorted.pending);
    rolling |= internal::limit_destructive(sorted.destructive, limit, du_);
    for (const state::AllocPtr& alloc : sorted.destructive) {
      PlacementRequest p = internal::destructive_placement(group_, alloc);
      p.node = in_.state.node(alloc->node_id);
      out_.placements.push_back(std::move(p));
    }
  }

  const ReconcileInput& in_;
  const model::Job& job_;
  const model::TaskGroup& group_;
  ReconcileResult& out_;
  model::DesiredUpdates& du_;
  std::string name_;
  std::vector<state::AllocPtr> candidates_;  // live allocations on feasible nodes
};

}  // namespace

ReconcileResult system_reconcile(const ReconcileInput& in, const std::vector<state::NodePtr>& nodes,
                                 const NodeFeasibility& feasible) {
  if (!in.job || in.job->stop) return reconcile(in);  // stops everything
  const model::Job& job = *in.job;
  ReconcileResult out;
  std::map<std::string, std::vector<state::AllocPtr>> by_group;
  for (const state::AllocPtr& alloc : in.allocs) by_group[alloc->task_group].push_back(alloc);
  bool rolling = false;
  for (const model::TaskGroup& group : job.task_groups) {
    static const std::vector<state::AllocPtr> kNone;
    auto it = by_group.find(group.name);
    SystemGroupReconciler(in, job, group, out)
        .run(it == by_group.end() ? kNone : it->second, nodes, feasible, rolling);
    if (it != by_group.end()) by_group.erase(it);
  }
  for (const auto& [name, allocs] : by_group) internal::stop_allocs(allocs, kDescNotNeeded, out);
  if (rolling) out.followups.push_back(internal::rolling_followup(in.eval, job, in.now));
  return out;
}

}  // namespace caravan::scheduler
