#include "scheduler/internal/plan_executor.h"

#include <chrono>
#include <memory>
#include <optional>

#include "core/uuid.h"
#include "scheduler/feasible.h"
#include "scheduler/reschedule.h"
#include "scheduler/stack.h"

namespace caravan::scheduler::internal {
namespace {

class Executor {
 public:
  Executor(EvalContext& ctx, const model::Evaluation& eval, const state::JobPtr& job,
           ReconcileResult& decisions)
      : ctx_(ctx), eval_(eval), job_(job), decisions_(decisions) {
    model::Plan& plan = out_.plan;
    plan.eval_id = eval.id;
    plan.priority = job ? job->priority : eval.priority;
    plan.all_at_once = job && job->all_at_once;
    plan.job = job;
    plan.snapshot_index = ctx.state.index();
  }

  PassOutput run(const std::vector<state::AllocPtr>& allocs) {
    for (const state::AllocPtr& alloc : allocs) {
      if (alloc->terminal()) continue;
      ctx_.proposed.add(
          {alloc->id, alloc->node_id, ctx_.state.node(alloc->node_id), alloc->task_group});
    }
    if (job_) {
      for (const model::TaskGroup& group : job_->task_groups) out_.queued[group.name] = 0;
    }
    for (const StopRequest& s : decisions_.stops) stop(*s.alloc, s.description, s.client_status);
    for (FollowupRequest& f : decisions_.followups) annotate_followup(f);
    for (const InPlaceRequest& u : decisions_.in_place) update_in_place(u);
    for (const PlacementRequest& p : decisions_.placements) place(p);
    if (eval_.annotate_plan) {
      out_.plan.annotations.desired_tg_updates = std::move(decisions_.desired_tg_updates);
    }
    out_.plan.deployment = std::move(decisions_.deployment);
    out_.plan.deployment_updates = std::move(decisions_.deployment_updates);
    return std::move(out_);
  }

 private:
  void stop(const model::Allocation& alloc, const std::string& description,
            const std::string& client_status, const std::string& next = "") {
    ctx_.usage.remove(alloc);
    ctx_.proposed.remove(alloc.id);
    model::Allocation copy = alloc;
    copy.desired_status = model::kAllocDesiredStop;
    copy.desired_description = description;
    if (!client_status.empty()) copy.client_status = client_status;
    if (!next.empty()) copy.next_allocation = next;
    copy.modify_time = ctx_.now;
    out_.plan.node_update[alloc.node_id].push_back(std::move(copy));
  }

  void annotate_followup(FollowupRequest& f) {
    for (const state::AllocPtr& alloc : f.allocs) {
      model::Allocation copy = *alloc;
      copy.followup_eval_id = f.eval.id;
      out_.plan.node_allocation[alloc->node_id].push_back(std::move(copy));
    }
    out_.evals_to_create.push_back(std::move(f.eval));
  }

  void update_in_place(const InPlaceRequest& u) {
    state::NodePtr node = ctx_.state.node(u.alloc->node_id);
    if (!node || infeasible_reason(*job_, *u.group, *node, ctx_.checker)) {
      // The node no longer satisfies the new version: replace the allocation.
      model::DesiredUpdates& du = decisions_.desired_tg_updates[u.group->name];
      --du.in_place_update;
      ++du.destructive_update;
      PlacementRequest p;
      p.group = u.group;
      p.name = u.alloc->name;
      p.previous = u.alloc;
      p.stop_previous = true;
      p.stop_description = kDescUpdating;
      p.deployment_id = u.deployment_id;
      decisions_.placements.push_back(std::move(p));
      return;
    }
    model::Allocation copy = *u.alloc;
    copy.job = job_;
    if (!u.deployment_id.empty() && u.deployment_id != copy.deployment_id) {
      // It joins the new deployment and proves its health again there (Nomad).
      copy.deployment_id = u.deployment_id;
      copy.deployment_status.reset();
    }
    copy.eval_id = eval_.id;
    copy.modify_time = ctx_.now;
    out_.plan.node_allocation[copy.node_id].push_back(std::move(copy));
  }

  Stack& stack() {
    if (!stack_) stack_.emplace(ctx_, *job_, candidate_nodes(ctx_.state, *job_));
    return *stack_;
  }

