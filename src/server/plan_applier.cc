#include "server/plan_applier.h"

#include <fmt/format.h>

#include <set>

#include "scheduler/fit.h"
#include "scheduler/ports.h"
#include "model/node_usage.h"
#include "server/eval_broker.h"

namespace caravan::server {
namespace {

// The server-owned change a plan makes to an allocation it stops or marks lost.
state::AllocStopUpdate stop_update(const model::Allocation& alloc) {
  state::AllocStopUpdate update;
  update.id = alloc.id;
  update.desired_status = alloc.desired_status;
  update.desired_description = alloc.desired_description;
  if (alloc.client_status == model::kAllocClientLost) update.client_status = alloc.client_status;
  update.followup_eval_id = alloc.followup_eval_id;
  return update;
}

}  // namespace

bool plan_fits_node(const state::StateView& state, const model::Plan& plan,
                    const std::string& node_id, std::string* reason) {
  auto placing = plan.node_allocation.find(node_id);
  if (placing == plan.node_allocation.end() || placing->second.empty()) return true;
  state::NodePtr node = state.node(node_id);
  if (node == nullptr) {
    if (reason) *reason = "node is gone";
    return false;
  }
  // New placements need a node that takes work; in-place updates of allocations
  // already there only need it to exist.
  bool has_new = false;
  for (const model::Allocation& alloc : placing->second) {
    state::AllocPtr existing = state.alloc(alloc.id);
    if (existing == nullptr || existing->node_id != node_id) has_new = true;
  }
  if (has_new && !node->schedulable()) {
    if (reason) *reason = fmt::format("node is {} / {}", node->status, node->scheduling_eligibility);
    return false;
  }

  // The node's usage in the newest state, without what the plan stops or
  // updates, with what it places.
  model::NodeUsage usage;
  if (std::shared_ptr<const model::NodeUsage> stored = state.node_usage(node_id)) usage = *stored;
  for (int port : scheduler::parse_port_list(node->reserved_resources.reserved_host_ports)) {
    usage.add_port(port);
  }
  std::set<std::string> replaced;
  if (auto stops = plan.node_update.find(node_id); stops != plan.node_update.end()) {
    for (const model::Allocation& alloc : stops->second) replaced.insert(alloc.id);
  }
  for (const model::Allocation& alloc : placing->second) replaced.insert(alloc.id);
  for (const std::string& id : replaced) {
    state::AllocPtr old = state.alloc(id);
    if (old != nullptr && old->node_id == node_id && !old->terminal()) {
      model::apply_alloc_usage(usage, *old, -1);
    }
  }
  for (const model::Allocation& alloc : placing->second) model::apply_alloc_usage(usage, alloc, 1);

  scheduler::NodeCapacity capacity = scheduler::node_capacity(*node);
  std::string why;
  if (usage.cpu > capacity.cpu) {
    why = "cpu";
  } else if (usage.memory_mb > capacity.memory_mb) {
    why = "memory";
  } else if (usage.disk_mb > capacity.disk_mb) {
    why = "disk";
  } else if (int port = usage.colliding_port(); port != 0) {
    why = fmt::format("network: port {} collision", port);
  }
  if (why.empty()) return true;
  if (reason) *reason = why;
  return false;
}

Result<scheduler::PlanSubmitResult> PlanApplier::apply(const model::Plan& plan) {
  std::lock_guard lock(queue_);
  if (!broker_.outstanding(plan.eval_id, plan.eval_token)) {
    return failed_precondition(fmt::format(
        "plan for evaluation {} rejected: the evaluation is no longer held by this worker",
        plan.eval_id));
  }
  state::StateViewPtr snapshot = store_.snapshot();

  scheduler::PlanSubmitResult out;
  state::ApplyPlanResults entry;
  entry.eval_id = plan.eval_id;
  bool partial = false;
  std::set<std::string> nodes;
  for (const auto& [node_id, allocs] : plan.node_update) nodes.insert(node_id);
  for (const auto& [node_id, allocs] : plan.node_allocation) nodes.insert(node_id);
  for (const std::string& node_id : nodes) {
    if (!plan_fits_node(*snapshot, plan, node_id, nullptr)) {
      partial = true;
      if (plan.all_at_once) break;
      continue;
    }
    if (auto stops = plan.node_update.find(node_id); stops != plan.node_update.end()) {
      for (const model::Allocation& alloc : stops->second) entry.allocs_stopped.push_back(stop_update(alloc));
      out.result.node_update[node_id] = stops->second;
    }
    if (auto places = plan.node_allocation.find(node_id); places != plan.node_allocation.end()) {
      for (const model::Allocation& alloc : places->second) entry.allocs_placed.push_back(alloc);
      out.result.node_allocation[node_id] = places->second;
    }
  }
  if (partial && plan.all_at_once) {
    out.result = model::PlanResult{};
    entry.allocs_stopped.clear();
    entry.allocs_placed.clear();
  }
  if (!partial || !plan.all_at_once) {
    entry.deployment = plan.deployment;
    entry.deployment_updates = plan.deployment_updates;
  }
  if (!entry.allocs_stopped.empty() || !entry.allocs_placed.empty() || entry.deployment ||
      !entry.deployment_updates.empty()) {
    Result<int64_t> index = store_.apply(state::LogRequest{std::move(entry)});
    if (!index) return index.error();
    out.result.alloc_index = *index;
  }
  if (partial) {
    out.result.refresh_index = store_.index();
    out.refreshed_state = store_.snapshot();
  }
  return out;
}

}  // namespace caravan::server
