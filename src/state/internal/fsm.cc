#include "state/internal/fsm.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/wall_time.h"
#include "state/internal/deployment_fsm.h"

namespace caravan::state::internal {
namespace {

// Nomad keeps the last 10 events of a node.
constexpr size_t kMaxNodeEvents = 10;

bool is_status_forever(const model::Job& job) {
  // System, periodic and parameterized jobs run until stopped (Nomad's getJobStatus).
  return job.type == model::kJobTypeSystem || job.periodic.has_value() ||
         job.parameterized_job.has_value();
}

std::string derive_job_status(const model::Job& job, const JobCounts& counts, bool eval_delete) {
  if (is_status_forever(job)) return job.stop ? model::kJobStatusDead : model::kJobStatusRunning;
  if (counts.live_allocs > 0) return model::kJobStatusRunning;
  if (counts.live_evals > 0) return model::kJobStatusPending;
  if (job.stop || eval_delete || counts.evals > 0 || counts.allocs > 0) return model::kJobStatusDead;
  return model::kJobStatusPending;
}

// The job with every field the server sets cleared: two jobs whose specs are
// equal compare equal after this.
model::Job spec_of(model::Job job) {
  job.status.clear();
  job.status_description.clear();
  job.stable = false;
  job.version = 0;
  job.submit_time = 0;
  job.create_index = 0;
  job.modify_index = 0;
  job.job_modify_index = 0;
  return job;
}

void add_node_event(model::Node& node, model::NodeEvent event, int64_t index, int64_t time) {
  event.create_index = index;
  if (event.timestamp == 0) event.timestamp = time;
  node.events.push_back(std::move(event));
  if (node.events.size() > kMaxNodeEvents) {
    node.events.erase(node.events.begin(),
                      node.events.end() - static_cast<std::ptrdiff_t>(kMaxNodeEvents));
  }
}

model::NodeEvent cluster_event(std::string message) {
  model::NodeEvent event;
  event.subsystem = "Cluster";
  event.message = std::move(message);
  return event;
}

Status node_not_found(std::string_view id) {
  return not_found(fmt::format("node \"{}\" not found", id));
}

// Applies one entry: validates first, then writes, so a rejected entry leaves
// the tables untouched.
class Applier {
 public:
  Applier(Tables& tables, int64_t index, int64_t time) : t_(tables), index_(index), time_(time) {}

  Status operator()(const JobRegister& req) {
    if (req.job.id.empty()) return invalid_argument("JobRegister: the job has no ID");
    model::Job job = req.job;
    if (job.namespace_name.empty()) job.namespace_name = "default";
    JobPtr existing = t_.job(job.namespace_name, job.id);
    bool new_version = true;
    job.create_index = index_;
    job.version = 0;
    job.job_modify_index = index_;
    job.submit_time = time_;
    job.stable = false;
    if (existing != nullptr) {
      job.create_index = existing->create_index;
      if (spec_of(*existing) == spec_of(job)) {
        new_version = false;
        job.version = existing->version;
        job.job_modify_index = existing->job_modify_index;
        job.submit_time = existing->submit_time;
        job.stable = existing->stable;
      } else {
        job.version = existing->version + 1;
      }
    }
    job.modify_index = index_;
    if (req.eval) upsert_eval(*req.eval, job.job_modify_index);
    store_job(std::move(job), new_version);
    return Status::ok();
  }

  Status operator()(const JobDeregister& req) {
    std::string ns = req.namespace_name.empty() ? "default" : req.namespace_name;
    JobPtr existing = t_.job(ns, req.job_id);
    if (existing == nullptr) {
      return not_found(fmt::format("job \"{}\" in namespace \"{}\" not found", req.job_id, ns));
    }
    if (req.if_job_modify_index > 0 && existing->job_modify_index != req.if_job_modify_index) {
      return failed_precondition(fmt::format(
          "job \"{}\" changed (JobModifyIndex {}, expected {})", req.job_id,
          existing->job_modify_index, req.if_job_modify_index));
    }
    if (req.eval) upsert_eval(*req.eval, index_);
    if (req.purge) {
      t_.delete_job(ns, req.job_id);
      t_.touch(Table::kJobs, index_);
      t_.touch(Table::kJobVersions, index_);
      return Status::ok();
    }
    model::Job job = *existing;
    job.stop = true;
    job.version = existing->version + 1;
    job.stable = false;
    job.submit_time = time_;
    job.job_modify_index = index_;
    job.modify_index = index_;
    store_job(std::move(job), /*new_version=*/true);
    return Status::ok();
  }

