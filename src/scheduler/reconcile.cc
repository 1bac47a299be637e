#include "scheduler/reconcile.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/uuid.h"
#include "scheduler/internal/job_deployment.h"
#include "scheduler/internal/reconcile_helpers.h"
#include "scheduler/reschedule.h"

namespace caravan::scheduler {
namespace {

using std::chrono::seconds;

// A failed allocation due within this window is rescheduled now.
constexpr int64_t kRescheduleWindowNs = std::chrono::nanoseconds(seconds(1)).count();
// Delayed reschedules this close together share one follow-up evaluation.
constexpr int64_t kFollowupBatchNs = std::chrono::nanoseconds(seconds(5)).count();

bool node_lost(const state::NodePtr& node) {
  return !node || node->status == model::kNodeStatusDown ||
         node->status == model::kNodeStatusDisconnected;
}

struct Delayed {
  state::AllocPtr alloc;
  int64_t at = 0;
};

// One name-holding entry of a group while counting: a live allocation, a
// terminal one that keeps its name, or a replacement to place.
struct Slot {
  int index = -1;
  state::AllocPtr alloc;  // live or kept allocation (null for replacements)
  int placement = -1;     // index into the group's replacements
  bool live = false;
};

class GroupReconciler {
 public:
  GroupReconciler(const ReconcileInput& in, const model::Job& job, const model::TaskGroup& group,
                  internal::JobDeployment& deployment, ReconcileResult& out)
      : in_(in),
        job_(job),
        group_(group),
        deployment_(deployment),
        out_(out),
        du_(out.desired_tg_updates[group.name]) {}

  void run(const std::vector<state::AllocPtr>& allocs, std::vector<Delayed>& delayed,
           bool& rolling) {
    for (const state::AllocPtr& alloc : allocs) classify(alloc, delayed);
    std::vector<Slot> slots = count_slots();
    place_missing(slots);
    for (PlacementRequest& p : replacements_) {
      if (p.group) out_.placements.push_back(std::move(p));
    }
    update(slots, rolling);
  }

 private:
  bool batch() const { return job_.type == model::kJobTypeBatch; }

  void stop(const state::AllocPtr& alloc, const char* description, const char* client = "") {
    out_.stops.push_back({alloc, description, client});
  }

  void replace(const state::AllocPtr& previous) {
    PlacementRequest p;
    p.group = &group_;
    p.name = previous->name;
    p.previous = previous;
    replacements_.push_back(std::move(p));
  }

  void classify(const state::AllocPtr& alloc, std::vector<Delayed>& delayed) {
    if (alloc->server_terminal() || !alloc->next_allocation.empty()) return;
    const std::string& status = alloc->client_status;
    if (status == model::kAllocClientComplete) {
      // A finished batch allocation keeps its name; a service one is replaced.
      if (batch()) kept_.push_back(alloc);
      return;
    }
    if (status == model::kAllocClientLost) {
      replace(alloc);
      ++du_.place;
      return;
    }
    if (status == model::kAllocClientFailed) {
      classify_failed(alloc, delayed);
      return;
    }
    state::NodePtr node = in_.state.node(alloc->node_id);
    if (node_lost(node)) {
      stop(alloc, kDescLost, model::kAllocClientLost);
      ++du_.stop;
      if (!group_.prevent_reschedule_on_lost) {
        replace(alloc);
        ++du_.place;
      }
      return;
    }
    if (node->drain() && alloc->desired_transition.migrate.value_or(false)) {
      stop(alloc, kDescMigrating);
      replace(alloc);
      ++du_.migrate;
      return;
    }
    if (internal::is_canary(*alloc)) {
      const model::Deployment* active = deployment_.active();
      if (active != nullptr && alloc->deployment_id == active->id && same_version(*alloc, job_) &&
          !deployment_.promoted(group_.name)) {
        canaries_.push_back(alloc);  // beside the old version until promotion
        return;
      }
      // A canary of a failed or cancelled deployment, or one left unpromoted.
      stop(alloc, kDescNotNeeded);
      ++du_.stop;
      return;
    }
    live_.push_back(alloc);
  }

