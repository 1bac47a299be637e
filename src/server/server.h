// Server: the cluster's control plane in one object — the state store with
// its durable log, the evaluation broker, blocked evaluations, the plan applier,
// scheduler workers and node heartbeats — and the write operations the HTTP API
// offers (register a job, stop it, plan it, register a node, heartbeat, client
// allocation updates, stop an allocation). Every write is a log entry; a call
// returns once the entry is durable. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "model/allocation.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/job_diff.h"
#include "model/node.h"
#include "model/plan.h"
#include "scheduler/scheduler.h"
#include "server/ingress_reports.h"
#include "server/blocked_evals.h"
#include "server/deployment_watcher.h"
#include "server/eval_broker.h"
#include "server/garbage_collector.h"
#include "server/plan_applier.h"
#include "server/worker.h"
#include "state/state_store.h"

namespace caravan::server {

struct ServerConfig {
  std::string data_dir;  // the log lives in <data_dir>/server/state.db
  std::string region = "global";
  std::string datacenter = "dc1";
  int num_schedulers = 0;  // 0 = one per core
  scheduler::SchedulerConfig scheduler;
  EvalBrokerConfig broker;
  // A node that misses its heartbeats for this long is marked down.
  std::chrono::milliseconds heartbeat_ttl{10'000};
  // Keep the log in memory (tests that need no durability).
  bool in_memory = false;
  // Garbage collection of old evaluations, allocations and finished jobs.
  GcThresholds gc;
  std::chrono::milliseconds gc_interval{std::chrono::minutes(5)};
};

struct RegisterJobResult {
  std::string eval_id;
  int64_t eval_create_index = 0;
  int64_t job_modify_index = 0;
  int64_t index = 0;
  std::string warnings;
};

struct PlanJobResult {
  model::PlanAnnotations annotations;
  std::map<std::string, model::AllocMetric> failed_tg_allocs;
  int64_t job_modify_index = 0;
  std::optional<model::JobDiff> diff;
  std::vector<model::Evaluation> created_evals;
  int64_t index = 0;
};

// Counters and gauges of the control plane (/v1/metrics).
struct ServerStats {
  EvalBroker::Stats broker;
  size_t blocked_evals = 0;
  state::StateStoreStats state;
};

class Server {
 public:
  // Opens (or creates) the state in config.data_dir, re-queues the pending and
  // blocked evaluations found there and starts the workers.
  static Result<std::unique_ptr<Server>> start(ServerConfig config);
  // Stops workers and timers, then closes the state store.
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  state::StateStore& state() { return *store_; }
  const ServerConfig& config() const { return config_; }

  // `job run`: stores a new version of `job` (already defaulted and validated)
  // and creates its evaluation. With `enforce_index`, fails (FailedPrecondition)
  // unless the job's current JobModifyIndex equals it (0 = the job must not exist).
  Result<RegisterJobResult> register_job(model::Job job, std::optional<int64_t> enforce_index);
  // `job stop`: marks the job stopped (or purges it) and evaluates it.
  Result<RegisterJobResult> deregister_job(const std::string& ns, const std::string& job_id,
                                           bool purge);
  // `job plan`: a scheduler dry run of `job` against the current state; nothing
  // is written.
  Result<PlanJobResult> plan_job(const model::Job& job, bool diff, bool contextual);
  // Re-evaluates a job (`job eval`, or after a node change).
  Result<std::string> evaluate_job(const std::string& ns, const std::string& job_id,
                                   const std::string& triggered_by);

  // A client registers (or re-registers) its node. Returns the heartbeat TTL.
  Result<std::chrono::milliseconds> register_node(model::Node node);
  // A client's heartbeat; NotFound for an unknown node, PermissionDenied for a
  // wrong secret. Marks a down node ready again.
  Result<std::chrono::milliseconds> heartbeat(const std::string& node_id,
                                              const std::string& secret_id);
  // The client reports client status and task states of its allocations.
  Status update_allocs_from_client(const std::string& node_id, const std::string& secret_id,
                                   std::vector<model::Allocation> allocs);
  // The catalog (server/catalog.cc). A client registers the service instances
  // of its allocations, or reports new check results (whole instances; NodeID
  // and Datacenter are set from the node). Each instance's allocation must be
  // placed on that node.
  Status upsert_services_from_client(const std::string& node_id, const std::string& secret_id,
                                     std::vector<model::ServiceRegistration> instances);
  // A client deregisters every instance of these allocations (before it stops them).
  Status deregister_services_from_client(const std::string& node_id,
                                         const std::string& secret_id,
                                         std::vector<std::string> alloc_ids);
  // What the ingresses report about draining instances (memory only, with a
  // TTL; PUT /v1/ingress/:id/report). Thread-safe.
  IngressReports& ingress_reports() { return ingress_reports_; }
  const IngressReports& ingress_reports() const { return ingress_reports_; }
  // `DELETE /v1/service/:name/:id`, `caravan service delete`.
  Status delete_service(const std::string& ns, const std::string& name, const std::string& id);