  Status operator()(const NodeRegister& req) {
    if (req.node.id.empty()) return invalid_argument("NodeRegister: the node has no ID");
    model::Node node = req.node;
    NodePtr existing = t_.node(node.id);
    if (existing != nullptr) {
      node.create_index = existing->create_index;
      node.events = existing->events;
      node.scheduling_eligibility = existing->scheduling_eligibility;
      node.drain_strategy = existing->drain_strategy;
      node.last_drain = existing->last_drain;
      if (existing->status == model::kNodeStatusDown && node.status != model::kNodeStatusDown) {
        add_node_event(node, cluster_event("Node re-registered"), index_, time_);
      }
    } else {
      node.create_index = index_;
      node.events.clear();
      add_node_event(node, cluster_event("Node registered"), index_, time_);
    }
    put_node(std::move(node));
    return Status::ok();
  }

  Status operator()(const NodeUpdateStatus& req) {
    NodePtr existing = t_.node(req.node_id);
    if (existing == nullptr) return node_not_found(req.node_id);
    if (req.status != model::kNodeStatusInitializing && req.status != model::kNodeStatusReady &&
        req.status != model::kNodeStatusDown && req.status != model::kNodeStatusDisconnected) {
      return invalid_argument(fmt::format("node \"{}\": invalid status \"{}\"", req.node_id,
                                          req.status));
    }
    model::Node node = *existing;
    node.status = req.status;
    node.status_updated_at = time_ / 1'000'000'000;
    if (req.status == model::kNodeStatusDown) deregister_node_services(req.node_id);
    if (req.event) add_node_event(node, *req.event, index_, time_);
    put_node(std::move(node));
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const NodeUpdateDrain& req) {
    NodePtr existing = t_.node(req.node_id);
    if (existing == nullptr) return node_not_found(req.node_id);
    model::Node node = *existing;
    node.drain_strategy = req.drain_strategy;
    if (node.drain_strategy) {
      node.scheduling_eligibility = model::kNodeIneligible;
    } else if (req.mark_eligible) {
      node.scheduling_eligibility = model::kNodeEligible;
    }
    update_last_drain(node, existing->drain(), req);
    put_node(std::move(node));
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const NodeUpdateEligibility& req) {
    NodePtr existing = t_.node(req.node_id);
    if (existing == nullptr) return node_not_found(req.node_id);
    if (req.eligibility != model::kNodeEligible && req.eligibility != model::kNodeIneligible) {
      return invalid_argument(fmt::format("node \"{}\": invalid scheduling eligibility \"{}\"",
                                          req.node_id, req.eligibility));
    }
    if (existing->drain() && req.eligibility == model::kNodeEligible) {
      return failed_precondition(fmt::format(
          "node \"{}\": can not set scheduling eligibility to eligible while it is draining",
          req.node_id));
    }
    model::Node node = *existing;
    node.scheduling_eligibility = req.eligibility;
    put_node(std::move(node));
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const EvalUpsert& req) {
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const EvalDelete& req) {
    eval_delete_ = true;
    for (const std::string& id : req.eval_ids) {
      if (EvalPtr eval = t_.eval(id)) {
        touch_job(eval->namespace_name, eval->job_id);
        t_.delete_eval(id);
        t_.touch(Table::kEvals, index_);
      }
    }
    for (const std::string& id : req.alloc_ids) {
      if (AllocPtr alloc = t_.alloc(id)) {
        touch_job(alloc->namespace_name, alloc->job_id);
        deregister_alloc_services(id);
        t_.delete_alloc(id);
        t_.touch(Table::kAllocs, index_);
      }
    }
    return Status::ok();
  }

  Status operator()(const ApplyPlanResults& req) { return apply_plan(req); }
  Status operator()(ApplyPlanResults& req) { return apply_plan(req); }

