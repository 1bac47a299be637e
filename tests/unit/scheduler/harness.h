// Harness for scheduler tests (Nomad's scheduler test harness): a FakeState, a
// planner that records every plan, eval update and created eval and (unless
// dry_run) commits plans into the state, and fixture builders for jobs, nodes
// and allocations.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fake_state.h"
#include "model/allocation.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/node.h"
#include "scheduler/planner.h"
#include "scheduler/scheduler.h"

namespace caravan::scheduler::testing {

// Nanoseconds of a fixed "now" for reproducible reschedule timing.
inline constexpr int64_t kNow = 1'700'000'000'000'000'000;

class Harness : public Planner {
 public:
  Harness() : state_(std::make_shared<FakeState>()) {
    config.seed = 42;
    config.now_ns = kNow;
  }

  FakeState& state() { return *state_; }

  // Optional hook deciding what part of a plan commits (default: everything).
  std::function<model::PlanResult(const model::Plan&)> commit_filter;
  bool dry_run = false;  // record only, as `job plan` does
  SchedulerConfig config;

  std::vector<model::Plan> plans;
  std::vector<model::Evaluation> updated_evals;
  std::vector<model::Evaluation> created_evals;

  Result<PlanSubmitResult> submit_plan(const model::Plan& plan) override {
    plans.push_back(plan);
    PlanSubmitResult out;
    if (commit_filter) {
      out.result = commit_filter(plan);
    } else {
      out.result.node_update = plan.node_update;
      out.result.node_allocation = plan.node_allocation;
    }
    if (!dry_run) {
      auto next = state_->clone();
      next->apply(out.result);
      if (plan.deployment) next->put_deployment(*plan.deployment);
      for (const model::DeploymentStatusUpdate& u : plan.deployment_updates) {
        model::Deployment d = *next->deployment(u.deployment_id);
        d.status = u.status;
        d.status_description = u.status_description;
        next->put_deployment(std::move(d));
      }
      state_ = next;
    }
    if (!out.result.full_commit(plan)) {
      out.result.refresh_index = state_->index();
      out.refreshed_state = state_;
    }
    return out;
  }
  Status update_eval(const model::Evaluation& eval) override {
    updated_evals.push_back(eval);
    return Status::ok();
  }
  Status create_eval(const model::Evaluation& eval) override {
    created_evals.push_back(eval);
    return Status::ok();
  }

  // Runs the scheduler for `job` with an eval of the job's type.
  Status process(const model::Job& job, const std::string& trigger = "job-register",
                 bool annotate = false) {
    model::Evaluation eval;
    eval.id = "eval-" + std::to_string(++evals_run_);
    eval.namespace_name = job.namespace_name;
    eval.type = job.type;
    eval.job_id = job.id;
    eval.priority = job.priority;
    eval.triggered_by = trigger;
    eval.annotate_plan = annotate;
    return process(eval);
  }
  Status process(const model::Evaluation& eval) {
    return process_eval(eval, state_, *this, config);
  }

  const model::Evaluation& last_eval() const { return updated_evals.back(); }
  // Allocations placed by the last plan, over all nodes.
  std::vector<model::Allocation> placed() const;
  std::vector<model::Allocation> stopped() const;

 private:
  std::shared_ptr<FakeState> state_;
  int evals_run_ = 0;
};

namespace fixtures {

// A ready, eligible linux node with 4000 MHz, 8192 MB, 100 GB disk and the
// raw_exec and exec drivers, in dc1 and pool "default".
model::Node node(const std::string& id);
// A service job "web" with one group "web" (count 1) of one raw_exec task
// asking 500 MHz and 256 MB, ephemeral disk 300 MB.
model::Job job(const std::string& id = "web", int count = 1);
// An allocation of `job` group 0 named index `index`, running on `node_id`.
model::Allocation alloc(const std::shared_ptr<const model::Job>& job, const std::string& node_id,
                        int index, const std::string& id = "");

}  // namespace fixtures
}  // namespace caravan::scheduler::testing