  // Deployments (server/deployments.cc). Each evaluates the job afterwards and
  // returns the evaluation's id. `deployment promote`: the canaries of `groups`
  // (every group when `all`); they must be healthy.
  Result<std::string> promote_deployment(const std::string& id, bool all,
                                         const std::vector<std::string>& groups);
  // `deployment fail`: fails it (and rolls back when a group has auto_revert).
  Result<std::string> fail_deployment(const std::string& id);
  // `deployment pause/resume`.
  Result<std::string> pause_deployment(const std::string& id, bool pause);
  // `POST /v1/deployment/allocation-health/:id` (health_check = "manual").
  Result<std::string> set_deployment_alloc_health(const std::string& id,
                                                  const std::vector<std::string>& healthy,
                                                  const std::vector<std::string>& unhealthy);
  // `job revert`: registers version `version` of the job again as a new
  // version; with `enforce_prior_version`, only while the current version is it.
  Result<RegisterJobResult> revert_job(const std::string& ns, const std::string& job_id,
                                       int64_t version,
                                       std::optional<int64_t> enforce_prior_version);
  // `PUT /v1/job/:id/stable`: marks version `version` of the job stable (a
  // version auto_revert may return to) or takes the mark away; the index of
  // the write.
  Result<int64_t> set_job_stability(const std::string& ns, const std::string& job_id,
                                    int64_t version, bool stable);

  // `node drain`: starts (with a strategy: Deadline, IgnoreSystemJobs; the
  // server sets StartedAt and ForceDeadline) or ends (nullopt) the drain of
  // `node_id`, and evaluates the jobs on it. Ending it with `mark_eligible`
  // makes the node eligible again. `meta` goes to LastDrain.Meta.
  // Errors: NotFound for an unknown node.
  Result<int64_t> drain_node(const std::string& node_id,
                             std::optional<model::DrainStrategy> strategy, bool mark_eligible,
                             std::map<std::string, std::string> meta);
  // `node eligibility`: kNodeEligible or kNodeIneligible. Errors: NotFound,
  // InvalidArgument for another value, FailedPrecondition for eligible while
  // the node drains.
  Result<int64_t> set_node_eligibility(const std::string& node_id, const std::string& eligibility);
  // One pass of the drainer (drainer.h): marks allocations for migration with
  // their evaluations, completes finished drains. Runs on the timer loop;
  // public for tests.
  Status run_drainer();

  // `alloc stop`: the allocation is replaced elsewhere and then stopped.
  Result<std::string> stop_alloc(const std::string& alloc_id);

  // Collects what `thresholds` make old enough (runs every gc_interval with
  // config().gc; PUT /v1/system/gc passes GcThresholds::force()). Returns what
  // was collected; a job registered again meanwhile is left alone.
  Result<GcPlan> collect_garbage(const GcThresholds& thresholds);

  ServerStats stats() const;

 private:
  explicit Server(ServerConfig config);
  Status open_state();
  void restore_evals();
  void start_workers();
  // Writes `request` and then hands the evaluations it carried to the broker.
  Result<int64_t> apply_with_evals(state::LogRequest request,
                                   const std::vector<model::Evaluation>& evals);
  void enqueue_or_block(const model::Evaluation& eval);
  // Capacity may have appeared: blocked evaluations become pending again.
  void unblock_evals();
  model::Evaluation new_eval(const model::Job& job, const std::string& triggered_by) const;
  // Evaluations for every job with allocations on `node_id` (node down/up).
  std::vector<model::Evaluation> node_evals(const std::string& node_id,
                                            const std::string& triggered_by) const;
  Status check_node_secret(const std::string& node_id, const std::string& secret_id) const;
  // The evaluation a deployment write or the deployment watcher creates.
  std::function<model::Evaluation(const model::Job&)> deployment_eval() const;
  // Writes a deployment change and queues its evaluation; returns its id.
  Result<std::string> apply_deployment_write(state::LogRequest request,
                                             const model::Evaluation& eval);
  void timer_loop();
  void reap_failed_evals();
  void expire_heartbeats();
  // Evaluations for `node_id` after its eligibility changed; unblocks blocked
  // evaluations when it became schedulable.
  Result<int64_t> apply_node_change(state::LogRequest request, const std::string& node_id,
                                    const std::string& triggered_by);

  ServerConfig config_;
  IngressReports ingress_reports_;
  std::unique_ptr<state::StateStore> store_;
  EvalBroker broker_;
  BlockedEvals blocked_;
  std::unique_ptr<PlanApplier> applier_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<DeploymentWatcher> deployment_watcher_;

  std::mutex heartbeat_mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> heartbeat_deadlines_;

  std::chrono::steady_clock::time_point next_gc_;  // timer thread only

  std::mutex timer_mu_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace caravan::server