  // Plan = ApplyPlanResults (its placements are moved from) or const ApplyPlanResults.
  template <class Plan>
  Status apply_plan(Plan& req) {
    // Validate: every placement must name a job version the state holds.
    std::vector<JobPtr> jobs;
    jobs.reserve(req.allocs_placed.size());
    for (const model::Allocation& alloc : req.allocs_placed) {
      if (alloc.id.empty()) return invalid_argument("ApplyPlanResults: an allocation has no ID");
      jobs.push_back(CARAVAN_TRY(resolve_job(alloc)));
    }
    DeploymentBook book(t_, index_, time_);
    if (req.deployment) book.create(*req.deployment);
    for (const model::DeploymentStatusUpdate& update : req.deployment_updates) {
      (void)book.set_status(update);  // one already finished stays as it is
    }
    for (const AllocStopUpdate& update : req.allocs_stopped) {
      AllocPtr existing = t_.alloc(update.id);
      if (existing == nullptr) continue;  // garbage collected meanwhile (as Nomad)
      model::Allocation alloc = *existing;
      if (!update.desired_status.empty()) alloc.desired_status = update.desired_status;
      alloc.desired_description = update.desired_description;
      if (!update.client_status.empty()) alloc.client_status = update.client_status;
      if (!update.followup_eval_id.empty()) alloc.followup_eval_id = update.followup_eval_id;
      if (alloc.client_terminal()) deregister_alloc_services(alloc.id);
      alloc.alloc_modify_index = index_;
      put_alloc(std::move(alloc));
    }
    for (size_t i = 0; i < req.allocs_placed.size(); ++i) {
      model::Allocation alloc = std::move(req.allocs_placed[i]);  // a copy when Plan is const
      alloc.job = std::move(jobs[i]);
      AllocPtr existing = t_.alloc(alloc.id);
      if (existing == nullptr) {
        alloc.create_index = index_;
        if (alloc.create_time == 0) alloc.create_time = time_;
      } else {
        alloc.create_index = existing->create_index;
        alloc.create_time = existing->create_time;
        alloc.task_states = existing->task_states;
        // A plan marking the allocation lost or unknown overrides the client.
        if (alloc.client_status != model::kAllocClientLost &&
            alloc.client_status != model::kAllocClientUnknown) {
          alloc.client_status = existing->client_status;
          alloc.client_description = existing->client_description;
        }
        // A plan that moves the allocation into another deployment resets its
        // health there; otherwise the client's report stays.
        if (!alloc.deployment_status && alloc.deployment_id == existing->deployment_id) {
          alloc.deployment_status = existing->deployment_status;
        }
      }
      if (alloc.deployment_status) alloc.deployment_status->modify_index = index_;
      alloc.alloc_modify_index = index_;
      if (existing == nullptr || existing->deployment_id != alloc.deployment_id) {
        book.count_placement(alloc);  // new, or an in-place update joining the deployment
      }
      put_alloc(std::move(alloc));
    }
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const AllocClientUpdate& req) {
    for (const model::Allocation& update : req.allocs) {
      AllocPtr existing = t_.alloc(update.id);
      if (existing == nullptr) continue;  // garbage collected meanwhile (as Nomad)
      model::Allocation alloc = *existing;
      alloc.client_status = update.client_status;
      alloc.client_description = update.client_description;
      alloc.task_states = update.task_states;
      if (update.deployment_status) {
        alloc.deployment_status = update.deployment_status;
        alloc.deployment_status->modify_index = index_;
        // The client reports health; whether it is a canary is the server's
        // (a report sent before a promotion arrived must not undo it).
        alloc.deployment_status->canary = existing->deployment_status && existing->deployment_status->canary;
        DeploymentBook(t_, index_, time_).count_health(existing->deployment_status, alloc);
      }
      if (alloc.client_terminal()) deregister_alloc_services(alloc.id);
      put_alloc(std::move(alloc));
    }
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const AllocDesiredTransition& req) {
    for (const auto& [id, transition] : req.transitions) {
      AllocPtr existing = t_.alloc(id);
      if (existing == nullptr) continue;
      model::Allocation alloc = *existing;
      merge(alloc.desired_transition, transition);
      put_alloc(std::move(alloc));
    }
    upsert_evals(req.evals);
    return Status::ok();
  }

  Status operator()(const AllocStop& req) {
    AllocPtr existing = t_.alloc(req.alloc_id);
    if (existing == nullptr) {
      return not_found(fmt::format("allocation \"{}\" not found", req.alloc_id));
    }
    model::Allocation alloc = *existing;
    alloc.desired_transition.migrate = true;
    put_alloc(std::move(alloc));
    upsert_evals({req.eval});
    return Status::ok();
  }

  Status operator()(const ServiceRegistrationUpsert& req) {
    for (const model::ServiceRegistration& given : req.services) {
      if (given.id.empty() || given.service_name.empty() || given.alloc_id.empty()) {
        return invalid_argument(
            "ServiceRegistrationUpsert: an instance lacks its ID, ServiceName or AllocID");
      }
    }
    for (const model::ServiceRegistration& given : req.services) {
      if (!may_register(given)) continue;
      model::ServiceRegistration instance = given;
      if (instance.namespace_name.empty()) instance.namespace_name = "default";
      ServicePtr existing = t_.service(instance.alloc_id, instance.id);
      instance.create_index = existing != nullptr ? existing->create_index : index_;
      instance.modify_index = existing != nullptr ? existing->modify_index : index_;
      if (existing != nullptr && *existing == instance) continue;  // a re-sync: no change
      instance.modify_index = index_;
      t_.put_service(std::make_shared<const model::ServiceRegistration>(std::move(instance)),
                     index_);
      t_.touch(Table::kServices, index_);
    }
    return Status::ok();
  }

