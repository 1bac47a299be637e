// A client node as the server knows it: identity, fingerprinted attributes and
// resources, drivers, status, scheduling eligibility and drain state. The client
// fills it from fingerprinting and registers it (POST /v1/node/register); the
// scheduler reads it from the state store. Field names follow Nomad's JSON API
// (model/model_json.h is the codec).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "model/job.h"

namespace caravan::model {

// Node::status values.
inline constexpr const char* kNodeStatusInitializing = "initializing";
inline constexpr const char* kNodeStatusReady = "ready";
inline constexpr const char* kNodeStatusDown = "down";
inline constexpr const char* kNodeStatusDisconnected = "disconnected";

// Node::scheduling_eligibility values.
inline constexpr const char* kNodeEligible = "eligible";
inline constexpr const char* kNodeIneligible = "ineligible";

// One task driver on a node. JSON: Attributes, Detected, Healthy,
// HealthDescription, UpdateTime.
struct DriverInfo {
  std::map<std::string, std::string> attributes;
  bool detected = false;
  bool healthy = false;
  std::string health_description;
  std::string update_time;  // RFC 3339

  bool operator==(const DriverInfo&) const = default;
};

// JSON: Cpu {CpuShares, TotalCpuCores, ReservableCpuCores}.
struct NodeCpuResources {
  int64_t cpu_shares = 0;  // total compute in MHz
  int total_cpu_cores = 0;
  std::vector<int> reservable_cpu_cores;

  bool operator==(const NodeCpuResources&) const = default;
};

// JSON: Memory {MemoryMB}.
struct NodeMemoryResources {
  int64_t memory_mb = 0;

  bool operator==(const NodeMemoryResources&) const = default;
};

// JSON: Disk {DiskMB}.
struct NodeDiskResources {
  int64_t disk_mb = 0;

  bool operator==(const NodeDiskResources&) const = default;
};

// A host address that ports can be allocated on. JSON: Mode, Device, IP, CIDR.
struct NodeNetwork {
  std::string mode = "host";
  std::string device;
  std::string ip;
  std::string cidr;

  bool operator==(const NodeNetwork&) const = default;
};

// Everything a node offers. JSON: Cpu, Memory, Disk, Networks, MinDynamicPort, MaxDynamicPort.
struct NodeResources {
  NodeCpuResources cpu;
  NodeMemoryResources memory;
  NodeDiskResources disk;
  std::vector<NodeNetwork> networks;
  int min_dynamic_port = 20000;
  int max_dynamic_port = 32000;

  bool operator==(const NodeResources&) const = default;
};

// What the operator holds back for the host (`client { reserved { ... } }`).
// JSON: Cpu {CpuShares}, Memory {MemoryMB}, Disk {DiskMB}, Networks {ReservedHostPorts}.
struct NodeReservedResources {
  int64_t cpu_shares = 0;
  int64_t memory_mb = 0;
  int64_t disk_mb = 0;
  std::string reserved_host_ports;  // "22,80,8000-8100"

  bool operator==(const NodeReservedResources&) const = default;
};

// `node drain -enable` parameters. JSON: DrainSpec {Deadline, IgnoreSystemJobs},
// ForceDeadline, StartedAt.
struct DrainStrategy {
  // As Nomad: > 0 = force-stop what remains after this long; 0 = no deadline;
  // < 0 (-1) = force now.
  Duration deadline{0};
  bool ignore_system_jobs = false;
  int64_t force_deadline = 0;  // ns since the epoch; 0 = no deadline
  int64_t started_at = 0;      // ns since the epoch

  bool operator==(const DrainStrategy&) const = default;
};

// DrainMetadata::status values.
inline constexpr const char* kDrainStatusDraining = "draining";
inline constexpr const char* kDrainStatusComplete = "complete";
inline constexpr const char* kDrainStatusCanceled = "canceled";

// The latest drain of a node, kept after it ended. JSON: Status, StartedAt,
// UpdatedAt (RFC 3339), StatusDescription, Meta (what the operator gave with
// `-meta`/`-m`; "message" holds `-m`).
struct DrainMetadata {
  std::string status;
  std::string started_at;
  std::string updated_at;
  std::string status_description;
  std::map<std::string, std::string> meta;

  bool operator==(const DrainMetadata&) const = default;
};

// A notable change in a node's life, as `node status` lists them.
// JSON: Message, Subsystem, Details, Timestamp, CreateIndex.
struct NodeEvent {
  std::string message;
  std::string subsystem;
  std::map<std::string, std::string> details;
  int64_t timestamp = 0;  // ns since the epoch
  int64_t create_index = 0;

  bool operator==(const NodeEvent&) const = default;
};

struct Node {
  std::string id;         // JSON "ID"
  std::string secret_id;  // JSON "SecretID"; never returned by the API
  std::string datacenter;
  std::string name;
  std::string http_addr;  // JSON "HTTPAddr"
  bool tls_enabled = false;
  std::map<std::string, std::string> attributes;  // `${attr.*}`
  NodeResources node_resources;
  NodeReservedResources reserved_resources;
  std::map<std::string, std::string> meta;  // `${meta.*}`
  std::string node_class;
  std::string node_pool = "default";
  std::string computed_class;
  std::optional<DrainStrategy> drain_strategy;
  std::optional<DrainMetadata> last_drain;
  std::string scheduling_eligibility = kNodeEligible;
  std::string status = kNodeStatusInitializing;
  std::string status_description;
  int64_t status_updated_at = 0;  // seconds since the epoch
  std::vector<NodeEvent> events;
  std::map<std::string, DriverInfo> drivers;
  int64_t create_index = 0;
  int64_t modify_index = 0;

  bool drain() const { return drain_strategy.has_value(); }
  // Ready, eligible and not draining: the scheduler may place work here.
  bool schedulable() const {
    return status == kNodeStatusReady && scheduling_eligibility == kNodeEligible && !drain();
  }

  bool operator==(const Node&) const = default;
};

}  // namespace caravan::model
