// The one list of every job-model struct's JSON fields: visit_fields(v, x) calls
// v("Key", x.member) for each field in Nomad's key order, and v.skip("Key") for
// keys Nomad sends that caravan knows but does not model (server-side state).
// The generic JSON encoder/decoder (model/internal/json_codec.h) walk these, so a
// new field is one line here. Private to caravan_model's .cc files.
#pragma once

#include <concepts>
#include <type_traits>

#include "model/job.h"

namespace caravan::model::internal {

// `S` is `T` or `const T` (the encoder visits const objects, the decoder mutable ones).
template <class S, class T>
concept StructOf = std::same_as<std::remove_const_t<S>, T>;

template <class V, StructOf<Constraint> S>
void visit_fields(V& v, S& x) {
  v("LTarget", x.l_target);
  v("RTarget", x.r_target);
  v("Operand", x.operand);
}

template <class V, StructOf<Affinity> S>
void visit_fields(V& v, S& x) {
  v("LTarget", x.l_target);
  v("RTarget", x.r_target);
  v("Operand", x.operand);
  v("Weight", x.weight);
}

template <class V, StructOf<SpreadTarget> S>
void visit_fields(V& v, S& x) {
  v("Value", x.value);
  v("Percent", x.percent);
}

template <class V, StructOf<Spread> S>
void visit_fields(V& v, S& x) {
  v("Attribute", x.attribute);
  v("Weight", x.weight);
  v("SpreadTarget", x.spread_target);
}

template <class V, StructOf<UpdateStrategy> S>
void visit_fields(V& v, S& x) {
  v("Stagger", x.stagger);
  v("MaxParallel", x.max_parallel);
  v("HealthCheck", x.health_check);
  v("MinHealthyTime", x.min_healthy_time);
  v("HealthyDeadline", x.healthy_deadline);
  v("ProgressDeadline", x.progress_deadline);
  v("AutoRevert", x.auto_revert);
  v("AutoPromote", x.auto_promote);
  v("Canary", x.canary);
}

template <class V, StructOf<MigrateStrategy> S>
void visit_fields(V& v, S& x) {
  v("MaxParallel", x.max_parallel);
  v("HealthCheck", x.health_check);
  v("MinHealthyTime", x.min_healthy_time);
  v("HealthyDeadline", x.healthy_deadline);
}

template <class V, StructOf<ReschedulePolicy> S>
void visit_fields(V& v, S& x) {
  v("Attempts", x.attempts);
  v("Interval", x.interval);
  v("Delay", x.delay);
  v("DelayFunction", x.delay_function);
  v("MaxDelay", x.max_delay);
  v("Unlimited", x.unlimited);
}

template <class V, StructOf<RestartPolicy> S>
void visit_fields(V& v, S& x) {
  v("Interval", x.interval);
  v("Attempts", x.attempts);
  v("Delay", x.delay);
  v("Mode", x.mode);
  v("RenderTemplates", x.render_templates);
}

template <class V, StructOf<EphemeralDisk> S>
void visit_fields(V& v, S& x) {
  v("Sticky", x.sticky);
  v("Migrate", x.migrate);
  v("SizeMB", x.size_mb);
}

template <class V, StructOf<PeriodicConfig> S>
void visit_fields(V& v, S& x) {
  v("Enabled", x.enabled);
  v("Spec", x.spec);
  v("Specs", x.specs);
  v("SpecType", x.spec_type);
  v("ProhibitOverlap", x.prohibit_overlap);
  v("TimeZone", x.time_zone);
}

template <class V, StructOf<ParameterizedJobConfig> S>
void visit_fields(V& v, S& x) {
  v("Payload", x.payload);
  v("MetaRequired", x.meta_required);
  v("MetaOptional", x.meta_optional);
}

template <class V, StructOf<Port> S>
void visit_fields(V& v, S& x) {
  v("Label", x.label);
  v("Value", x.value);
  v("To", x.to);
  v("HostNetwork", x.host_network);
}

template <class V, StructOf<DnsConfig> S>
void visit_fields(V& v, S& x) {
  v("Servers", x.servers);
  v("Searches", x.searches);
  v("Options", x.options);
}

template <class V, StructOf<NetworkResource> S>
void visit_fields(V& v, S& x) {
  v("Mode", x.mode);
  v("Device", x.device);
  v("CIDR", x.cidr);
  v("IP", x.ip);
  v("Hostname", x.hostname);
  v("MBits", x.mbits);
  v("DNS", x.dns);
  v("ReservedPorts", x.reserved_ports);
  v("DynamicPorts", x.dynamic_ports);
}

template <class V, StructOf<CheckRestart> S>
void visit_fields(V& v, S& x) {
  v("Limit", x.limit);
  v("Grace", x.grace);
  v("IgnoreWarnings", x.ignore_warnings);
}

template <class V, StructOf<ServiceCheck> S>
void visit_fields(V& v, S& x) {
  v.skip("Id");
  v("Name", x.name);
  v("Type", x.type);
  v("Command", x.command);
  v("Args", x.args);
  v("Path", x.path);
  v("Protocol", x.protocol);
  v("PortLabel", x.port_label);
  v("Expose", x.expose);
  v("AddressMode", x.address_mode);
  v("Advertise", x.advertise);
  v("Interval", x.interval);
  v("Timeout", x.timeout);
  v("CheckRestart", x.check_restart);
  v("InitialStatus", x.initial_status);
  v("Notes", x.notes);
  v("TLSServerName", x.tls_server_name);
  v("TLSSkipVerify", x.tls_skip_verify);
  v("Header", x.header);
  v("Method", x.method);
  v("Body", x.body);
  v("GRPCService", x.grpc_service);
  v("GRPCUseTLS", x.grpc_use_tls);
  v("TaskName", x.task_name);
  v("SuccessBeforePassing", x.success_before_passing);
  v("FailuresBeforeCritical", x.failures_before_critical);
  v("FailuresBeforeWarning", x.failures_before_warning);
  v("OnUpdate", x.on_update);
}

template <class V, StructOf<Service> S>
void visit_fields(V& v, S& x) {
  v.skip("Id");
  v("Name", x.name);
  v("Tags", x.tags);
  v("CanaryTags", x.canary_tags);
  v("EnableTagOverride", x.enable_tag_override);
  v("PortLabel", x.port_label);
  v("AddressMode", x.address_mode);
  v("Address", x.address);
  v("Checks", x.checks);
  v("CheckRestart", x.check_restart);
  v("Connect", x.connect);
  v("Meta", x.meta);
  v("CanaryMeta", x.canary_meta);
  v("TaggedAddresses", x.tagged_addresses);
  v("TaskName", x.task_name);
  v("OnUpdate", x.on_update);
  v("Identity", x.identity);
  v("Provider", x.provider);
  v("Cluster", x.cluster);
}

template <class V, StructOf<RequestedDevice> S>
void visit_fields(V& v, S& x) {
  v("Name", x.name);
  v("Count", x.count);
  v("Constraints", x.constraints);
  v("Affinities", x.affinities);
}

template <class V, StructOf<Resources> S>
void visit_fields(V& v, S& x) {
  v("CPU", x.cpu);
  v("Cores", x.cores);
  v("MemoryMB", x.memory_mb);
  v("MemoryMaxMB", x.memory_max_mb);
  v("DiskMB", x.disk_mb);
  v("Networks", x.networks);
  v("Devices", x.devices);
  v.skip("IOPS");  // removed from Nomad; still printed as null
}

template <class V, StructOf<TaskLifecycle> S>
void visit_fields(V& v, S& x) {
  v("Hook", x.hook);
  v("Sidecar", x.sidecar);
}

template <class V, StructOf<LogConfig> S>
void visit_fields(V& v, S& x) {
  v("MaxFiles", x.max_files);
  v("MaxFileSizeMB", x.max_file_size_mb);
  v("Disabled", x.disabled);
  v.skip("Enabled");  // deprecated inverse of Disabled
}

template <class V, StructOf<TaskArtifact> S>
void visit_fields(V& v, S& x) {
  v("GetterSource", x.getter_source);
  v("GetterOptions", x.getter_options);
  v("GetterHeaders", x.getter_headers);
  v("GetterMode", x.getter_mode);
  v("RelativeDest", x.relative_dest);
}

template <class V, StructOf<ChangeScript> S>
void visit_fields(V& v, S& x) {
  v("Command", x.command);
  v("Args", x.args);
  v("Timeout", x.timeout);
  v("FailOnError", x.fail_on_error);
}

template <class V, StructOf<WaitConfig> S>
void visit_fields(V& v, S& x) {
  v("Min", x.min);
  v("Max", x.max);
}

template <class V, StructOf<Template> S>
void visit_fields(V& v, S& x) {
  v("SourcePath", x.source_path);
  v("DestPath", x.dest_path);
  v("EmbeddedTmpl", x.embedded_tmpl);
  v("ChangeMode", x.change_mode);
  v("ChangeScript", x.change_script);
  v("ChangeSignal", x.change_signal);
  v("Splay", x.splay);
  v("Perms", x.perms);
  v("Uid", x.uid);
  v("Gid", x.gid);
  v("LeftDelim", x.left_delim);
  v("RightDelim", x.right_delim);
  v("Envvars", x.envvars);
  v("VaultGrace", x.vault_grace);
  v("Wait", x.wait);
  v("ErrMissingKey", x.err_missing_key);
  v("Once", x.once);
}

template <class V, StructOf<VolumeMount> S>
void visit_fields(V& v, S& x) {
  v("Volume", x.volume);
  v("Destination", x.destination);
  v("ReadOnly", x.read_only);
  v("PropagationMode", x.propagation_mode);
  v("SELinuxLabel", x.selinux_label);
}

template <class V, StructOf<DispatchPayloadConfig> S>
void visit_fields(V& v, S& x) {
  v("File", x.file);
}

template <class V, StructOf<ConsulConfig> S>
void visit_fields(V& v, S& x) {
  v("Namespace", x.namespace_name);
  v("Cluster", x.cluster);
  v("Partition", x.partition);
}

template <class V, StructOf<Task> S>
void visit_fields(V& v, S& x) {
  v("Name", x.name);
  v("Driver", x.driver);
  v("User", x.user);
  v("Lifecycle", x.lifecycle);
  v("Config", x.config);
  v("Constraints", x.constraints);
  v("Affinities", x.affinities);
  v("Env", x.env);
  v("Services", x.services);
  v("Resources", x.resources);
  v("RestartPolicy", x.restart_policy);
  v("Meta", x.meta);
  v("KillTimeout", x.kill_timeout);
  v("LogConfig", x.log_config);
  v("Artifacts", x.artifacts);
  v("Vault", x.vault);
  v("Consul", x.consul);
  v("Templates", x.templates);
  v("DispatchPayload", x.dispatch_payload);
  v("VolumeMounts", x.volume_mounts);
  v("Leader", x.leader);
  v("ShutdownDelay", x.shutdown_delay);
  v("KillSignal", x.kill_signal);
  v("Kind", x.kind);
  v("Identity", x.identity);
  v("Identities", x.identities);
}

template <class V, StructOf<CsiMountOptions> S>
void visit_fields(V& v, S& x) {
  v("FSType", x.fs_type);
  v("MountFlags", x.mount_flags);
}

template <class V, StructOf<VolumeRequest> S>
void visit_fields(V& v, S& x) {
  v("Name", x.name);
  v("Type", x.type);
  v("Source", x.source);
  v("ReadOnly", x.read_only);
  v("AccessMode", x.access_mode);
  v("AttachmentMode", x.attachment_mode);
  v("MountOptions", x.mount_options);
  v("PerAlloc", x.per_alloc);
  v("Sticky", x.sticky);
}

template <class V, StructOf<ScalingPolicy> S>
void visit_fields(V& v, S& x) {
  v.skip("ID");  // server-side: assigned on registration
  v.skip("Namespace");
  v.skip("Target");
  v("Type", x.type);
  v("Min", x.min);
  v("Max", x.max);
  v("Policy", x.policy);
  v("Enabled", x.enabled);
  v.skip("CreateIndex");
  v.skip("ModifyIndex");
}

template <class V, StructOf<DisconnectStrategy> S>
void visit_fields(V& v, S& x) {
  v("LostAfter", x.lost_after);
  v("Replace", x.replace);
  v("Reconcile", x.reconcile);
  v("StopOnClientAfter", x.stop_on_client_after);
}

template <class V, StructOf<TaskGroup> S>
void visit_fields(V& v, S& x) {
  v("Name", x.name);
  v("Count", x.count);
  v("Constraints", x.constraints);
  v("Affinities", x.affinities);
  v("Tasks", x.tasks);
  v("Spreads", x.spreads);
  v("Volumes", x.volumes);
  v("RestartPolicy", x.restart_policy);
  v("Disconnect", x.disconnect);
  v("ReschedulePolicy", x.reschedule_policy);
  v("EphemeralDisk", x.ephemeral_disk);
  v("Update", x.update);
  v("Migrate", x.migrate);
  v("Networks", x.networks);
  v("Meta", x.meta);
  v("Services", x.services);
  v("ShutdownDelay", x.shutdown_delay);
  v("StopAfterClientDisconnect", x.stop_after_client_disconnect);
  v("MaxClientDisconnect", x.max_client_disconnect);
  v("Scaling", x.scaling);
  v("Consul", x.consul);
  v("PreventRescheduleOnLost", x.prevent_reschedule_on_lost);
}

template <class V, StructOf<Job> S>
void visit_fields(V& v, S& x) {
  v("Region", x.region);
  v("Namespace", x.namespace_name);
  v("ID", x.id);
  v("Name", x.name);
  v("Type", x.type);
  v("Priority", x.priority);
  v("AllAtOnce", x.all_at_once);
  v("Datacenters", x.datacenters);
  v("NodePool", x.node_pool);
  v("Constraints", x.constraints);
  v("Affinities", x.affinities);
  v("TaskGroups", x.task_groups);
  v("Update", x.update);
  v("Spreads", x.spreads);
  v("Periodic", x.periodic);
  v("ParameterizedJob", x.parameterized_job);
  v("Reschedule", x.reschedule);
  v("Migrate", x.migrate);
  v("Meta", x.meta);
  v("ConsulToken", x.consul_token);
  v("ConsulNamespace", x.consul_namespace);
  v("VaultToken", x.vault_token);
  v("VaultNamespace", x.vault_namespace);
  v("Stop", x.stop);
  v("ParentID", x.parent_id);
  v("Dispatched", x.dispatched);
  v("Status", x.status);
  v("StatusDescription", x.status_description);
  v("Stable", x.stable);
  v("Version", x.version);
  v("SubmitTime", x.submit_time);
  v("CreateIndex", x.create_index);
  v("ModifyIndex", x.modify_index);
  v("JobModifyIndex", x.job_modify_index);
  // Known to Nomad, not modelled (see job.h).
  for (const char* key :
       {"DispatchIdempotencyToken", "Payload", "Multiregion", "UI", "VersionTag", "NomadTokenID"}) {
    v.skip(key);
  }
}

}  // namespace caravan::model::internal