  Status operator()(const ServiceRegistrationDelete& req) {
    for (const std::string& alloc_id : req.alloc_ids) deregister_alloc_services(alloc_id);
    if (req.id.empty()) return Status::ok();
    std::string ns = req.namespace_name.empty() ? "default" : req.namespace_name;
    for (const ServicePtr& instance : Snapshot(t_).service(ns, req.service_name)) {
      if (instance->id != req.id) continue;
      t_.delete_service(instance->alloc_id, instance->id, index_);
      t_.touch(Table::kServices, index_);
      return Status::ok();
    }
    return not_found(fmt::format("service \"{}\" has no instance \"{}\" in namespace \"{}\"",
                                 req.service_name, req.id, ns));
  }

  Status operator()(const DeploymentStatusChange& req) {
    if (req.job && req.job->id.empty()) {
      return invalid_argument("DeploymentStatusUpdate: the job to revert to has no ID");
    }
    CARAVAN_RETURN_IF_ERROR(DeploymentBook(t_, index_, time_).set_status(req.update));
    if (req.job) return (*this)(JobRegister{*req.job, req.eval});
    if (req.eval) upsert_evals({*req.eval});
    return Status::ok();
  }

  Status operator()(const DeploymentPromote& req) {
    auto promoted = CARAVAN_TRY(DeploymentBook(t_, index_, time_).promote(req));
    for (model::Allocation& alloc : promoted) put_alloc(std::move(alloc));
    if (req.eval) upsert_evals({*req.eval});
    return Status::ok();
  }

  Status operator()(const JobStability& req) {
    return DeploymentBook(t_, index_, time_).set_stability(req);
  }

  Status operator()(const DeploymentAllocHealth& req) {
    auto changed = CARAVAN_TRY(DeploymentBook(t_, index_, time_).set_alloc_health(req));
    for (model::Allocation& alloc : changed) put_alloc(std::move(alloc));
    if (req.eval) upsert_evals({*req.eval});
    return Status::ok();
  }

  // Re-derives the status of every job whose allocations or evals changed.
  void refresh_job_statuses() {
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (const OwnedJobKey& key : touched_) {
      JobPtr job = t_.job(key.first, key.second);
      if (job == nullptr) continue;
      std::string status = derive_job_status(*job, t_.counts(key.first, key.second), eval_delete_);
      if (status == job->status) continue;
      auto updated = std::make_shared<model::Job>(*job);
      updated->status = std::move(status);
      updated->modify_index = index_;
      t_.put_job(std::move(updated));
      t_.touch(Table::kJobs, index_);
    }
  }

 private:
  // An instance may enter the catalog only while its allocation is meant to
  // run, is not terminal, and its node is not down.
  bool may_register(const model::ServiceRegistration& instance) const {
    AllocPtr alloc = t_.alloc(instance.alloc_id);
    if (alloc == nullptr || alloc->client_terminal()) return false;
    // An allocation the server wants stopped may still mark the instances it
    // has as draining (and report their checks) until its tasks stop.
    if (alloc->desired_status != model::kAllocDesiredRun &&
        !(instance.draining && t_.service(instance.alloc_id, instance.id) != nullptr)) {
      return false;
    }
    NodePtr node = t_.node(alloc->node_id);
    return node != nullptr && node->status != model::kNodeStatusDown;
  }

  void deregister_alloc_services(std::string_view alloc_id) {
    bool removed = false;
    for (const ServicePtr& instance : Snapshot(t_).services_by_alloc(alloc_id)) {
      removed |= t_.delete_service(instance->alloc_id, instance->id, index_);
    }
    if (removed) t_.touch(Table::kServices, index_);
  }

  void deregister_node_services(std::string_view node_id) {
    for (const AllocPtr& alloc : Snapshot(t_).allocs_by_node(node_id)) {
      deregister_alloc_services(alloc->id);
    }
  }

