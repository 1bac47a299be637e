// Decoding of `group` blocks: count, tasks, networks and ports, services,
// volumes, scaling, ephemeral_disk, disconnect and the group-level policies.
#include "jobspec/internal/decode.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& group_schema() {
  static const Schema kSchema{
      .attributes = {"count", "shutdown_delay", "stop_after_client_disconnect",
                     "max_client_disconnect", "prevent_reschedule_on_lost"},
      .blocks = {{.type = "task", .labels = {"name"}},
                 {.type = "constraint"},
                 {.type = "affinity"},
                 {.type = "spread"},
                 {.type = "restart", .single = true},
                 {.type = "reschedule", .single = true},
                 {.type = "ephemeral_disk", .single = true},
                 {.type = "update", .single = true},
                 {.type = "migrate", .single = true},
                 {.type = "network"},
                 {.type = "service"},
                 {.type = "volume", .labels = {"name"}},
                 {.type = "scaling", .single = true},
                 {.type = "consul", .single = true},
                 {.type = "disconnect", .single = true}},
      .maps = {"meta"},
  };
  return kSchema;
}

const Schema& network_schema() {
  static const Schema kSchema{
      .attributes = {"mode", "hostname", "mbits"},
      .blocks = {{.type = "port", .labels = {"label"}},
                 {.type = "dns", .single = true},
                 {.type = "cni", .single = true}},
  };
  return kSchema;
}

const Schema& port_schema() {
  static const Schema kSchema{.attributes = {"static", "to", "host_network"}};
  return kSchema;
}

const Schema& dns_schema() {
  static const Schema kSchema{.attributes = {"servers", "searches", "options"}};
  return kSchema;
}

const Schema& ephemeral_disk_schema() {
  static const Schema kSchema{.attributes = {"sticky", "size", "migrate"}};
  return kSchema;
}

const Schema& volume_schema() {
  static const Schema kSchema{
      .attributes = {"type", "source", "read_only", "access_mode", "attachment_mode", "per_alloc",
                     "sticky"},
      .blocks = {{.type = "mount_options", .single = true}},
  };
  return kSchema;
}

const Schema& mount_options_schema() {
  static const Schema kSchema{.attributes = {"fs_type", "mount_flags"}};
  return kSchema;
}

const Schema& scaling_schema() {
  static const Schema kSchema{
      .attributes = {"min", "max", "enabled", "type"},
      .required = {"max"},
      .blocks = {{.type = "policy", .single = true}},
  };
  return kSchema;
}

const Schema& disconnect_schema() {
  static const Schema kSchema{
      .attributes = {"lost_after", "replace", "reconcile", "stop_on_client_after"}};
  return kSchema;
}

void decode_volume(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::VolumeRequest* out) {
  BodyDecoder d = ctx.open(block, volume_schema(), path);
  out->name = block.labels[0];
  d.read("type", "Type", &out->type);
  d.read("source", "Source", &out->source);
  d.read("read_only", "ReadOnly", &out->read_only);
  d.read("access_mode", "AccessMode", &out->access_mode);
  d.read("attachment_mode", "AttachmentMode", &out->attachment_mode);
  d.read("per_alloc", "PerAlloc", &out->per_alloc);
  d.read("sticky", "Sticky", &out->sticky);
  if (const hcl::Block* b = d.block("mount_options")) {
    BodyDecoder md = ctx.open(*b, mount_options_schema(), d.child_path("MountOptions"));
    model::CsiMountOptions options;
    md.read("fs_type", "FSType", &options.fs_type);
    md.read("mount_flags", "MountFlags", &options.mount_flags);
    out->mount_options = std::move(options);
  }
}

void decode_scaling(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::ScalingPolicy* out) {
  BodyDecoder d = ctx.open(block, scaling_schema(), path);
  d.read("min", "Min", &out->min);
  d.read("max", "Max", &out->max);
  d.read("enabled", "Enabled", &out->enabled);
  d.read("type", "Type", &out->type);
  if (const hcl::Block* b = d.block("policy")) {
    out->policy = decode_free_form(*b, ctx, d.child_path("Policy"), /*api_keys=*/false);
  }
}

}  // namespace

void decode_network(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::NetworkResource* out) {
  BodyDecoder d = ctx.open(block, network_schema(), path);
  d.read("mode", "Mode", &out->mode);
  d.read("hostname", "Hostname", &out->hostname);
  d.read("mbits", "MBits", &out->mbits);
  for (const hcl::Block* b : d.blocks("port")) {
    // Ports with a static value are reserved ports, the rest dynamic (Nomad's split).
    bool is_static = false;
    if (const hcl::Attribute* s = b->body.find_attribute("static")) {
      is_static = !(s->expr->as<hcl::LiteralExpr>() != nullptr &&
                    s->expr->as<hcl::LiteralExpr>()->value.is_null());
    }
    std::vector<model::Port>& list = is_static ? out->reserved_ports : out->dynamic_ports;
    std::string ppath =
        index_path(d.child_path(is_static ? "ReservedPorts" : "DynamicPorts"), list.size());
    BodyDecoder pd = ctx.open(*b, port_schema(), ppath);
    model::Port port;
    port.label = b->labels[0];
    pd.record(join_path(ppath, "Label"), b->label_ranges[0]);
    pd.read("static", "Value", &port.value);
    pd.read("to", "To", &port.to);
    pd.read("host_network", "HostNetwork", &port.host_network);
    list.push_back(std::move(port));
  }
  if (const hcl::Block* b = d.block("dns")) {
    BodyDecoder dd = ctx.open(*b, dns_schema(), d.child_path("DNS"));
    model::DnsConfig dns;
    dd.read("servers", "Servers", &dns.servers);
    dd.read("searches", "Searches", &dns.searches);
    dd.read("options", "Options", &dns.options);
    out->dns = std::move(dns);
  }
  if (const hcl::Block* b = d.block("cni")) ctx.ignored(*b);
}

