// The Nomad job specification as plain structs: Job → TaskGroup → Task and the
// blocks inside them. jobspec fills these from HCL or Nomad's JSON job format
// (model/job_json.h is the JSON codec); the server, scheduler and client read them.
// Field names follow Nomad's JSON API (PascalCase there, snake_case here); the
// comment on each names its JSON key where the mapping is not obvious.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/duration.h"
#include "model/raw_json.h"

// Conventions for every struct in this file:
//
// * model applies NO defaults. A field left unset holds its zero value ("", 0,
//   false, empty) or std::nullopt; jobspec's defaults pass fills in Nomad's
//   defaults (noted as "default: …" below) for HCL and JSON input alike.
// * std::optional marks fields where "not given" must stay distinguishable from
//   a zero value: whole blocks (update, periodic, lifecycle, …), fields of blocks
//   that jobspec merges from job → group → task or onto type-dependent defaults
//   (UpdateStrategy, MigrateStrategy, ReschedulePolicy, RestartPolicy; e.g. a
//   group's `canary = 0` must override the job's `canary = 1`), and values whose
//   zero is valid but differs from the default (group count, template splay,
//   kill_timeout, …). After jobspec::parse_job these are set where Nomad sets them.
// * Durations are caravan::Duration (nanoseconds); JSON carries integer ns.
// * Free-form values are RawJson (canonical JSON text, absent == null).
// * Maps are std::map (sorted) so encoding is deterministic and == is plain.
// * Every struct compares with a defaulted ==, so "the job read from HCL equals
//   the job read from its JSON" is a plain ==.
//
// Server-side fields of Nomad's Job (Status, Version, Stable, SubmitTime, the
// *Index fields, Stop, ParentID) are set by the server when a job is registered;
// a job file never sets them. Payload, Multiregion and UI are not modelled; the
// JSON decoder accepts and ignores them.

namespace caravan::model {

// Job types (Job::type).
inline constexpr const char* kJobTypeService = "service";
inline constexpr const char* kJobTypeBatch = "batch";
inline constexpr const char* kJobTypeSystem = "system";
inline constexpr const char* kJobTypeSysBatch = "sysbatch";

// Job::status values (derived by the server).
inline constexpr const char* kJobStatusPending = "pending";
inline constexpr const char* kJobStatusRunning = "running";
inline constexpr const char* kJobStatusDead = "dead";

// `constraint` block. JSON: LTarget, RTarget, Operand.
struct Constraint {
  std::string l_target;  // e.g. "${attr.kernel.name}"
  std::string r_target;  // e.g. "linux"
  std::string operand;   // "=", "!=", "regexp", "version", "distinct_hosts", … (default "=")

  bool operator==(const Constraint&) const = default;
};

// `affinity` block. JSON: LTarget, RTarget, Operand, Weight.
struct Affinity {
  std::string l_target;
  std::string r_target;
  std::string operand;  // default "="
  int weight = 0;       // -100..100, default 50

  bool operator==(const Affinity&) const = default;
};

// `spread.target` block. JSON: Value, Percent.
struct SpreadTarget {
  std::string value;
  int percent = 0;

  bool operator==(const SpreadTarget&) const = default;
};

// `spread` block. JSON: Attribute, Weight, SpreadTarget (a list).
struct Spread {
  std::string attribute;
  int weight = 0;  // 0..100, default 50
  std::vector<SpreadTarget> spread_target;

  bool operator==(const Spread&) const = default;
};

// `update` block (job or group level; the group's fields override the job's).
// JSON: Stagger, MaxParallel, HealthCheck, MinHealthyTime, HealthyDeadline,
// ProgressDeadline, AutoRevert, AutoPromote, Canary.
struct UpdateStrategy {
  std::optional<Duration> stagger;            // default 30s
  std::optional<int> max_parallel;            // default 1; 0 disables deployments
  std::optional<std::string> health_check;    // "checks" (default), "task_states", "manual"
  std::optional<Duration> min_healthy_time;   // default 10s
  std::optional<Duration> healthy_deadline;   // default 5m
  std::optional<Duration> progress_deadline;  // default 10m
  std::optional<bool> auto_revert;            // default false
  std::optional<bool> auto_promote;           // default false
  std::optional<int> canary;                  // default 0

