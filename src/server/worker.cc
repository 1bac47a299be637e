#include "server/worker.h"

#include <spdlog/spdlog.h>

#include "server/eval_broker.h"
#include "server/plan_applier.h"

namespace caravan::server {
namespace {

using Clock = std::chrono::steady_clock;

// The Planner a worker hands the scheduler: plans go to the applier with the
// evaluation's token; evaluations are written to the log.
class WorkerPlanner : public scheduler::Planner {
 public:
  WorkerPlanner(state::StateStore& store, PlanApplier& applier, const WorkerHooks& hooks,
                std::string token)
      : store_(store), applier_(applier), hooks_(hooks), token_(std::move(token)) {}

  Result<scheduler::PlanSubmitResult> submit_plan(const model::Plan& plan) override {
    model::Plan with_token = plan;
    with_token.eval_token = token_;
    return applier_.apply(with_token);
  }

  Status update_eval(const model::Evaluation& eval) override {
    return write(eval);
  }

  Status create_eval(const model::Evaluation& eval) override {
    CARAVAN_RETURN_IF_ERROR(write(eval));
    if (hooks_.eval_created) hooks_.eval_created(eval);
    return Status();
  }

 private:
  Status write(const model::Evaluation& eval) {
    Result<int64_t> index = store_.apply(state::LogRequest{state::EvalUpsert{{eval}}});
    return index ? Status() : index.error();
  }

  state::StateStore& store_;
  PlanApplier& applier_;
  const WorkerHooks& hooks_;
  std::string token_;
};

}  // namespace

const std::vector<std::string>& scheduler_types() {
  static const std::vector<std::string> types = {"service", "batch", "system", "sysbatch"};
  return types;
}

Worker::Worker(state::StateStore& store, EvalBroker& broker, PlanApplier& applier,
               scheduler::SchedulerConfig config, WorkerHooks hooks)
    : store_(store),
      broker_(broker),
      applier_(applier),
      config_(config),
      hooks_(std::move(hooks)),
      thread_([this] { run(); }) {}

Worker::~Worker() {
  stopping_ = true;
  thread_.join();
}

void Worker::run() {
  while (!stopping_) {
    std::optional<Delivery> delivery =
        broker_.dequeue(scheduler_types(), std::chrono::milliseconds(250));
    if (!delivery) continue;
    process(delivery->eval, delivery->token);
  }
}

void Worker::process(const model::Evaluation& eval, const std::string& token) {
  // The evaluation may have been enqueued before the entry that created it was
  // visible in snapshots; plan against state that includes it.
  store_.wait_for(state::Table::kEvals, eval.modify_index - 1,
                  Clock::now() + std::chrono::seconds(5));
  state::StateViewPtr snapshot = store_.snapshot();
  WorkerPlanner planner(store_, applier_, hooks_, token);
  Status status = scheduler::process_eval(eval, snapshot, planner, config_);
  if (!status.is_ok()) {
    spdlog::warn("worker: evaluation {} of job {} failed, will retry: {}", eval.id, eval.job_id,
                 status.message());
    (void)broker_.nack(eval.id, token);
    return;
  }
  (void)broker_.ack(eval.id, token);
  ++processed_;
}

}  // namespace caravan::server