  void classify_failed(const state::AllocPtr& alloc, std::vector<Delayed>& delayed) {
    bool forced = alloc->desired_transition.force_reschedule.value_or(false);
    std::optional<int64_t> at =
        forced ? std::optional<int64_t>(in_.now)
               : reschedule_time(effective_policy(job_, group_), *alloc, in_.now);
    if (!at) {
      kept_.push_back(alloc);  // out of attempts: it keeps its name, unreplaced
      return;
    }
    bool due = *at <= in_.now + kRescheduleWindowNs || alloc->followup_eval_id == in_.eval.id;
    if (!due) {
      kept_.push_back(alloc);
      if (alloc->followup_eval_id.empty()) delayed.push_back({alloc, *at});
      return;
    }
    replace(alloc);
    PlacementRequest& p = replacements_.back();
    p.reschedule = true;
    p.stop_previous = true;
    p.stop_description = kDescRescheduled;
    ++du_.place;
  }

  // Orders name holders, stops or drops those beyond `count` (highest index
  // first, duplicates of a name always) and returns the survivors.
  std::vector<Slot> count_slots() {
    std::vector<Slot> all;
    for (const state::AllocPtr& a : live_) all.push_back({a->index(), a, -1, true});
    for (size_t i = 0; i < replacements_.size(); ++i) {
      all.push_back({replacements_[i].previous->index(), nullptr, static_cast<int>(i), false});
    }
    for (const state::AllocPtr& a : kept_) all.push_back({a->index(), a, -1, false});
    // Of two holders of one name, a live allocation of the current version (a
    // promoted canary) keeps it; otherwise live ones before replacements
    // before kept ones.
    auto rank = [&](const Slot& s) {
      if (s.live) return same_version(*s.alloc, job_) ? 0 : 1;
      return s.alloc ? 3 : 2;
    };
    std::stable_sort(all.begin(), all.end(), [&](const Slot& a, const Slot& b) {
      return a.index != b.index ? a.index < b.index : rank(a) < rank(b);
    });
    std::set<int> used;
    std::vector<Slot> keep;
    for (Slot& s : all) {
      if (s.index < 0 || !used.insert(s.index).second) {
        drop(s);
      } else {
        keep.push_back(s);
      }
    }
    std::stable_sort(keep.begin(), keep.end(),
                     [](const Slot& a, const Slot& b) { return a.index < b.index; });
    const size_t count = static_cast<size_t>(std::max(0, group_.count.value_or(1)));
    while (keep.size() > count) {
      drop(keep.back());
      keep.pop_back();
    }
    for (const Slot& s : keep) used_.insert(s.index);
    return keep;
  }

  void drop(const Slot& s) {
    if (s.placement >= 0) {
      PlacementRequest& p = replacements_[s.placement];
      --du_.place;
      if (p.reschedule) {
        stop(p.previous, kDescNotNeeded);
        ++du_.stop;
      }
      p.group = nullptr;  // not placed
      return;
    }
    if (!s.alloc->server_terminal()) {
      stop(s.alloc, kDescNotNeeded);
      ++du_.stop;
    }
  }

  void place_missing(std::vector<Slot>& slots) {
    const int count = std::max(0, group_.count.value_or(1));
    int missing = count - static_cast<int>(slots.size());
    for (int index = 0; missing > 0; ++index) {
      if (used_.count(index)) continue;
      PlacementRequest p;
      p.group = &group_;
      p.name = model::allocation_name(job_.id, group_.name, index);
      out_.placements.push_back(std::move(p));
      ++du_.place;
      --missing;
    }
  }

