// ServiceRegistration: one instance of a service in the catalog — what a client
// registers for each `service` block of a running allocation (name, address,
// port, tags, meta) with the current status of its checks. Nomad's
// ServiceRegistration fields plus what Nomad keeps client-side only (check
// results), so the central catalog knows health and feeds the ingress directly.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::model {

inline constexpr std::string_view kCheckPassing = "passing";
inline constexpr std::string_view kCheckWarning = "warning";
inline constexpr std::string_view kCheckCritical = "critical";

// The latest result of one check of an instance.
struct ServiceCheckStatus {
  std::string id;      // stable per (instance, check): "<instance id>-<check name>"
  std::string name;    // the check's name ("service: \"web\" check" by default)
  std::string type;    // "http", "tcp", "script", "grpc"
  std::string status;  // kCheckPassing / kCheckWarning / kCheckCritical
  std::string output;  // what the last probe said
  int64_t update_time = 0;  // ns since the epoch of the last status change

  bool operator==(const ServiceCheckStatus&) const = default;
};

struct ServiceRegistration {
  // "_nomad-task-<alloc id>-<task or group-<group>>-<service>-<port label>".
  std::string id;
  std::string service_name;
  std::string namespace_name = "default";
  std::string node_id;
  std::string datacenter;
  std::string job_id;
  std::string alloc_id;
  std::vector<std::string> tags;
  std::string address;
  int port = 0;
  std::map<std::string, std::string> meta;
  std::string provider = "nomad";  // "nomad" or "consul": one catalog serves both
  bool canary = false;
  // The allocation is about to stop: the ingress sends no new sessions, only
  // those the instance already has; set by the client before it signals the
  // tasks. drain_start_time: ns since the epoch when it began (0 = not draining).
  bool draining = false;
  int64_t drain_start_time = 0;
  std::vector<ServiceCheckStatus> checks;
  int64_t create_index = 0;
  int64_t modify_index = 0;

  // Consul's aggregate: critical if any check is, then warning, else passing
  // (no checks = passing).
  std::string_view status() const;
  bool passing() const { return status() == kCheckPassing; }

  bool operator==(const ServiceRegistration&) const = default;
};

// The registration id Nomad gives the instance of `service` in an allocation;
// `owner` is the task name, or "group-<group>" for a group-level service.
std::string service_registration_id(std::string_view alloc_id, std::string_view owner,
                                    std::string_view service, std::string_view port_label);

}  // namespace caravan::model
