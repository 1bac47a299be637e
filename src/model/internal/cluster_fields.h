// Field lists (see job_fields.h) of the cluster-state structs: Node,
// Allocation, Evaluation and their parts, in Nomad's key order. Private to
// caravan_model's .cc files.
#pragma once

#include "model/allocation.h"
#include "model/deployment.h"
#include "model/evaluation.h"
#include "model/internal/job_fields.h"
#include "model/node.h"
#include "model/plan.h"
#include "model/service_registration.h"

namespace caravan::model::internal {

template <class V, StructOf<DriverInfo> S>
void visit_fields(V& v, S& x) {
  v("Attributes", x.attributes);
  v("Detected", x.detected);
  v("Healthy", x.healthy);
  v("HealthDescription", x.health_description);
  v("UpdateTime", x.update_time);
}

template <class V, StructOf<NodeCpuResources> S>
void visit_fields(V& v, S& x) {
  v("CpuShares", x.cpu_shares);
  v("TotalCpuCores", x.total_cpu_cores);
  v("ReservableCpuCores", x.reservable_cpu_cores);
}

template <class V, StructOf<NodeMemoryResources> S>
void visit_fields(V& v, S& x) {
  v("MemoryMB", x.memory_mb);
}

template <class V, StructOf<NodeDiskResources> S>
void visit_fields(V& v, S& x) {
  v("DiskMB", x.disk_mb);
}

template <class V, StructOf<NodeNetwork> S>
void visit_fields(V& v, S& x) {
  v("Mode", x.mode);
  v("Device", x.device);
  v("IP", x.ip);
  v("CIDR", x.cidr);
}

template <class V, StructOf<NodeResources> S>
void visit_fields(V& v, S& x) {
  v("Cpu", x.cpu);
  v("Memory", x.memory);
  v("Disk", x.disk);
  v("Networks", x.networks);
  v("MinDynamicPort", x.min_dynamic_port);
  v("MaxDynamicPort", x.max_dynamic_port);
}

template <class V, StructOf<NodeReservedResources> S>
void visit_fields(V& v, S& x) {
  v.nested("Cpu", [&](auto& w) { w("CpuShares", x.cpu_shares); });
  v.nested("Memory", [&](auto& w) { w("MemoryMB", x.memory_mb); });
  v.nested("Disk", [&](auto& w) { w("DiskMB", x.disk_mb); });
  v.nested("Networks", [&](auto& w) { w("ReservedHostPorts", x.reserved_host_ports); });
}

template <class V, StructOf<DrainStrategy> S>
void visit_fields(V& v, S& x) {
  v.nested("DrainSpec", [&](auto& w) {
    w("Deadline", x.deadline);
    w("IgnoreSystemJobs", x.ignore_system_jobs);
  });
  v("ForceDeadline", x.force_deadline);
  v("StartedAt", x.started_at);
}

template <class V, StructOf<DrainMetadata> S>
void visit_fields(V& v, S& x) {
  v("Status", x.status);
  v("StartedAt", x.started_at);
  v("UpdatedAt", x.updated_at);
  v("StatusDescription", x.status_description);
  v("Meta", x.meta);
  v.skip("AccessorID");
}

template <class V, StructOf<NodeEvent> S>
void visit_fields(V& v, S& x) {
  v("Message", x.message);
  v("Subsystem", x.subsystem);
  v("Details", x.details);
  v("Timestamp", x.timestamp);
  v("CreateIndex", x.create_index);
}

template <class V, StructOf<ServiceCheckStatus> S>
void visit_fields(V& v, S& x) {
  v("CheckID", x.id);
  v("Name", x.name);
  v("Type", x.type);
  v("Status", x.status);
  v("Output", x.output);
  v("UpdateTime", x.update_time);
}

// Nomad's ServiceRegistration keys first, then caravan's (Meta, Provider,
// Canary, Draining, DrainStartTime, Checks).
template <class V, StructOf<ServiceRegistration> S>
void visit_fields(V& v, S& x) {
  v("ID", x.id);
  v("ServiceName", x.service_name);
  v("Namespace", x.namespace_name);
  v("NodeID", x.node_id);
  v("Datacenter", x.datacenter);
  v("JobID", x.job_id);
  v("AllocID", x.alloc_id);
  v("Tags", x.tags);
  v("Address", x.address);
  v("Port", x.port);
  v("Meta", x.meta);
  v("Provider", x.provider);
  v("Canary", x.canary);
  v("Draining", x.draining);
  v("DrainStartTime", x.drain_start_time);
  v("Checks", x.checks);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
}

template <class V, StructOf<Node> S>
void visit_fields(V& v, S& x) {
  v("ID", x.id);
  v("SecretID", x.secret_id);
  v("Datacenter", x.datacenter);
  v("Name", x.name);
  v("HTTPAddr", x.http_addr);
  v("TLSEnabled", x.tls_enabled);
  v("Attributes", x.attributes);
  v("NodeResources", x.node_resources);
  v("ReservedResources", x.reserved_resources);
  v("Meta", x.meta);
  v("NodeClass", x.node_class);
  v("NodePool", x.node_pool);
  v("ComputedClass", x.computed_class);
  v("DrainStrategy", x.drain_strategy);
  v("LastDrain", x.last_drain);
  v("SchedulingEligibility", x.scheduling_eligibility);
  v("Status", x.status);
  v("StatusDescription", x.status_description);
  v("StatusUpdatedAt", x.status_updated_at);
  v("Events", x.events);
  v("Drivers", x.drivers);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
  for (const char* key : {"Links", "HostVolumes", "HostNetworks", "CSIControllerPlugins",
                          "CSINodePlugins", "Drain", "Resources", "Reserved", "NodeMaxAllocs"}) {
    v.skip(key);
  }
}

template <class V, StructOf<AllocatedPort> S>
void visit_fields(V& v, S& x) {
  v("Label", x.label);
  v("Value", x.value);
  v("To", x.to);
  v("HostIP", x.host_ip);
}

template <class V, StructOf<AllocatedTaskResources> S>
void visit_fields(V& v, S& x) {
  v.nested("Cpu", [&](auto& w) {
    w("CpuShares", x.cpu_shares);
    w("ReservedCores", x.reserved_cores);
  });
  v.nested("Memory", [&](auto& w) {
    w("MemoryMB", x.memory_mb);
    w("MemoryMaxMB", x.memory_max_mb);
  });
}

template <class V, StructOf<AllocatedSharedResources> S>
void visit_fields(V& v, S& x) {
  v("Networks", x.networks);
  v("DiskMB", x.disk_mb);
  v("Ports", x.ports);
}

template <class V, StructOf<AllocatedResources> S>
void visit_fields(V& v, S& x) {
  v("Tasks", x.tasks);
  v("Shared", x.shared);
  v.skip("TaskLifecycles");
}

template <class V, StructOf<DesiredTransition> S>
void visit_fields(V& v, S& x) {
  v("Migrate", x.migrate);
  v("Reschedule", x.reschedule);
  v("ForceReschedule", x.force_reschedule);
}

template <class V, StructOf<TaskEvent> S>
void visit_fields(V& v, S& x) {
  v("Type", x.type);
  v("Time", x.time);
  v("Message", x.message);
  v("DisplayMessage", x.display_message);
  v("Details", x.details);
  v("ExitCode", x.exit_code);
  v("Signal", x.signal);
  v("KillTimeout", x.kill_timeout);
  v("RestartReason", x.restart_reason);
  v("DriverError", x.driver_error);
  v("FailsTask", x.fails_task);
}

template <class V, StructOf<TaskState> S>
void visit_fields(V& v, S& x) {
  v("State", x.state);
  v("Failed", x.failed);
  v("Restarts", x.restarts);
  v("LastRestart", x.last_restart);
  v("StartedAt", x.started_at);
  v("FinishedAt", x.finished_at);
  v("Events", x.events);
}

template <class V, StructOf<RescheduleEvent> S>
void visit_fields(V& v, S& x) {
  v("RescheduleTime", x.reschedule_time);
  v("PrevAllocID", x.prev_alloc_id);
  v("PrevNodeID", x.prev_node_id);
  v("Delay", x.delay);
}

template <class V, StructOf<RescheduleTracker> S>
void visit_fields(V& v, S& x) {
  v("Events", x.events);
}

template <class V, StructOf<AllocDeploymentStatus> S>
void visit_fields(V& v, S& x) {
  v("Healthy", x.healthy);
  v("Timestamp", x.timestamp);
  v("Canary", x.canary);
  v("ModifyIndex", x.modify_index);
}

template <class V, StructOf<Allocation> S>
void visit_fields(V& v, S& x) {
  v("ID", x.id);
  v("Namespace", x.namespace_name);
  v("EvalID", x.eval_id);
  v("Name", x.name);
  v("NodeID", x.node_id);
  v("NodeName", x.node_name);
  v("JobID", x.job_id);
  v("Job", x.job);
  v("TaskGroup", x.task_group);
  v("AllocatedResources", x.allocated_resources);
  v("DesiredStatus", x.desired_status);
  v("DesiredDescription", x.desired_description);
  v("DesiredTransition", x.desired_transition);
  v("ClientStatus", x.client_status);
  v("ClientDescription", x.client_description);
  v("TaskStates", x.task_states);
  v("PreviousAllocation", x.previous_allocation);
  v("NextAllocation", x.next_allocation);
  v("RescheduleTracker", x.reschedule_tracker);
  v("DeploymentID", x.deployment_id);
  v("DeploymentStatus", x.deployment_status);
  v("FollowupEvalID", x.followup_eval_id);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
  v("AllocModifyIndex", x.alloc_modify_index);
  v("CreateTime", x.create_time);
  v("ModifyTime", x.modify_time);
  for (const char* key : {"Resources", "SharedResources", "TaskResources", "Metrics",
                          "PreemptedAllocations", "PreemptedByAllocation", "NetworkStatus",
                          "SignedIdentities", "SigningKeyID"}) {
    v.skip(key);
  }
}

template <class V, StructOf<AllocMetric> S>
void visit_fields(V& v, S& x) {
  v("NodesEvaluated", x.nodes_evaluated);
  v("NodesFiltered", x.nodes_filtered);
  v("NodesInPool", x.nodes_in_pool);
  v("NodesAvailable", x.nodes_available);
  v("ClassFiltered", x.class_filtered);
  v("ConstraintFiltered", x.constraint_filtered);
  v("NodesExhausted", x.nodes_exhausted);
  v("ClassExhausted", x.class_exhausted);
  v("DimensionExhausted", x.dimension_exhausted);
  v("QuotaExhausted", x.quota_exhausted);
  v("AllocationTime", x.allocation_time);
  v("CoalescedFailures", x.coalesced_failures);
  for (const char* key : {"ResourcesExhausted", "Scores", "ScoreMetaData"}) v.skip(key);
}

template <class V, StructOf<Evaluation> S>
void visit_fields(V& v, S& x) {
  v("ID", x.id);
  v("Namespace", x.namespace_name);
  v("Priority", x.priority);
  v("Type", x.type);
  v("TriggeredBy", x.triggered_by);
  v("JobID", x.job_id);
  v("JobModifyIndex", x.job_modify_index);
  v("NodeID", x.node_id);
  v("NodeModifyIndex", x.node_modify_index);
  v("DeploymentID", x.deployment_id);
  v("Status", x.status);
  v("StatusDescription", x.status_description);
  v("Wait", x.wait);
  v("WaitUntil", x.wait_until);
  v("NextEval", x.next_eval);
  v("PreviousEval", x.previous_eval);
  v("BlockedEval", x.blocked_eval);
  v("FailedTGAllocs", x.failed_tg_allocs);
  v("ClassEligibility", x.class_eligibility);
  v("EscapedComputedClass", x.escaped_computed_class);
  v("AnnotatePlan", x.annotate_plan);
  v("QueuedAllocations", x.queued_allocations);
  v("SnapshotIndex", x.snapshot_index);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
  v("CreateTime", x.create_time);
  v("ModifyTime", x.modify_time);
  for (const char* key : {"PlanAnnotations", "RelatedEvals", "QuotaLimitReached", "LeaderACL"}) {
    v.skip(key);
  }
}

template <class V, StructOf<DesiredUpdates> S>
void visit_fields(V& v, S& x) {
  v("Ignore", x.ignore);
  v("Place", x.place);
  v("Migrate", x.migrate);
  v("Stop", x.stop);
  v("InPlaceUpdate", x.in_place_update);
  v("DestructiveUpdate", x.destructive_update);
  v("Canary", x.canary);
  v("Preemptions", x.preemptions);
}

template <class V, StructOf<PlanAnnotations> S>
void visit_fields(V& v, S& x) {
  v("DesiredTGUpdates", x.desired_tg_updates);
}

template <class V, StructOf<DeploymentGroupState> S>
void visit_fields(V& v, S& x) {
  v("AutoRevert", x.auto_revert);
  v("AutoPromote", x.auto_promote);
  v("ProgressDeadline", x.progress_deadline);
  v("RequireProgressBy", x.require_progress_by);
  v("Promoted", x.promoted);
  v("PlacedCanaries", x.placed_canaries);
  v("DesiredCanaries", x.desired_canaries);
  v("DesiredTotal", x.desired_total);
  v("PlacedAllocs", x.placed_allocs);
  v("HealthyAllocs", x.healthy_allocs);
  v("UnhealthyAllocs", x.unhealthy_allocs);
}

template <class V, StructOf<Deployment> S>
void visit_fields(V& v, S& x) {
  v("ID", x.id);
  v("Namespace", x.namespace_name);
  v("JobID", x.job_id);
  v("JobVersion", x.job_version);
  v("JobModifyIndex", x.job_modify_index);
  v("JobCreateIndex", x.job_create_index);
  v("TaskGroups", x.task_groups);
  v("Status", x.status);
  v("StatusDescription", x.status_description);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
  v("CreateTime", x.create_time);
  v("ModifyTime", x.modify_time);
  for (const char* key : {"IsMultiregion", "EvalPriority", "JobSpecModifyIndex"}) v.skip(key);
}

template <class V, StructOf<DeploymentStatusUpdate> S>
void visit_fields(V& v, S& x) {
  v("DeploymentID", x.deployment_id);
  v("Status", x.status);
  v("StatusDescription", x.status_description);
}

}  // namespace caravan::model::internal