  void update(const std::vector<Slot>& slots, bool& rolling) {
    std::vector<state::AllocPtr> live;
    for (const Slot& s : slots) {
      if (s.live) {
        live.push_back(s.alloc);
      } else if (s.alloc) {
        ++du_.ignore;
      }
    }
    const size_t in_place_before = out_.in_place.size();
    internal::SortedUpdates sorted = internal::sort_updates(job_, group_, live, du_, out_);
    if (!internal::JobDeployment::governs(job_, group_)) {
      int limit = destructive_limit(job_, group_, sorted.pending);
      rolling |= internal::limit_destructive(sorted.destructive, limit, du_);
      for (const state::AllocPtr& alloc : sorted.destructive) {
        out_.placements.push_back(internal::destructive_placement(group_, alloc));
      }
      return;
    }
    deploy(sorted, in_place_before);
  }

  // The rolling update of a group governed by the job's deployment.
  void deploy(internal::SortedUpdates& sorted, size_t in_place_before) {
    const model::UpdateStrategy& strategy = group_.update ? *group_.update : *job_.update;
    const int canaries = std::max(0, strategy.canary.value_or(0));
    const bool canary_phase =
        canaries > 0 && !sorted.destructive.empty() && !deployment_.promoted(group_.name);
    int placing = 0;
    for (const PlacementRequest& p : out_.placements) placing += p.group == &group_ ? 1 : 0;
    if (!sorted.destructive.empty() || placing > 0 || out_.in_place.size() > in_place_before ||
        !canaries_.empty()) {
      deployment_.require(job_, group_, canary_phase ? canaries : 0);
    }
    const model::Deployment* active = deployment_.active();
    const std::string id = active != nullptr ? active->id : "";
    for (PlacementRequest& p : out_.placements) {
      if (p.group == &group_) p.deployment_id = id;
    }
    for (size_t i = in_place_before; i < out_.in_place.size(); ++i) {
      out_.in_place[i].deployment_id = id;
    }
    if (canary_phase) {
      std::vector<state::AllocPtr> waiting = sorted.destructive;
      internal::limit_destructive(sorted.destructive, 0, du_);
      du_.ignore += static_cast<int>(canaries_.size());
      if (deployment_.running()) place_canaries(waiting, canaries, id);
      return;
    }
    int limit = 0;
    if (deployment_.running()) {
      int not_healthy = placing;
      for (const state::AllocPtr& alloc : sorted.current) {
        bool healthy = alloc->deployment_status && alloc->deployment_status->healthy.value_or(false);
        if (alloc->deployment_id == id && !healthy) ++not_healthy;
      }
      limit = std::max(0, strategy.max_parallel.value_or(1) - not_healthy);
    }
    // What waits is evaluated again when the deployment watcher sees a
    // replacement turn healthy.
    internal::limit_destructive(sorted.destructive, limit, du_);
    for (const state::AllocPtr& alloc : sorted.destructive) {
      PlacementRequest p = internal::destructive_placement(group_, alloc);
      p.deployment_id = id;
      out_.placements.push_back(std::move(p));
    }
  }

  // Places the canaries still missing beside the old version, named after the
  // allocations they will replace.
  void place_canaries(const std::vector<state::AllocPtr>& old, int wanted, const std::string& id) {
    std::set<std::string> taken;
    for (const state::AllocPtr& canary : canaries_) taken.insert(canary->name);
    int missing = wanted - static_cast<int>(canaries_.size());
    std::vector<state::AllocPtr> by_index = old;
    std::sort(by_index.begin(), by_index.end(), [](const state::AllocPtr& a, const state::AllocPtr& b) {
      return a->index() < b->index();
    });
    for (const state::AllocPtr& alloc : by_index) {
      if (missing <= 0) break;
      if (!taken.insert(alloc->name).second) continue;
      PlacementRequest p;
      p.group = &group_;
      p.name = alloc->name;
      p.deployment_id = id;
      p.canary = true;
      out_.placements.push_back(std::move(p));
      ++du_.canary;
      --missing;
    }
  }

