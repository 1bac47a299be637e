// FakeState: a hand-written in-memory StateView for scheduler tests — jobs,
// nodes, allocations and evaluations in plain maps, plus helpers to apply a
// plan the way the plan applier would.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/plan.h"
#include "state/state_view.h"

namespace caravan::scheduler::testing {

class FakeState : public state::StateView {
 public:
  int64_t index() const override { return index_; }
  int64_t table_index(state::Table) const override { return index_; }

  state::JobPtr job(std::string_view ns, std::string_view id) const override {
    auto it = jobs_.find(key(ns, id));
    return it == jobs_.end() ? nullptr : it->second;
  }
  state::JobPtr job_version(std::string_view ns, std::string_view id,
                            int64_t version) const override {
    state::JobPtr j = job(ns, id);
    return j && j->version == version ? j : nullptr;
  }
  std::vector<state::JobPtr> job_versions(std::string_view ns, std::string_view id) const override {
    state::JobPtr j = job(ns, id);
    return j ? std::vector<state::JobPtr>{j} : std::vector<state::JobPtr>{};
  }
  std::vector<state::JobPtr> jobs(std::string_view) const override {
    std::vector<state::JobPtr> out;
    for (const auto& [k, j] : jobs_) out.push_back(j);
    return out;
  }

  state::NodePtr node(std::string_view id) const override {
    auto it = nodes_.find(std::string(id));
    return it == nodes_.end() ? nullptr : it->second;
  }
  std::vector<state::NodePtr> nodes() const override {
    std::vector<state::NodePtr> out;
    for (const auto& [id, n] : nodes_) out.push_back(n);
    return out;
  }

  state::AllocPtr alloc(std::string_view id) const override {
    auto it = allocs_.find(std::string(id));
    return it == allocs_.end() ? nullptr : it->second;
  }
  std::vector<state::AllocPtr> allocs_by_job(std::string_view ns,
                                             std::string_view job_id) const override {
    std::vector<state::AllocPtr> out;
    for (const auto& [id, a] : allocs_) {
      if (a->namespace_name == ns && a->job_id == job_id) out.push_back(a);
    }
    return out;
  }
  std::vector<state::AllocPtr> allocs_by_node(std::string_view node_id) const override {
    std::vector<state::AllocPtr> out;
    for (const auto& [id, a] : allocs_) {
      if (a->node_id == node_id) out.push_back(a);
    }
    return out;
  }
  std::vector<state::AllocPtr> allocs() const override {
    std::vector<state::AllocPtr> out;
    for (const auto& [id, a] : allocs_) out.push_back(a);
    return out;
  }

  state::EvalPtr eval(std::string_view id) const override {
    auto it = evals_.find(std::string(id));
    return it == evals_.end() ? nullptr : it->second;
  }
  std::vector<state::EvalPtr> evals_by_job(std::string_view ns,
                                           std::string_view job_id) const override {
    std::vector<state::EvalPtr> out;
    for (const auto& [id, e] : evals_) {
      if (e->namespace_name == ns && e->job_id == job_id) out.push_back(e);
    }
    return out;
  }
  std::vector<state::EvalPtr> evals() const override {
    std::vector<state::EvalPtr> out;
    for (const auto& [id, e] : evals_) out.push_back(e);
    return out;
  }

  state::DeploymentPtr deployment(std::string_view id) const override {
    auto it = deployments_.find(std::string(id));
    return it == deployments_.end() ? nullptr : it->second;
  }
  std::vector<state::DeploymentPtr> deployments_by_job(std::string_view ns,
                                                       std::string_view job_id) const override {
    std::vector<state::DeploymentPtr> out;
    for (const auto& [id, d] : deployments_) {
      if (d->namespace_name == ns && d->job_id == job_id) out.push_back(d);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a->create_index > b->create_index;
    });
    return out;
  }

  // Mutators (tests only; a snapshot in production never changes).
  state::DeploymentPtr put_deployment(model::Deployment d) {
    if (d.create_index == 0) d.create_index = index_;
    auto ptr = std::make_shared<const model::Deployment>(std::move(d));
    deployments_[ptr->id] = ptr;
    ++index_;
    return ptr;
  }
  state::JobPtr put_job(model::Job job) {
    auto ptr = std::make_shared<const model::Job>(std::move(job));
    jobs_[key(ptr->namespace_name, ptr->id)] = ptr;
    ++index_;
    return ptr;
  }
  state::NodePtr put_node(model::Node node) {
    auto ptr = std::make_shared<const model::Node>(std::move(node));
    nodes_[ptr->id] = ptr;
    ++index_;
    return ptr;
  }
  state::AllocPtr put_alloc(model::Allocation alloc) {
    auto ptr = std::make_shared<const model::Allocation>(std::move(alloc));
    allocs_[ptr->id] = ptr;
    ++index_;
    return ptr;
  }
  void put_eval(model::Evaluation eval) {
    evals_[eval.id] = std::make_shared<const model::Evaluation>(std::move(eval));
    ++index_;
  }
  // Writes every stop and placement of `result` (as the applier commits them).
  void apply(const model::PlanResult& result) {
    for (const auto& [node, allocs] : result.node_update) {
      for (const model::Allocation& a : allocs) put_alloc(a);
    }
    for (const auto& [node, allocs] : result.node_allocation) {
      for (const model::Allocation& a : allocs) put_alloc(a);
    }
  }

  std::shared_ptr<FakeState> clone() const { return std::make_shared<FakeState>(*this); }

 private:
  static std::string key(std::string_view ns, std::string_view id) {
    return std::string(ns) + "/" + std::string(id);
  }

  int64_t index_ = 1;
  std::map<std::string, state::JobPtr> jobs_;
  std::map<std::string, state::NodePtr> nodes_;
  std::map<std::string, state::AllocPtr> allocs_;
  std::map<std::string, state::EvalPtr> evals_;
  std::map<std::string, state::DeploymentPtr> deployments_;
};

}  // namespace caravan::scheduler::testing