  void place(const PlacementRequest& p) {
    const std::string& group = p.group->name;
    // Once a group failed to find any node, its other placements would fail the
    // same way: count them without searching again. Node-bound placements
    // (system jobs) each try their own node.
    auto failed = out_.failed_tg_allocs.find(group);
    if (failed != out_.failed_tg_allocs.end() && !p.node) {
      ++failed->second.coalesced_failures;
      ++out_.queued[group];
      return;
    }
    const model::Allocation* previous = p.previous.get();
    if (previous && p.stop_previous) {
      ctx_.usage.remove(*previous);
      ctx_.proposed.remove(previous->id);
    }
    auto started = std::chrono::steady_clock::now();
    model::AllocMetric metric;
    std::optional<Selection> selection;
    if (p.node) {
      selection = stack().select_node(*p.group, p.node, metric);
    } else {
      SelectOptions options;
      if (previous && p.reschedule) options.penalty_nodes = penalty_nodes(*previous);
      selection = stack().select(*p.group, options, metric);
    }
    metric.allocation_time = std::chrono::steady_clock::now() - started;
    if (!selection) {
      if (previous && p.stop_previous) {
        ctx_.usage.restore(*previous);
        if (!previous->terminal()) {
          ctx_.proposed.add({previous->id, previous->node_id, ctx_.state.node(previous->node_id),
                             previous->task_group});
        }
      }
      if (failed != out_.failed_tg_allocs.end()) {
        ++failed->second.coalesced_failures;
      } else {
        out_.failed_tg_allocs[group] = std::move(metric);
      }
      ++out_.queued[group];
      return;
    }
    model::Allocation alloc = new_alloc(p, *selection);
    if (previous && p.stop_previous) {
      stop(*previous, p.stop_description, "", alloc.id);
    }
    ctx_.usage.add(*selection->node, alloc);
    ctx_.proposed.add({alloc.id, alloc.node_id, selection->node, group});
    out_.plan.node_allocation[alloc.node_id].push_back(std::move(alloc));
  }

  static std::vector<std::string> penalty_nodes(const model::Allocation& previous) {
    std::vector<std::string> nodes{previous.node_id};
    if (previous.reschedule_tracker) {
      for (const model::RescheduleEvent& e : previous.reschedule_tracker->events) {
        nodes.push_back(e.prev_node_id);
      }
    }
    return nodes;
  }

  model::Allocation new_alloc(const PlacementRequest& p, Selection& selection) {
    model::Allocation alloc;
    alloc.id = generate_uuid();
    alloc.namespace_name =
        job_->namespace_name.empty() ? eval_.namespace_name : job_->namespace_name;
    alloc.eval_id = eval_.id;
    alloc.name = p.name;
    alloc.node_id = selection.node->id;
    alloc.node_name = selection.node->name;
    alloc.job_id = job_->id;
    alloc.job = job_;
    alloc.task_group = p.group->name;
    alloc.allocated_resources = std::move(selection.resources);
    alloc.create_time = ctx_.now;
    alloc.modify_time = ctx_.now;
    alloc.deployment_id = p.deployment_id;
    if (p.canary) alloc.deployment_status = model::AllocDeploymentStatus{.canary = true};
    if (p.previous) {
      alloc.previous_allocation = p.previous->id;
      if (p.reschedule) {
        model::RescheduleTracker tracker =
            p.previous->reschedule_tracker.value_or(model::RescheduleTracker{});
        Duration delay = reschedule_delay(effective_policy(*job_, *p.group), *p.previous);
        tracker.events.push_back({ctx_.now, p.previous->id, p.previous->node_id, delay});
        alloc.reschedule_tracker = std::move(tracker);
      }
    }
    return alloc;
  }

  EvalContext& ctx_;
  const model::Evaluation& eval_;
  const state::JobPtr& job_;
  ReconcileResult& decisions_;
  PassOutput out_;
  std::optional<Stack> stack_;
};

}  // namespace

PassOutput execute_plan(EvalContext& ctx, const model::Evaluation& eval, const state::JobPtr& job,
                        const std::vector<state::AllocPtr>& allocs, ReconcileResult decisions) {
  return Executor(ctx, eval, job, decisions).run(allocs);
}

state::JobPtr eval_job(const state::StateView& state, const model::Evaluation& eval) {
  return state.job(eval.namespace_name, eval.job_id);
}

}  // namespace caravan::scheduler::internal
