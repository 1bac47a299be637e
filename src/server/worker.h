// Worker: one scheduler thread of the server. It takes an evaluation from the
// broker, waits until the state store has caught up with it, runs the
// scheduler against a snapshot with a Planner that submits plans to the plan
// applier and records evaluations in the log, and acks or nacks the evaluation.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "model/evaluation.h"
#include "scheduler/scheduler.h"
#include "state/state_store.h"

namespace caravan::server {

class EvalBroker;
class PlanApplier;

// What a worker does with the evaluations the scheduler reports.
struct WorkerHooks {
  // Called after an evaluation in status pending (a follow-up) or blocked was
  // written to state, so the server can enqueue or track it.
  std::function<void(const model::Evaluation&)> eval_created;
};

class Worker {
 public:
  // Borrows everything; starts the thread at once.
  Worker(state::StateStore& store, EvalBroker& broker, PlanApplier& applier,
         scheduler::SchedulerConfig config, WorkerHooks hooks);
  // Stops after the evaluation in hand (call EvalBroker::shutdown first so the
  // dequeue returns) and joins.
  ~Worker();

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Evaluations processed (acked) so far.
  int64_t processed() const { return processed_.load(); }

 private:
  void run();
  void process(const model::Evaluation& eval, const std::string& token);

  state::StateStore& store_;
  EvalBroker& broker_;
  PlanApplier& applier_;
  const scheduler::SchedulerConfig config_;
  const WorkerHooks hooks_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> processed_{0};
  std::thread thread_;
};

// The scheduler types a worker takes.
const std::vector<std::string>& scheduler_types();

}  // namespace caravan::server