  const ReconcileInput& in_;
  const model::Job& job_;
  const model::TaskGroup& group_;
  internal::JobDeployment& deployment_;
  ReconcileResult& out_;
  model::DesiredUpdates& du_;
  std::vector<state::AllocPtr> live_;
  std::vector<state::AllocPtr> canaries_;  // of the active deployment, not yet promoted
  std::vector<state::AllocPtr> kept_;
  std::vector<PlacementRequest> replacements_;
  std::set<int> used_;
};

void add_reschedule_followups(const ReconcileInput& in, const model::Job& job,
                              std::vector<Delayed>& delayed, ReconcileResult& out) {
  std::sort(delayed.begin(), delayed.end(),
            [](const Delayed& a, const Delayed& b) { return a.at < b.at; });
  for (const Delayed& d : delayed) {
    if (out.followups.empty() ||
        out.followups.back().eval.triggered_by != model::kEvalTriggerRetryFailedAlloc ||
        d.at > out.followups.back().eval.wait_until + kFollowupBatchNs) {
      out.followups.push_back(
          {followup_eval(in.eval, job, model::kEvalTriggerRetryFailedAlloc, d.at), {}});
    }
    out.followups.back().allocs.push_back(d.alloc);
  }
}

}  // namespace

bool same_version(const model::Allocation& alloc, const model::Job& job) {
  if (!alloc.job) return false;
  return alloc.job.get() == &job ||
         (alloc.job->version == job.version && alloc.job->job_modify_index == job.job_modify_index);
}

int destructive_limit(const model::Job& job, const model::TaskGroup& group, int pending) {
  if (job.type == model::kJobTypeBatch || job.type == model::kJobTypeSysBatch) return -1;
  const std::optional<model::UpdateStrategy>& update = group.update ? group.update : job.update;
  if (!update || update->max_parallel.value_or(0) <= 0) return -1;
  return std::max(0, *update->max_parallel - pending);
}

model::Evaluation followup_eval(const model::Evaluation& parent, const model::Job& job,
                                const std::string& trigger, int64_t wait_until) {
  model::Evaluation eval;
  eval.id = generate_uuid();
  eval.namespace_name = job.namespace_name.empty() ? parent.namespace_name : job.namespace_name;
  eval.priority = job.priority > 0 ? job.priority : parent.priority;
  eval.type = job.type.empty() ? parent.type : job.type;
  eval.triggered_by = trigger;
  eval.job_id = job.id;
  eval.job_modify_index = job.job_modify_index;
  eval.status = model::kEvalStatusPending;
  eval.wait_until = wait_until;
  eval.previous_eval = parent.id;
  return eval;
}

ReconcileResult reconcile(const ReconcileInput& in) {
  ReconcileResult out;
  internal::JobDeployment deployment(in.state, in.eval.namespace_name, in.eval.job_id,
                                     in.job.get(), in.now);
  out.deployment_updates = deployment.cancelled;
  if (!in.job || in.job->stop) {
    internal::stop_allocs(in.allocs, kDescJobStopped, out);
    return out;
  }
  const model::Job& job = *in.job;
  std::map<std::string, std::vector<state::AllocPtr>> by_group;
  for (const state::AllocPtr& alloc : in.allocs) by_group[alloc->task_group].push_back(alloc);
  std::vector<Delayed> delayed;
  bool rolling = false;
  for (const model::TaskGroup& group : job.task_groups) {
    auto it = by_group.find(group.name);
    static const std::vector<state::AllocPtr> kNone;
    GroupReconciler(in, job, group, deployment, out)
        .run(it == by_group.end() ? kNone : it->second, delayed, rolling);
    if (it != by_group.end()) by_group.erase(it);
  }
  for (const auto& [name, allocs] : by_group) internal::stop_allocs(allocs, kDescNotNeeded, out);
  add_reschedule_followups(in, job, delayed, out);
  if (rolling) {
    out.followups.push_back(internal::rolling_followup(in.eval, job, in.now));
  }
  out.deployment = std::move(deployment.created);
  return out;
}

}  // namespace caravan::scheduler