  bool operator==(const UpdateStrategy&) const = default;
};

// `migrate` block. JSON: MaxParallel, HealthCheck, MinHealthyTime, HealthyDeadline.
struct MigrateStrategy {
  std::optional<int> max_parallel;           // default 1
  std::optional<std::string> health_check;   // default "checks"
  std::optional<Duration> min_healthy_time;  // default 10s
  std::optional<Duration> healthy_deadline;  // default 5m

  bool operator==(const MigrateStrategy&) const = default;
};

// `reschedule` block (job or group level). JSON: Attempts, Interval, Delay,
// DelayFunction, MaxDelay, Unlimited. Defaults depend on the job type.
struct ReschedulePolicy {
  std::optional<int> attempts;
  std::optional<Duration> interval;
  std::optional<Duration> delay;
  std::optional<std::string> delay_function;  // "constant", "exponential", "fibonacci"
  std::optional<Duration> max_delay;
  std::optional<bool> unlimited;

  bool operator==(const ReschedulePolicy&) const = default;
};

// `restart` block (group level; a task-level block overrides field by field).
// JSON: Attempts, Interval, Delay, Mode, RenderTemplates. Defaults depend on the
// job type (service: 2 attempts in 30m, delay 15s, mode "fail").
struct RestartPolicy {
  std::optional<int> attempts;
  std::optional<Duration> interval;
  std::optional<Duration> delay;
  std::optional<std::string> mode;  // "fail" or "delay"
  std::optional<bool> render_templates;

  bool operator==(const RestartPolicy&) const = default;
};

// `ephemeral_disk` block. JSON: Sticky, SizeMB, Migrate.
struct EphemeralDisk {
  bool sticky = false;
  int size_mb = 0;  // JSON "SizeMB"; default 300
  bool migrate = false;

  bool operator==(const EphemeralDisk&) const = default;
};

// `periodic` block. JSON: Enabled, Spec, Specs, SpecType, ProhibitOverlap, TimeZone.
struct PeriodicConfig {
  std::optional<bool> enabled;     // default true
  std::string spec;                // HCL `cron` (deprecated form)
  std::vector<std::string> specs;  // HCL `crons`
  std::string spec_type;           // default "cron"
  bool prohibit_overlap = false;
  std::string time_zone;  // default "UTC"

  bool operator==(const PeriodicConfig&) const = default;
};

// `parameterized` block. JSON: Payload, MetaRequired, MetaOptional.
struct ParameterizedJobConfig {
  std::string payload;  // "optional" (default), "required", "forbidden"
  std::vector<std::string> meta_required;
  std::vector<std::string> meta_optional;

  bool operator==(const ParameterizedJobConfig&) const = default;
};

// A `port` block inside `network`. JSON: Label, Value, To, HostNetwork.
// Static ports (Value set) are listed in ReservedPorts, the others in DynamicPorts.
struct Port {
  std::string label;
  int value = 0;             // HCL `static`
  int to = 0;                // port inside the task's network namespace; -1 = same as the host port
  std::string host_network;  // default "default"

  bool operator==(const Port&) const = default;
};

// `network.dns` block. JSON: Servers, Searches, Options.
struct DnsConfig {
  std::vector<std::string> servers;
  std::vector<std::string> searches;
  std::vector<std::string> options;

  bool operator==(const DnsConfig&) const = default;
};

// `network` block (group level; task-level networks are legacy). JSON: Mode,
// Device, CIDR, IP, Hostname, MBits, DNS, ReservedPorts, DynamicPorts.
struct NetworkResource {
  std::string mode;    // "host" (default), "bridge", "none", "cni/<name>"
  std::string device;  // set by the scheduler
  std::string cidr;    // JSON "CIDR"
  std::string ip;      // JSON "IP"
  std::string hostname;
  int mbits = 0;                 // JSON "MBits" (deprecated)
  std::optional<DnsConfig> dns;  // JSON "DNS"
  std::vector<Port> reserved_ports;
  std::vector<Port> dynamic_ports;