  // Nomad's LastDrain bookkeeping: a new record when a drain starts, then
  // its status follows the drain until it completes or is canceled.
  void update_last_drain(model::Node& node, bool was_draining, const NodeUpdateDrain& req) const {
    if (!was_draining && !node.drain()) return;  // not a drain operation
    std::string now = format_rfc3339(time_);
    if (!was_draining || !node.last_drain) {
      node.last_drain = model::DrainMetadata{};
      node.last_drain->started_at = now;
    }
    model::DrainMetadata& last = *node.last_drain;
    last.updated_at = now;
    if (!req.meta.empty()) last.meta = req.meta;
    if (node.drain()) {
      last.status = model::kDrainStatusDraining;
      last.status_description = "draining";
    } else if (req.drain_complete) {
      last.status = model::kDrainStatusComplete;
      last.status_description = "every allocation left the node";
    } else {
      last.status = model::kDrainStatusCanceled;
      last.status_description = "canceled by the operator";
    }
  }

  static void merge(model::DesiredTransition& into, const model::DesiredTransition& from) {
    if (from.migrate) into.migrate = from.migrate;
    if (from.reschedule) into.reschedule = from.reschedule;
    if (from.force_reschedule) into.force_reschedule = from.force_reschedule;
  }

  // The stored job version an allocation runs: from the versions table, else
  // the one an existing allocation already holds (older than the kept versions).
  Result<JobPtr> resolve_job(const model::Allocation& alloc) const {
    if (alloc.job == nullptr) {
      return invalid_argument(fmt::format("allocation \"{}\" names no job", alloc.id));
    }
    const model::Job& named = *alloc.job;
    if (JobPtr job = t_.job_version(named.namespace_name, named.id, named.version)) return job;
    if (AllocPtr existing = t_.alloc(alloc.id)) {
      if (existing->job != nullptr && existing->job->version == named.version &&
          existing->job->id == named.id) {
        return existing->job;
      }
    }
    return failed_precondition(fmt::format(
        "allocation \"{}\": job \"{}\" version {} in namespace \"{}\" is not in the state",
        alloc.id, named.id, named.version, named.namespace_name));
  }

  void store_job(model::Job job, bool new_version) {
    job.status = derive_job_status(job, t_.counts(job.namespace_name, job.id), false);
    auto ptr = std::make_shared<const model::Job>(std::move(job));
    if (new_version) {
      t_.put_job_version(ptr);
      t_.touch(Table::kJobVersions, index_);
    }
    t_.put_job(std::move(ptr));
    t_.touch(Table::kJobs, index_);
  }

  void put_node(model::Node node) {
    node.modify_index = index_;
    t_.put_node(std::make_shared<const model::Node>(std::move(node)));
    t_.touch(Table::kNodes, index_);
  }

  void put_alloc(model::Allocation alloc) {
    alloc.modify_index = index_;
    alloc.modify_time = time_;
    touch_job(alloc.namespace_name, alloc.job_id);
    t_.put_alloc(std::make_shared<const model::Allocation>(std::move(alloc)));
    t_.touch(Table::kAllocs, index_);
  }

  void upsert_eval(model::Evaluation eval, int64_t job_modify_index) {
    eval.job_modify_index = job_modify_index;
    upsert_evals({std::move(eval)});
  }

  void upsert_evals(const std::vector<model::Evaluation>& evals) {
    for (const model::Evaluation& given : evals) {
      model::Evaluation eval = given;
      if (eval.namespace_name.empty()) eval.namespace_name = "default";
      if (EvalPtr existing = t_.eval(eval.id)) {
        eval.create_index = existing->create_index;
        eval.create_time = existing->create_time;
      } else {
        eval.create_index = index_;
        if (eval.create_time == 0) eval.create_time = time_;
      }
      eval.modify_index = index_;
      eval.modify_time = time_;
      touch_job(eval.namespace_name, eval.job_id);
      t_.put_eval(std::make_shared<const model::Evaluation>(std::move(eval)));
      t_.touch(Table::kEvals, index_);
    }
  }

  void touch_job(const std::string& ns, const std::string& job_id) {
    if (job_id.empty()) return;
    if (!touched_.empty() && touched_.back().first == ns && touched_.back().second == job_id) {
      return;
    }
    touched_.emplace_back(ns, job_id);
  }

  Tables& t_;
  int64_t index_;
  int64_t time_;
  std::vector<OwnedJobKey> touched_;
  bool eval_delete_ = false;
};

}  // namespace

template <class Entry>
Status Fsm::apply_entry(int64_t index, Entry& entry) {
  CARAVAN_CHECK(index > tables_.index);
  Applier applier(tables_, index, entry.time);
  Status status = std::visit(applier, entry.request);
  if (status.is_ok()) applier.refresh_job_statuses();
  tables_.index = index;
  return status;
}

Status Fsm::apply(int64_t index, const LogEntry& entry) { return apply_entry(index, entry); }
Status Fsm::apply(int64_t index, LogEntry&& entry) { return apply_entry(index, entry); }

}  // namespace caravan::state::internal