void decode_group(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                  model::TaskGroup* group) {
  BodyDecoder d = ctx.open(block, group_schema(), path);
  group->name = block.labels[0];
  d.record(join_path(path, "Name"), block.label_ranges[0]);
  d.read("count", "Count", &group->count);
  d.read("shutdown_delay", "ShutdownDelay", &group->shutdown_delay);
  d.read("stop_after_client_disconnect", "StopAfterClientDisconnect",
         &group->stop_after_client_disconnect);
  d.read("max_client_disconnect", "MaxClientDisconnect", &group->max_client_disconnect);
  d.read("prevent_reschedule_on_lost", "PreventRescheduleOnLost",
         &group->prevent_reschedule_on_lost);
  d.read("meta", "Meta", &group->meta);
  decode_placement(d, ctx, &group->constraints, &group->affinities, &group->spreads);

  if (const hcl::Block* b = d.block("restart")) {
    model::RestartPolicy restart;
    decode_restart(*b, ctx, d.child_path("RestartPolicy"), &restart);
    group->restart_policy = restart;
  }
  if (const hcl::Block* b = d.block("reschedule")) {
    model::ReschedulePolicy reschedule;
    decode_reschedule(*b, ctx, d.child_path("ReschedulePolicy"), &reschedule);
    group->reschedule_policy = reschedule;
  }
  if (const hcl::Block* b = d.block("ephemeral_disk")) {
    BodyDecoder ed = ctx.open(*b, ephemeral_disk_schema(), d.child_path("EphemeralDisk"));
    model::EphemeralDisk disk;
    ed.read("sticky", "Sticky", &disk.sticky);
    ed.read("size", "SizeMB", &disk.size_mb);
    ed.read("migrate", "Migrate", &disk.migrate);
    group->ephemeral_disk = disk;
  }
  if (const hcl::Block* b = d.block("update")) {
    model::UpdateStrategy update;
    decode_update(*b, ctx, d.child_path("Update"), &update);
    group->update = update;
  }
  if (const hcl::Block* b = d.block("migrate")) {
    model::MigrateStrategy migrate;
    decode_migrate(*b, ctx, d.child_path("Migrate"), &migrate);
    group->migrate = migrate;
  }
  std::string networks = d.child_path("Networks");
  for (const hcl::Block* b : d.blocks("network")) {
    model::NetworkResource n;
    decode_network(*b, ctx, index_path(networks, group->networks.size()), &n);
    group->networks.push_back(std::move(n));
  }
  std::string services = d.child_path("Services");
  for (const hcl::Block* b : d.blocks("service")) {
    model::Service service;
    decode_service(*b, ctx, index_path(services, group->services.size()), &service);
    group->services.push_back(std::move(service));
  }
  std::string volumes = d.child_path("Volumes");
  for (const hcl::Block* b : d.blocks("volume")) {
    const std::string& name = b->labels[0];
    if (group->volumes.contains(name)) {
      ctx.diags.error(b->label_ranges[0], "Duplicate volume block",
                      "A volume named \"" + name +
                          "\" is already defined in this group; volume names must be unique.");
      continue;
    }
    model::VolumeRequest volume;
    decode_volume(*b, ctx, key_path(volumes, name), &volume);
    group->volumes[name] = std::move(volume);
  }
  if (const hcl::Block* b = d.block("scaling")) {
    model::ScalingPolicy scaling;
    decode_scaling(*b, ctx, d.child_path("Scaling"), &scaling);
    group->scaling = std::move(scaling);
  }
  if (const hcl::Block* b = d.block("consul")) {
    model::ConsulConfig consul;
    decode_consul(*b, ctx, d.child_path("Consul"), &consul);
    group->consul = consul;
  }
  if (const hcl::Block* b = d.block("disconnect")) {
    BodyDecoder dd = ctx.open(*b, disconnect_schema(), d.child_path("Disconnect"));
    model::DisconnectStrategy disconnect;
    dd.read("lost_after", "LostAfter", &disconnect.lost_after);
    dd.read("replace", "Replace", &disconnect.replace);
    dd.read("reconcile", "Reconcile", &disconnect.reconcile);
    dd.read("stop_on_client_after", "StopOnClientAfter", &disconnect.stop_on_client_after);
    group->disconnect = disconnect;
  }
  std::string tasks = d.child_path("Tasks");
  for (const hcl::Block* b : d.blocks("task")) {
    model::Task task;
    decode_task(*b, ctx, index_path(tasks, group->tasks.size()), &task);
    group->tasks.push_back(std::move(task));
  }
}

}  // namespace caravan::jobspec::internal