  bool operator==(const NetworkResource&) const = default;
};

// `check_restart` block (service or check level). JSON: Limit, Grace, IgnoreWarnings.
struct CheckRestart {
  int limit = 0;
  Duration grace{0};  // default 1s
  bool ignore_warnings = false;

  bool operator==(const CheckRestart&) const = default;
};

// `service.check` block. JSON keys are the PascalCase names, with these
// spellings: TLSServerName, TLSSkipVerify, GRPCService, GRPCUseTLS.
struct ServiceCheck {
  std::string name;
  std::string type;  // "http", "tcp", "script", "grpc"
  std::string command;
  std::vector<std::string> args;
  std::string path;
  std::string protocol;    // "http" (default) or "https"
  std::string port_label;  // HCL `port`
  bool expose = false;
  std::string address_mode;
  std::string advertise;
  Duration interval{0};
  Duration timeout{0};
  std::string initial_status;
  std::string notes;
  std::string tls_server_name;
  bool tls_skip_verify = false;
  std::string method;
  std::map<std::string, std::vector<std::string>> header;
  std::string body;
  std::string grpc_service;
  bool grpc_use_tls = false;
  std::string task_name;  // HCL `task`
  int success_before_passing = 0;
  int failures_before_critical = 0;
  int failures_before_warning = 0;
  std::string on_update;  // "require_healthy" (default), "ignore_warnings", "ignore"
  std::optional<CheckRestart> check_restart;

  bool operator==(const ServiceCheck&) const = default;
};

// `service` block (group or task level).
struct Service {
  std::string name;
  std::string task_name;     // HCL `task`
  std::string port_label;    // HCL `port`
  std::string address_mode;  // "auto" (default), "host", "driver", "alloc"
  std::string address;
  std::vector<std::string> tags;
  std::vector<std::string> canary_tags;
  bool enable_tag_override = false;
  std::map<std::string, std::string> meta;
  std::map<std::string, std::string> canary_meta;
  std::map<std::string, std::string> tagged_addresses;
  std::string provider;  // "consul" (default) or "nomad"
  std::string cluster;   // Consul cluster name (default "default")
  std::vector<ServiceCheck> checks;
  std::optional<CheckRestart> check_restart;
  RawJson connect;  // the `connect` block, free-form
  std::string on_update;
  RawJson identity;  // the service's workload `identity`, free-form

  bool operator==(const Service&) const = default;
};

// `device` block inside `resources`. JSON: Name, Count, Constraints, Affinities.
struct RequestedDevice {
  std::string name;  // "<vendor>/<type>/<name>", or a prefix of it
  int count = 0;     // default 1
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;

  bool operator==(const RequestedDevice&) const = default;
};

// `resources` block. JSON: CPU, Cores, MemoryMB, MemoryMaxMB, DiskMB, Networks, Devices.
struct Resources {
  int cpu = 0;  // MHz; default 100 (when cores is 0)
  int cores = 0;
  int memory_mb = 0;                      // HCL `memory`; default 300
  int memory_max_mb = 0;                  // HCL `memory_max`
  int disk_mb = 0;                        // deprecated, see ephemeral_disk
  std::vector<NetworkResource> networks;  // legacy task-level networks
  std::vector<RequestedDevice> devices;

  bool operator==(const Resources&) const = default;
};

// `lifecycle` block. JSON: Hook, Sidecar.
struct TaskLifecycle {
  std::string hook;  // "prestart", "poststart", "poststop"
  bool sidecar = false;

  bool operator==(const TaskLifecycle&) const = default;
};

// `logs` block. JSON: MaxFiles, MaxFileSizeMB, Disabled.
struct LogConfig {
  int max_files = 0;         // default 10
  int max_file_size_mb = 0;  // HCL `max_file_size`; default 10
  bool disabled = false;

  bool operator==(const LogConfig&) const = default;
};

// `artifact` block. JSON: GetterSource, GetterOptions, GetterHeaders,
// GetterMode, RelativeDest.
struct TaskArtifact {
  std::string getter_source;                          // HCL `source`
  std::map<std::string, std::string> getter_options;  // HCL `options`
  std::map<std::string, std::string> getter_headers;  // HCL `headers`
  std::string getter_mode;                            // HCL `mode`: "any" (default), "file", "dir"
  std::string relative_dest;                          // HCL `destination`; default "local/"

