// An allocation: one instance of a task group placed on a node, with the
// resources and ports the scheduler granted it, what the server wants of it
// (desired status) and what the client reports (client status, task states).
// The scheduler creates allocations in plans; the client runs them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/job.h"

namespace caravan::model {

// Allocation::desired_status values.
inline constexpr const char* kAllocDesiredRun = "run";
inline constexpr const char* kAllocDesiredStop = "stop";
inline constexpr const char* kAllocDesiredEvict = "evict";

// Allocation::client_status values.
inline constexpr const char* kAllocClientPending = "pending";
inline constexpr const char* kAllocClientRunning = "running";
inline constexpr const char* kAllocClientComplete = "complete";
inline constexpr const char* kAllocClientFailed = "failed";
inline constexpr const char* kAllocClientLost = "lost";
inline constexpr const char* kAllocClientUnknown = "unknown";

// TaskState::state values.
inline constexpr const char* kTaskStatePending = "pending";
inline constexpr const char* kTaskStateRunning = "running";
inline constexpr const char* kTaskStateDead = "dead";

// A port granted to the allocation. JSON: Label, Value, To, HostIP.
struct AllocatedPort {
  std::string label;
  int value = 0;  // the host port
  int to = 0;     // the port inside the task's network namespace (0 = same)
  std::string host_ip;

  bool operator==(const AllocatedPort&) const = default;
};

// JSON: Cpu {CpuShares, ReservedCores}, Memory {MemoryMB, MemoryMaxMB}.
struct AllocatedTaskResources {
  int64_t cpu_shares = 0;
  std::vector<int> reserved_cores;
  int64_t memory_mb = 0;
  int64_t memory_max_mb = 0;

  bool operator==(const AllocatedTaskResources&) const = default;
};

// JSON: Networks, DiskMB, Ports.
struct AllocatedSharedResources {
  std::vector<NetworkResource> networks;  // with the granted port values filled in
  int64_t disk_mb = 0;
  std::vector<AllocatedPort> ports;

  bool operator==(const AllocatedSharedResources&) const = default;
};

// JSON: Tasks, Shared.
struct AllocatedResources {
  std::map<std::string, AllocatedTaskResources> tasks;
  AllocatedSharedResources shared;

  bool operator==(const AllocatedResources&) const = default;
};

// Why the server wants the allocation moved. JSON: Migrate, Reschedule, ForceReschedule.
struct DesiredTransition {
  std::optional<bool> migrate;
  std::optional<bool> reschedule;
  std::optional<bool> force_reschedule;

  bool operator==(const DesiredTransition&) const = default;
};

// One thing that happened to a task, as `alloc status` lists them. JSON: Type,
// Time, Message, DisplayMessage, Details, ExitCode, Signal, KillTimeout,
// RestartReason, DriverError, FailsTask.
struct TaskEvent {
  std::string type;       // "Received", "Task Setup", "Started", "Terminated", "Restarting", ...
  int64_t time = 0;       // ns since the epoch
  std::string message;
  std::string display_message;
  std::map<std::string, std::string> details;
  int exit_code = 0;
  int signal = 0;
  Duration kill_timeout{0};
  std::string restart_reason;
  std::string driver_error;
  bool fails_task = false;

  bool operator==(const TaskEvent&) const = default;
};

// JSON: State, Failed, Restarts, LastRestart, StartedAt, FinishedAt, Events.
struct TaskState {
  std::string state = kTaskStatePending;
  bool failed = false;
  int64_t restarts = 0;
  std::string last_restart;  // RFC 3339, empty when never restarted
  std::string started_at;    // RFC 3339
  std::string finished_at;   // RFC 3339
  std::vector<TaskEvent> events;

  bool operator==(const TaskState&) const = default;
};

// One past reschedule of the allocation's lineage. JSON: RescheduleTime,
// PrevAllocID, PrevNodeID, Delay.
struct RescheduleEvent {
  int64_t reschedule_time = 0;  // ns since the epoch
  std::string prev_alloc_id;
  std::string prev_node_id;
  Duration delay{0};

  bool operator==(const RescheduleEvent&) const = default;
};

// JSON: Events.
struct RescheduleTracker {
  std::vector<RescheduleEvent> events;

  bool operator==(const RescheduleTracker&) const = default;
};

// The deployment's view of the allocation. JSON: Healthy, Timestamp, Canary, ModifyIndex.
struct AllocDeploymentStatus {
  std::optional<bool> healthy;
  std::string timestamp;  // RFC 3339
  bool canary = false;
  int64_t modify_index = 0;

  bool operator==(const AllocDeploymentStatus&) const = default;
};

struct Allocation {
  std::string id;  // JSON "ID"
  std::string namespace_name = "default";  // JSON "Namespace"
  std::string eval_id;  // JSON "EvalID"
  std::string name;     // "<job>.<group>[<index>]"
  std::string node_id;  // JSON "NodeID"
  std::string node_name;
  std::string job_id;  // JSON "JobID"
  // The job version the allocation runs. Shared between the allocations of one
  // version; compared by pointer in ==.
  std::shared_ptr<const Job> job;
  std::string task_group;
  AllocatedResources allocated_resources;
  std::string desired_status = kAllocDesiredRun;
  std::string desired_description;
  DesiredTransition desired_transition;
  std::string client_status = kAllocClientPending;
  std::string client_description;
  std::map<std::string, TaskState> task_states;
  std::string previous_allocation;
  std::string next_allocation;
  std::optional<RescheduleTracker> reschedule_tracker;
  std::string deployment_id;
  std::optional<AllocDeploymentStatus> deployment_status;
  std::string followup_eval_id;  // JSON "FollowupEvalID"
  int64_t create_index = 0;
  int64_t modify_index = 0;
  int64_t alloc_modify_index = 0;
  int64_t create_time = 0;  // ns since the epoch
  int64_t modify_time = 0;  // ns since the epoch

  // The index in the name: "web.web[3]" → 3; -1 when the name has none.
  int index() const;
  // Desired stop or evict, or the client reports the allocation finished.
  bool terminal() const { return server_terminal() || client_terminal(); }
  bool server_terminal() const {
    return desired_status == kAllocDesiredStop || desired_status == kAllocDesiredEvict;
  }
  bool client_terminal() const {
    return client_status == kAllocClientComplete || client_status == kAllocClientFailed ||
           client_status == kAllocClientLost;
  }

  bool operator==(const Allocation&) const = default;
};

// "<job>.<group>[<index>]", as Nomad names allocations.
std::string allocation_name(const std::string& job_id, const std::string& group, int index);

}  // namespace caravan::model
