#include "server/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <set>
#include <thread>

#include "core/uuid.h"
#include "server/drainer.h"
#include "server/dry_run.h"
#include "state/memory_log.h"
#include "state/sqlite_log.h"

namespace caravan::server {
namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_system_type(const std::string& type) {
  return type == model::kJobTypeSystem || type == model::kJobTypeSysBatch;
}

}  // namespace

Server::Server(ServerConfig config) : config_(std::move(config)), broker_(config_.broker) {}

Result<std::unique_ptr<Server>> Server::start(ServerConfig config) {
  std::unique_ptr<Server> server(new Server(std::move(config)));
  CARAVAN_RETURN_IF_ERROR(server->open_state());
  server->applier_ = std::make_unique<PlanApplier>(*server->store_, server->broker_);
  server->broker_.set_enabled(true);
  server->restore_evals();
  server->start_workers();
  server->deployment_watcher_ = std::make_unique<DeploymentWatcher>(
      *server->store_,
      [s = server.get()](state::LogRequest request, std::vector<model::Evaluation> evals) {
        return s->apply_with_evals(std::move(request), evals).status();
      },
      server->deployment_eval());
  server->timer_ = std::thread([s = server.get()] { s->timer_loop(); });
  return server;
}

Server::~Server() {
  {
    std::lock_guard lock(timer_mu_);
    stopping_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  deployment_watcher_.reset();
  broker_.shutdown();
  workers_.clear();  // joins each worker after the evaluation in hand
  applier_.reset();
  store_.reset();
}

Status Server::open_state() {
  std::unique_ptr<state::Log> log;
  if (config_.in_memory) {
    log = std::make_unique<state::MemoryLog>();
  } else {
    Result<std::unique_ptr<state::SqliteLog>> sqlite = state::SqliteLog::open_data_dir(config_.data_dir);
    if (!sqlite) return sqlite.error();
    log = std::move(sqlite).value();
  }
  Result<std::unique_ptr<state::StateStore>> store = state::StateStore::open(std::move(log));
  if (!store) return store.error();
  store_ = std::move(store).value();
  return Status();
}

void Server::restore_evals() {
  state::StateViewPtr snapshot = store_->snapshot();
  for (const state::EvalPtr& eval : snapshot->evals()) {
    if (eval->status == model::kEvalStatusPending || eval->status == model::kEvalStatusBlocked) {
      enqueue_or_block(*eval);
    }
  }
  // Nodes get a fresh heartbeat window after a server restart.
  std::lock_guard lock(heartbeat_mu_);
  for (const state::NodePtr& node : snapshot->nodes()) {
    if (node->status != model::kNodeStatusDown) {
      heartbeat_deadlines_[node->id] = Clock::now() + config_.heartbeat_ttl;
    }
  }
}

void Server::start_workers() {
  int count = config_.num_schedulers > 0 ? config_.num_schedulers
                                         : static_cast<int>(std::thread::hardware_concurrency());
  count = std::max(count, 1);
  WorkerHooks hooks{[this](const model::Evaluation& eval) { enqueue_or_block(eval); }};
  for (int i = 0; i < count; ++i) {
    workers_.push_back(
        std::make_unique<Worker>(*store_, broker_, *applier_, config_.scheduler, hooks));
  }
}

void Server::enqueue_or_block(const model::Evaluation& eval) {
  if (eval.status == model::kEvalStatusBlocked) {
    // The older blocked evaluation of the job is superseded.
    std::vector<model::Evaluation> replaced = blocked_.block(eval);
    if (!replaced.empty()) {
      for (model::Evaluation& old : replaced) {
        old.status = model::kEvalStatusCanceled;
        old.status_description = fmt::format("superseded by blocked evaluation {}", eval.id);
      }
      (void)store_->apply(state::LogRequest{state::EvalUpsert{std::move(replaced)}});
    }
    return;
  }
  if (eval.status == model::kEvalStatusPending) broker_.enqueue(eval);
}

void Server::unblock_evals() {
  std::vector<model::Evaluation> released = blocked_.unblock_all();
  if (released.empty()) return;
  for (model::Evaluation& eval : released) {
    eval.status = model::kEvalStatusPending;
    eval.status_description = "unblocked: capacity may have changed";
  }
  Result<int64_t> index = store_->apply(state::LogRequest{state::EvalUpsert{released}});
  if (!index) {
    spdlog::error("server: cannot unblock evaluations: {}", index.error().message());
    for (const model::Evaluation& eval : released) (void)blocked_.block(eval);
    return;
  }
  state::StateViewPtr snapshot = store_->snapshot();
  for (const model::Evaluation& eval : released) {
    if (state::EvalPtr stored = snapshot->eval(eval.id)) broker_.enqueue(*stored);
  }
}

Result<int64_t> Server::apply_with_evals(state::LogRequest request,
                                         const std::vector<model::Evaluation>& evals) {
  Result<int64_t> index = store_->apply(std::move(request));
  if (!index) return index;
  // Hand the broker the stored copies: they carry the create/modify indexes.
  state::StateViewPtr snapshot = store_->snapshot();
  for (const model::Evaluation& eval : evals) {
    state::EvalPtr stored = snapshot->eval(eval.id);
    enqueue_or_block(stored ? *stored : eval);
  }
  return index;
}

model::Evaluation Server::new_eval(const model::Job& job, const std::string& triggered_by) const {
  model::Evaluation eval;
  eval.id = generate_uuid();
  eval.namespace_name = job.namespace_name.empty() ? "default" : job.namespace_name;
  eval.priority = job.priority > 0 ? job.priority : 50;
  eval.type = job.type.empty() ? std::string(model::kJobTypeService) : job.type;
  eval.triggered_by = triggered_by;
  eval.job_id = job.id;
  eval.status = model::kEvalStatusPending;
  return eval;
}

Result<RegisterJobResult> Server::register_job(model::Job job, std::optional<int64_t> enforce_index) {
  if (job.id.empty()) return invalid_argument("the job has no ID");
  if (job.namespace_name.empty()) job.namespace_name = "default";
  if (job.region.empty()) job.region = config_.region;
  state::JobPtr current = store_->snapshot()->job(job.namespace_name, job.id);
  if (enforce_index) {
    int64_t have = current ? current->job_modify_index : 0;
    if (have != *enforce_index) {
      return failed_precondition(
          *enforce_index == 0
              ? fmt::format("Enforcing job modify index 0: job \"{}\" already exists", job.id)
              : fmt::format("Enforcing job modify index {}: job \"{}\" exists with conflicting "
                            "job modify index: {}",
                            *enforce_index, job.id, have));
    }
  }
  job.stop = false;
  RegisterJobResult result;
  std::vector<model::Evaluation> evals;
  std::optional<model::Evaluation> eval;
  // Periodic and parameterized jobs are templates: they get no evaluation.
  if (!job.periodic && !job.parameterized_job) {
    eval = new_eval(job, model::kEvalTriggerJobRegister);
    evals.push_back(*eval);
  }
  // A new version may fit where the blocked one did not; its own evaluation
  // covers it. Taken before the registration: a worker may block the new
  // version's evaluation as soon as it is written.
  std::vector<model::Evaluation> superseded = blocked_.untrack(job.namespace_name, job.id);
  Result<int64_t> index =
      apply_with_evals(state::LogRequest{state::JobRegister{job, eval}}, evals);
  if (!index) {
    for (const model::Evaluation& old : superseded) (void)blocked_.block(old);
    return index.error();
  }
  state::StateViewPtr snapshot = store_->snapshot();
  state::JobPtr stored = snapshot->job(job.namespace_name, job.id);
  result.index = *index;
  result.job_modify_index = stored ? stored->job_modify_index : *index;
  if (eval) {
    result.eval_id = eval->id;
    result.eval_create_index = *index;
  }
  for (model::Evaluation& old : superseded) {
    old.status = model::kEvalStatusCanceled;
    old.status_description = "superseded by a new job version";
    (void)store_->apply(state::LogRequest{state::EvalUpsert{{old}}});
  }
  return result;
}

Result<RegisterJobResult> Server::deregister_job(const std::string& ns, const std::string& job_id,
                                                 bool purge) {
  state::JobPtr current = store_->snapshot()->job(ns, job_id);
  if (!current) return not_found(fmt::format("job \"{}\" not found", job_id));
  model::Evaluation eval = new_eval(*current, model::kEvalTriggerJobDeregister);
  Result<int64_t> index =
      apply_with_evals(state::LogRequest{state::JobDeregister{ns, job_id, purge, eval}}, {eval});
  if (!index) return index.error();
  for (model::Evaluation& old : blocked_.untrack(ns, job_id)) {
    old.status = model::kEvalStatusCanceled;
    old.status_description = "job stopped";
    (void)store_->apply(state::LogRequest{state::EvalUpsert{{old}}});
  }
  RegisterJobResult result;
  result.eval_id = eval.id;
  result.eval_create_index = *index;
  result.index = *index;
  state::JobPtr stored = store_->snapshot()->job(ns, job_id);
  result.job_modify_index = stored ? stored->job_modify_index : *index;
  return result;
}

Result<std::string> Server::evaluate_job(const std::string& ns, const std::string& job_id,
                                         const std::string& triggered_by) {
  state::JobPtr current = store_->snapshot()->job(ns, job_id);
  if (!current) return not_found(fmt::format("job \"{}\" not found", job_id));
  model::Evaluation eval = new_eval(*current, triggered_by);
  Result<int64_t> index = apply_with_evals(state::LogRequest{state::EvalUpsert{{eval}}}, {eval});
  if (!index) return index.error();
  return eval.id;
}

Result<PlanJobResult> Server::plan_job(const model::Job& job, bool diff, bool contextual) {
  state::StateViewPtr snapshot = store_->snapshot();
  std::string ns = job.namespace_name.empty() ? "default" : job.namespace_name;
  state::JobPtr current = snapshot->job(ns, job.id);
  DryRunResult dry = dry_run_job(job, snapshot, config_.scheduler);
  if (!dry.status.is_ok()) return dry.status;
  PlanJobResult result;
  result.annotations = dry.plan ? dry.plan->annotations : model::PlanAnnotations{};
  if (dry.eval) result.failed_tg_allocs = dry.eval->failed_tg_allocs;
  result.created_evals = dry.created_evals;
  result.job_modify_index = current ? current->job_modify_index : 0;
  result.index = snapshot->index();
  if (diff) {
    model::JobDiff job_diff = model::diff_jobs(current.get(), &job, contextual);
    annotate_diff(job_diff, result.annotations);
    result.diff = std::move(job_diff);
  }
  return result;
}

Result<std::chrono::milliseconds> Server::register_node(model::Node node) {
  if (node.id.empty()) return invalid_argument("the node has no ID");
  if (node.secret_id.empty()) return invalid_argument("the node has no SecretID");
  state::StateViewPtr snapshot = store_->snapshot();
  if (state::NodePtr existing = snapshot->node(node.id);
      existing && existing->secret_id != node.secret_id) {
    return permission_denied(fmt::format("node {} is registered with another secret", node.id));
  }
  node.status = model::kNodeStatusReady;
  node.status_updated_at = now_ns() / 1'000'000'000;
  // System jobs may now run on this node; blocked jobs may now fit.
  std::vector<model::Evaluation> evals;
  for (const state::JobPtr& job : snapshot->jobs("")) {
    if (is_system_type(job->type) && !job->stop) {
      model::Evaluation eval = new_eval(*job, model::kEvalTriggerNodeUpdate);
      eval.node_id = node.id;
      evals.push_back(eval);
    }
  }
  std::string node_id = node.id;
  Result<int64_t> index = store_->apply(state::LogRequest{state::NodeRegister{std::move(node)}});
  if (!index) return index.error();
  if (!evals.empty()) {
    Result<int64_t> eval_index = apply_with_evals(state::LogRequest{state::EvalUpsert{evals}}, evals);
    if (!eval_index) return eval_index.error();
  }
  {
    std::lock_guard lock(heartbeat_mu_);
    heartbeat_deadlines_[node_id] = Clock::now() + config_.heartbeat_ttl;
  }
  unblock_evals();
  return config_.heartbeat_ttl;
}

Status Server::check_node_secret(const std::string& node_id, const std::string& secret_id) const {
  state::NodePtr node = store_->snapshot()->node(node_id);
  if (!node) return not_found(fmt::format("node {} is not registered", node_id));
  if (node->secret_id != secret_id) {
    return permission_denied(fmt::format("wrong secret for node {}", node_id));
  }
  return Status();
}

Result<std::chrono::milliseconds> Server::heartbeat(const std::string& node_id,
                                                    const std::string& secret_id) {
  CARAVAN_RETURN_IF_ERROR(check_node_secret(node_id, secret_id));
  state::NodePtr node = store_->snapshot()->node(node_id);
  if (node->status != model::kNodeStatusReady) {
    std::vector<model::Evaluation> evals = node_evals(node_id, model::kEvalTriggerNodeUpdate);
    state::NodeUpdateStatus update{node_id, model::kNodeStatusReady, std::nullopt, evals};
    update.event = model::NodeEvent{"Node heartbeat received", "Cluster", {}, now_ns(), 0};
    Result<int64_t> index = apply_with_evals(state::LogRequest{std::move(update)}, evals);
    if (!index) return index.error();
    unblock_evals();
  }
  std::lock_guard lock(heartbeat_mu_);
  heartbeat_deadlines_[node_id] = Clock::now() + config_.heartbeat_ttl;
  return config_.heartbeat_ttl;
}

std::vector<model::Evaluation> Server::node_evals(const std::string& node_id,
                                                  const std::string& triggered_by) const {
  state::StateViewPtr snapshot = store_->snapshot();
  std::set<std::pair<std::string, std::string>> jobs;
  for (const state::AllocPtr& alloc : snapshot->allocs_by_node(node_id)) {
    if (!alloc->terminal()) jobs.emplace(alloc->namespace_name, alloc->job_id);
  }
  for (const state::JobPtr& job : snapshot->jobs("")) {
    if (is_system_type(job->type) && !job->stop) jobs.emplace(job->namespace_name, job->id);
  }
  std::vector<model::Evaluation> evals;
  for (const auto& [ns, job_id] : jobs) {
    state::JobPtr job = snapshot->job(ns, job_id);
    if (!job) continue;
    model::Evaluation eval = new_eval(*job, triggered_by);
    eval.node_id = node_id;
    evals.push_back(eval);
  }
  return evals;
}

Status Server::update_allocs_from_client(const std::string& node_id, const std::string& secret_id,
                                         std::vector<model::Allocation> allocs) {
  CARAVAN_RETURN_IF_ERROR(check_node_secret(node_id, secret_id));
  state::StateViewPtr snapshot = store_->snapshot();
  std::vector<model::Evaluation> evals;
  bool freed = false;
  std::set<std::string> evaluated_jobs;
  for (model::Allocation& alloc : allocs) {
    state::AllocPtr stored = snapshot->alloc(alloc.id);
    if (!stored) return not_found(fmt::format("allocation {} not found", alloc.id));
    if (stored->node_id != node_id) {
      return permission_denied(fmt::format("allocation {} is not placed on node {}", alloc.id, node_id));
    }
    bool now_terminal = alloc.client_status == model::kAllocClientComplete ||
                        alloc.client_status == model::kAllocClientFailed ||
                        alloc.client_status == model::kAllocClientLost;
    if (now_terminal && !stored->client_terminal()) freed = true;
    // A failed allocation the server still wants running is rescheduled.
    if (alloc.client_status == model::kAllocClientFailed && !stored->server_terminal() &&
        stored->job && evaluated_jobs.insert(stored->namespace_name + "/" + stored->job_id).second) {
      evals.push_back(new_eval(*stored->job, model::kEvalTriggerRetryFailedAlloc));
    }
  }
  Result<int64_t> index =
      apply_with_evals(state::LogRequest{state::AllocClientUpdate{std::move(allocs), evals}}, evals);
  if (!index) return index.error();
  if (freed) unblock_evals();
  return Status();
}

Result<std::string> Server::stop_alloc(const std::string& alloc_id) {
  state::AllocPtr alloc = store_->snapshot()->alloc(alloc_id);
  if (!alloc) return not_found(fmt::format("allocation {} not found", alloc_id));
  if (!alloc->job) return internal_error(fmt::format("allocation {} has no job", alloc_id));
  model::Evaluation eval = new_eval(*alloc->job, model::kEvalTriggerAllocStop);
  Result<int64_t> index =
      apply_with_evals(state::LogRequest{state::AllocStop{alloc_id, eval}}, {eval});
  if (!index) return index.error();
  return eval.id;
}

Result<int64_t> Server::apply_node_change(state::LogRequest request, const std::string& node_id,
                                          const std::string& triggered_by) {
  std::vector<model::Evaluation> evals = node_evals(node_id, triggered_by);
  std::visit(
      [&evals](auto& req) {
        if constexpr (requires { req.evals; }) req.evals = evals;
      },
      request);
  Result<int64_t> index = apply_with_evals(std::move(request), evals);
  if (!index) return index;
  state::NodePtr node = store_->snapshot()->node(node_id);
  if (node && node->schedulable()) unblock_evals();
  return index;
}

Result<int64_t> Server::drain_node(const std::string& node_id,
                                   std::optional<model::DrainStrategy> strategy, bool mark_eligible,
                                   std::map<std::string, std::string> meta) {
  state::NodePtr node = store_->snapshot()->node(node_id);
  if (!node) return not_found(fmt::format("node {} not found", node_id));
  if (strategy) {
    // A drain already running keeps its start; a new deadline counts from now.
    int64_t now = now_ns();
    strategy->started_at = node->drain() ? node->drain_strategy->started_at : now;
    strategy->force_deadline =
        strategy->deadline > Duration::zero()
            ? now + std::chrono::duration_cast<std::chrono::nanoseconds>(strategy->deadline).count()
            : 0;
  }
  state::NodeUpdateDrain update;
  update.node_id = node_id;
  update.drain_strategy = std::move(strategy);
  update.mark_eligible = mark_eligible;
  update.meta = std::move(meta);
  return apply_node_change(state::LogRequest{std::move(update)}, node_id,
                           model::kEvalTriggerNodeDrain);
}

Result<int64_t> Server::set_node_eligibility(const std::string& node_id,
                                             const std::string& eligibility) {
  if (!store_->snapshot()->node(node_id)) {
    return not_found(fmt::format("node {} not found", node_id));
  }
  return apply_node_change(
      state::LogRequest{state::NodeUpdateEligibility{node_id, eligibility, {}}}, node_id,
      model::kEvalTriggerNodeUpdate);
}

Status Server::run_drainer() {
  state::StateViewPtr snapshot = store_->snapshot();
  DrainPlan plan = plan_drain(*snapshot, now_ns());
  if (!plan.migrate.empty()) {
    state::AllocDesiredTransition marks;
    for (const std::string& id : plan.migrate) marks.transitions[id].migrate = true;
    for (const auto& [ns, job_id] : plan.jobs) {
      if (state::JobPtr job = snapshot->job(ns, job_id)) {
        marks.evals.push_back(new_eval(*job, model::kEvalTriggerNodeDrain));
      }
    }
    std::vector<model::Evaluation> evals = marks.evals;
    Result<int64_t> index = apply_with_evals(state::LogRequest{std::move(marks)}, evals);
    if (!index) return index.error();
    spdlog::info("server: drainer marked {} allocation(s) for migration", plan.migrate.size());
  }
  for (const std::string& node_id : plan.complete) {
    state::NodeUpdateDrain done;
    done.node_id = node_id;
    done.drain_complete = true;
    Result<int64_t> index = store_->apply(state::LogRequest{std::move(done)});
    if (!index) return index.error();
    spdlog::info("server: drain of node {} complete", node_id);
  }
  return Status();
}

void Server::timer_loop() {
  std::unique_lock lock(timer_mu_);
  while (!stopping_) {
    timer_cv_.wait_for(lock, std::chrono::milliseconds(250));
    if (stopping_) break;
    lock.unlock();
    reap_failed_evals();
    expire_heartbeats();
    if (Status drained = run_drainer(); !drained.is_ok()) {
      spdlog::error("server: drainer: {}", drained.message());
    }
    if (Clock::now() >= next_gc_) {
      next_gc_ = Clock::now() + config_.gc_interval;
      Result<GcPlan> collected = collect_garbage(config_.gc);
      if (!collected) spdlog::error("server: garbage collection failed: {}", collected.error().message());
    }
    lock.lock();
  }
}

Result<GcPlan> Server::collect_garbage(const GcThresholds& thresholds) {
  GcPlan plan = plan_garbage_collection(*store_->snapshot(), thresholds, now_ns());
  if (plan.empty()) return plan;
  if (!plan.eval_ids.empty() || !plan.alloc_ids.empty()) {
    Result<int64_t> deleted = store_->apply(state::LogRequest{state::EvalDelete{plan.eval_ids, plan.alloc_ids}});
    if (!deleted) return deleted.error();
  }
  std::vector<GcJob> purged;
  for (const GcJob& job : plan.jobs) {
    state::JobDeregister purge;
    purge.namespace_name = job.namespace_name;
    purge.job_id = job.id;
    purge.purge = true;
    purge.if_job_modify_index = job.job_modify_index;
    if (store_->apply(state::LogRequest{std::move(purge)}).has_value()) purged.push_back(job);
  }
  plan.jobs = std::move(purged);
  spdlog::info("server: garbage collected {} evaluations, {} allocations, {} jobs",
               plan.eval_ids.size(), plan.alloc_ids.size(), plan.jobs.size());
  return plan;
}

ServerStats Server::stats() const {
  return ServerStats{broker_.stats(), blocked_.size(), store_->stats()};
}

void Server::reap_failed_evals() {
  std::vector<model::Evaluation> failed = broker_.take_failed();
  if (failed.empty()) return;
  for (model::Evaluation& eval : failed) {
    eval.status = model::kEvalStatusFailed;
    eval.status_description = "evaluation reached its delivery limit";
  }
  Result<int64_t> index = store_->apply(state::LogRequest{state::EvalUpsert{std::move(failed)}});
  if (!index) spdlog::error("server: cannot mark evaluations failed: {}", index.error().message());
}

void Server::expire_heartbeats() {
  std::vector<std::string> expired;
  {
    std::lock_guard lock(heartbeat_mu_);
    Clock::time_point now = Clock::now();
    for (auto it = heartbeat_deadlines_.begin(); it != heartbeat_deadlines_.end();) {
      if (it->second <= now) {
        expired.push_back(it->first);
        it = heartbeat_deadlines_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const std::string& node_id : expired) {
    spdlog::warn("server: node {} missed its heartbeats; marking it down", node_id);
    std::vector<model::Evaluation> evals = node_evals(node_id, model::kEvalTriggerNodeUpdate);
    state::NodeUpdateStatus update{node_id, model::kNodeStatusDown, std::nullopt, evals};
    update.event = model::NodeEvent{"Node heartbeat missed", "Cluster", {}, now_ns(), 0};
    Result<int64_t> index = apply_with_evals(state::LogRequest{std::move(update)}, evals);
    if (!index) spdlog::error("server: cannot mark node {} down: {}", node_id, index.error().message());
  }
}

}  // namespace caravan::server