  bool operator==(const TaskArtifact&) const = default;
};

// `template.change_script` block. JSON: Command, Args, Timeout, FailOnError.
struct ChangeScript {
  std::string command;
  std::vector<std::string> args;
  Duration timeout{0};  // default 5s
  bool fail_on_error = false;

  bool operator==(const ChangeScript&) const = default;
};

// `template.wait` block. JSON: Min, Max.
struct WaitConfig {
  std::optional<Duration> min;
  std::optional<Duration> max;

  bool operator==(const WaitConfig&) const = default;
};

// `template` block. JSON: SourcePath, DestPath, EmbeddedTmpl, ChangeMode,
// ChangeSignal, ChangeScript, Splay, Perms, Uid, Gid, LeftDelim, RightDelim,
// Envvar, VaultGrace, Wait, ErrMissingKey, Once.
struct Template {
  std::string source_path;    // HCL `source`
  std::string dest_path;      // HCL `destination`
  std::string embedded_tmpl;  // HCL `data`
  std::string change_mode;    // "restart" (default), "noop", "signal", "script"
  std::string change_signal;
  std::optional<ChangeScript> change_script;
  std::optional<Duration> splay;  // default 5s; 0 is valid
  std::string perms;              // octal string, default "0644"
  std::optional<int> uid;
  std::optional<int> gid;
  std::string left_delim;   // default "{{"
  std::string right_delim;  // default "}}"
  bool envvars = false;      // HCL `env`
  Duration vault_grace{0};  // deprecated
  std::optional<WaitConfig> wait;
  bool err_missing_key = false;
  bool once = false;

  bool operator==(const Template&) const = default;
};

// `volume_mount` block. JSON: Volume, Destination, ReadOnly, PropagationMode, SELinuxLabel.
struct VolumeMount {
  std::string volume;
  std::string destination;
  bool read_only = false;
  std::string propagation_mode;  // "private" (default), "host-to-task", "bidirectional"
  std::string selinux_label;     // JSON "SELinuxLabel"

  bool operator==(const VolumeMount&) const = default;
};

// `dispatch_payload` block. JSON: File.
struct DispatchPayloadConfig {
  std::string file;

  bool operator==(const DispatchPayloadConfig&) const = default;
};

// `consul` block (group or task level). JSON: Namespace, Cluster, Partition.
struct ConsulConfig {
  std::string namespace_name;  // JSON "Namespace"
  std::string cluster;
  std::string partition;

  bool operator==(const ConsulConfig&) const = default;
};

// `task` block.
struct Task {
  std::string name;
  std::string driver;
  std::string user;
  RawJson config;  // driver configuration, free-form
  std::map<std::string, std::string> env;
  std::vector<Service> services;
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  Resources resources;
  std::optional<RestartPolicy> restart_policy;  // task-level override of the group's
  std::map<std::string, std::string> meta;
  std::optional<Duration> kill_timeout;  // default 5s
  std::string kill_signal;
  std::optional<LogConfig> log_config;  // HCL `logs`
  std::vector<TaskArtifact> artifacts;
  std::vector<Template> templates;
  std::optional<TaskLifecycle> lifecycle;
  bool leader = false;
  Duration shutdown_delay{0};
  std::vector<VolumeMount> volume_mounts;
  RawJson vault;  // the `vault` block, free-form
  std::optional<ConsulConfig> consul;
  RawJson identity;                 // the default workload `identity`, free-form
  std::vector<RawJson> identities;  // named identities, free-form
  std::optional<DispatchPayloadConfig> dispatch_payload;
  std::string kind;  // set for Connect sidecars/gateways

  bool operator==(const Task&) const = default;
};

// `volume` block inside a group (the map key is the volume's name).
// JSON: Name, Type, Source, ReadOnly, AccessMode, AttachmentMode, PerAlloc,
// Sticky, MountOptions {FSType, MountFlags}.
struct CsiMountOptions {
  std::string fs_type;  // JSON "FSType"
  std::vector<std::string> mount_flags;

