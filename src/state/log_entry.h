// The typed log entries: every change of cluster state is one of these
// requests, appended to the log (encoded as MessagePack) and then applied to the state
// store by the FSM (state/fsm.h), in log order, on every server and on replay.
// Allocations travel without their job: they name (namespace, job id, version)
// and the FSM re-links them to the stored job version.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "model/allocation.h"
#include "model/deployment.h"
#include "model/evaluation.h"
#include "model/job.h"
#include "model/node.h"
#include "model/service_registration.h"

namespace caravan::state {

// Registers a new job or a new version of one (`job run`), with its eval.
struct JobRegister {
  model::Job job;
  std::optional<model::Evaluation> eval;
};

// `job stop`: marks the job stopped (a new version) or, with purge, deletes it
// (its allocations and evaluations stay until garbage collection).
struct JobDeregister {
  std::string namespace_name = "default";
  std::string job_id;
  bool purge = false;
  std::optional<model::Evaluation> eval;
  // When set (> 0), the FSM refuses (FailedPrecondition) unless the job's
  // JobModifyIndex is still this: garbage collection purging a finished job
  // must not purge one registered again since it looked.
  int64_t if_job_modify_index = 0;
};

// A client registers itself (or re-registers after a restart).
struct NodeRegister {
  model::Node node;
};

// Heartbeats: ready, down, disconnected.
struct NodeUpdateStatus {
  std::string node_id;
  std::string status;
  std::optional<model::NodeEvent> event;
  std::vector<model::Evaluation> evals;
};

// `node drain -enable/-disable` and the drainer's "drain complete". No strategy
// = drain off; mark_eligible makes the node eligible again when the drain is
// switched off. The FSM keeps Node::last_drain: "draining" when a drain starts,
// then "complete" (drain_complete, sent by the drainer) or "canceled".
struct NodeUpdateDrain {
  std::string node_id;
  std::optional<model::DrainStrategy> drain_strategy;
  bool mark_eligible = false;
  bool drain_complete = false;
  std::map<std::string, std::string> meta;  // replaces LastDrain.Meta when not empty
  std::vector<model::Evaluation> evals;
};

// `node eligibility -enable/-disable`.
struct NodeUpdateEligibility {
  std::string node_id;
  std::string eligibility;  // model::kNodeEligible / kNodeIneligible
  std::vector<model::Evaluation> evals;
};

// Creates or updates evaluations (broker acks, blocked evals, ...).
struct EvalUpsert {
  std::vector<model::Evaluation> evals;
};

// Garbage collection of evaluations and allocations.
struct EvalDelete {
  std::vector<std::string> eval_ids;
  std::vector<std::string> alloc_ids;
};

// The server-owned change of an existing allocation a plan stops, evicts or
// marks lost (Nomad's AllocationDiff): only these fields are carried.
struct AllocStopUpdate {
  std::string id;
  std::string desired_status = model::kAllocDesiredStop;
  std::string desired_description;
  std::string client_status;  // set when the plan marks the alloc lost; empty = keep
  std::string followup_eval_id;

  bool operator==(const AllocStopUpdate&) const = default;
};

// What the plan applier commits for one evaluation.
struct ApplyPlanResults {
  std::string eval_id;
  std::vector<AllocStopUpdate> allocs_stopped;
  // New allocations and in-place updates. Each names its job version through
  // `job` (only namespace, id and version are read; the FSM re-links it).
  std::vector<model::Allocation> allocs_placed;
  std::vector<model::Evaluation> evals;  // follow-up / blocked evals created with the plan
  // The deployment the plan starts, and status changes of earlier ones.
  std::optional<model::Deployment> deployment;
  std::vector<model::DeploymentStatusUpdate> deployment_updates;
};

// The client reports what became of its allocations. Only client-owned fields
// are merged: client status and description, task states, deployment status.
struct AllocClientUpdate {
  std::vector<model::Allocation> allocs;
  std::vector<model::Evaluation> evals;
};

// The drainer or the API asks for allocations to migrate or be rescheduled.
struct AllocDesiredTransition {
  std::map<std::string, model::DesiredTransition> transitions;  // by alloc id
  std::vector<model::Evaluation> evals;
};

// `alloc stop`: the allocation is marked for migration and an eval replaces it.
struct AllocStop {
  std::string alloc_id;
  model::Evaluation eval;
};

// A client registers the service instances of its running allocations, or
// reports new check results for them (the whole instance each time). The FSM
// skips instances of allocations that are gone, stopping or terminal, or on a
// node that is down, so a late report never brings back a stale instance.
struct ServiceRegistrationUpsert {
  std::vector<model::ServiceRegistration> services;
};

// Instances leave the catalog: every instance of `alloc_ids` (a client about to
// stop them), and the one instance `id` of `service_name` when set (`DELETE
// /v1/service/:name/:id`).
struct ServiceRegistrationDelete {
  std::vector<std::string> alloc_ids;
  std::string namespace_name = "default";
  std::string service_name;
  std::string id;
};

// A deployment changes status: the watcher completes, fails or auto-promotes
// it, the user fails, pauses or resumes it. A successful deployment marks its
// job version stable. `job` re-registers an older version (auto-revert) and
// `eval` evaluates the job afterwards.
struct DeploymentStatusChange {
  model::DeploymentStatusUpdate update;
  std::optional<model::Job> job;
  std::optional<model::Evaluation> eval;
};

// `deployment promote`: the canaries of `groups` (every group when `all`) are
// promoted; their allocations stop being canaries (DeploymentStatus.Canary).
struct DeploymentPromote {
  std::string deployment_id;
  bool all = false;
  std::vector<std::string> groups;
  std::optional<model::Evaluation> eval;
};

// `deployment allocation-health` (health_check = "manual"): the operator sets
// the health of allocations of a deployment.
struct DeploymentAllocHealth {
  std::string deployment_id;
  std::vector<std::string> healthy_alloc_ids;
  std::vector<std::string> unhealthy_alloc_ids;
  std::optional<model::Evaluation> eval;
};

// `PUT /v1/job/:id/stable`: the operator marks a job version stable (a
// version auto-revert may go back to) or takes the mark away.
struct JobStability {
  std::string namespace_name = "default";
  std::string job_id;
  int64_t version = 0;
  bool stable = false;
};

using LogRequest =
    std::variant<JobRegister, JobDeregister, NodeRegister, NodeUpdateStatus, NodeUpdateDrain,
                 NodeUpdateEligibility, EvalUpsert, EvalDelete, ApplyPlanResults,
                 AllocClientUpdate, AllocDesiredTransition, AllocStop,
                 ServiceRegistrationUpsert, ServiceRegistrationDelete, DeploymentStatusChange,
                 DeploymentPromote, DeploymentAllocHealth, JobStability>;

// One log entry: the request and the wall-clock time it was submitted at (ns
// since the epoch). The FSM takes every timestamp from `time`, never from the
// clock, so replaying the log rebuilds exactly the same state.
struct LogEntry {
  LogRequest request;
  int64_t time = 0;
};

// The request's type name as it appears in the encoding ("JobRegister", ...).
std::string_view log_request_name(const LogRequest& request);

// MessagePack of {"Type": "...", "Time": ns, "Request": {...}} (the request in
// the same shape as the JSON API's objects).
std::string encode_log_entry(const LogEntry& entry);
// Reads MessagePack, or the JSON text of the same document (what logs held
// before). Fails with InvalidArgument naming what is wrong (unknown type, bad field).
Result<LogEntry> decode_log_entry(std::string_view data);

}  // namespace caravan::state