  bool operator==(const CsiMountOptions&) const = default;
};

struct VolumeRequest {
  std::string name;
  std::string type;  // "host" or "csi"
  std::string source;
  bool read_only = false;
  std::string access_mode;
  std::string attachment_mode;
  bool per_alloc = false;
  bool sticky = false;
  std::optional<CsiMountOptions> mount_options;

  bool operator==(const VolumeRequest&) const = default;
};

// `scaling` block (group level). JSON: Type, Min, Max, Enabled, Policy.
struct ScalingPolicy {
  std::string type;            // default "horizontal"
  std::optional<int64_t> min;  // default: the group's count
  int64_t max = 0;
  std::optional<bool> enabled;  // default true
  RawJson policy;               // autoscaler policy, free-form

  bool operator==(const ScalingPolicy&) const = default;
};

// `disconnect` block (group level). JSON: LostAfter, Replace, Reconcile, StopOnClientAfter.
struct DisconnectStrategy {
  std::optional<Duration> lost_after;
  std::optional<bool> replace;  // default true
  std::string reconcile;        // "best_score" (default), "keep_original", "keep_replacement"
  std::optional<Duration> stop_on_client_after;

  bool operator==(const DisconnectStrategy&) const = default;
};

// `group` block.
struct TaskGroup {
  std::string name;
  std::optional<int> count;  // default 1 (or scaling.min); 0 is valid
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::vector<Task> tasks;
  std::optional<RestartPolicy> restart_policy;        // HCL `restart`
  std::optional<ReschedulePolicy> reschedule_policy;  // HCL `reschedule`
  std::optional<EphemeralDisk> ephemeral_disk;
  std::optional<UpdateStrategy> update;
  std::optional<MigrateStrategy> migrate;
  std::vector<NetworkResource> networks;
  std::vector<Service> services;
  std::map<std::string, VolumeRequest> volumes;
  std::optional<ScalingPolicy> scaling;
  std::map<std::string, std::string> meta;
  std::optional<Duration> shutdown_delay;
  std::optional<Duration> stop_after_client_disconnect;
  std::optional<Duration> max_client_disconnect;
  bool prevent_reschedule_on_lost = false;
  std::optional<ConsulConfig> consul;
  std::optional<DisconnectStrategy> disconnect;

  bool operator==(const TaskGroup&) const = default;
};

// `job` block.
struct Job {
  std::string id;              // JSON "ID"; the job block's label
  std::string name;            // default: id
  std::string namespace_name;  // JSON "Namespace"; default "default"
  std::string region;          // default "global"
  std::string type;            // kJobType*; default "service"
  int priority = 0;            // 1..100; default 50
  bool all_at_once = false;
  std::vector<std::string> datacenters;  // default ["*"]
  std::string node_pool;                 // default "default"
  std::vector<Constraint> constraints;
  std::vector<Affinity> affinities;
  std::vector<Spread> spreads;
  std::vector<TaskGroup> task_groups;  // HCL `group` blocks
  std::optional<UpdateStrategy> update;
  std::optional<MigrateStrategy> migrate;
  std::optional<ReschedulePolicy> reschedule;
  std::optional<PeriodicConfig> periodic;
  std::optional<ParameterizedJobConfig> parameterized_job;  // HCL `parameterized`
  std::map<std::string, std::string> meta;
  std::string consul_token;
  std::string consul_namespace;
  std::string vault_token;
  std::string vault_namespace;

  // Server-side state (JSON: Stop, ParentID, Dispatched, Status, StatusDescription,
  // Stable, Version, SubmitTime, CreateIndex, ModifyIndex, JobModifyIndex).
  bool stop = false;  // `job stop` without -purge keeps the job with stop = true
  std::string parent_id;
  bool dispatched = false;
  std::string status;  // "pending", "running", "dead"
  std::string status_description;
  bool stable = false;
  int64_t version = 0;
  int64_t submit_time = 0;  // ns since the epoch
  int64_t create_index = 0;
  int64_t modify_index = 0;
  int64_t job_modify_index = 0;  // index of the last change to the specification

  bool operator==(const Job&) const = default;
};

}  // namespace caravan::model
