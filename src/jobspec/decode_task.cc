// Decoding of `task` blocks and everything inside them: the free-form driver
// `config`, resources and devices, artifacts, templates, lifecycle, logs,
// volume mounts, dispatch_payload, and the vault/identity blocks kept as JSON.
#include <fmt/format.h>

#include "jobspec/internal/decode.h"
#include "jobspec/internal/free_form.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& task_schema() {
  static const Schema kSchema{
      .attributes = {"driver", "user", "kill_timeout", "kill_signal", "leader", "shutdown_delay",
                     "kind"},
      .required = {"driver"},
      .blocks = {{.type = "service"},
                 {.type = "constraint"},
                 {.type = "affinity"},
                 {.type = "resources", .single = true},
                 {.type = "restart", .single = true},
                 {.type = "logs", .single = true},
                 {.type = "artifact"},
                 {.type = "template"},
                 {.type = "lifecycle", .single = true},
                 {.type = "volume_mount"},
                 {.type = "vault", .single = true},
                 {.type = "consul", .single = true},
                 {.type = "identity"},
                 {.type = "dispatch_payload", .single = true},
                 {.type = "csi_plugin", .single = true},
                 {.type = "scaling", .labels = {"name"}},
                 {.type = "action", .labels = {"name"}}},
      // `config` is free-form: `config { … }` or `config = { … }`.
      .maps = {"env", "meta", "config"},
  };
  return kSchema;
}

const Schema& resources_schema() {
  static const Schema kSchema{
      .attributes = {"cpu", "cores", "memory", "memory_max", "disk", "iops"},
      .blocks = {{.type = "network"},
                 {.type = "device", .labels = {"name"}},
                 {.type = "numa", .single = true}},
  };
  return kSchema;
}

const Schema& device_schema() {
  static const Schema kSchema{
      .attributes = {"count"},
      .blocks = {{.type = "constraint"}, {.type = "affinity"}},
  };
  return kSchema;
}

const Schema& artifact_schema() {
  static const Schema kSchema{
      .attributes = {"source", "destination", "mode", "chown"},
      .required = {"source"},
      .maps = {"options", "headers"},
  };
  return kSchema;
}

const Schema& template_schema() {
  static const Schema kSchema{
      .attributes = {"source", "destination", "data", "change_mode", "change_signal", "splay",
                     "perms", "uid", "gid", "left_delimiter", "right_delimiter", "env",
                     "vault_grace", "error_on_missing_key", "once"},
      .blocks = {{.type = "change_script", .single = true}, {.type = "wait", .single = true}},
  };
  return kSchema;
}

const Schema& change_script_schema() {
  static const Schema kSchema{
      .attributes = {"command", "args", "timeout", "fail_on_error"},
      .required = {"command"},
  };
  return kSchema;
}

const Schema& wait_schema() {
  static const Schema kSchema{.attributes = {"min", "max"}};
  return kSchema;
}

const Schema& lifecycle_schema() {
  static const Schema kSchema{.attributes = {"hook", "sidecar"}, .required = {"hook"}};
  return kSchema;
}

const Schema& logs_schema() {
  static const Schema kSchema{.attributes = {"max_files", "max_file_size", "disabled", "enabled"}};
  return kSchema;
}

const Schema& volume_mount_schema() {
  static const Schema kSchema{
      .attributes = {"volume", "destination", "read_only", "propagation_mode", "selinux_label"}};
  return kSchema;
}

const Schema& dispatch_payload_schema() {
  static const Schema kSchema{.attributes = {"file"}, .required = {"file"}};
  return kSchema;
}

void decode_resources(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                      model::Resources* out) {
  BodyDecoder d = ctx.open(block, resources_schema(), path);
  // An explicit value below Nomad's minimum is an error here: the model cannot
  // tell `memory = 0` from an omitted memory once defaults are applied.
  if (d.read("cpu", "CPU", &out->cpu) && out->cpu < 1) {
    ctx.diags.error(d.attribute("cpu")->expr->range, "Invalid resources",
                    fmt::format("cpu must be at least 1 MHz; got {}.", out->cpu));
  }
  d.read("cores", "Cores", &out->cores);
  if (d.read("memory", "MemoryMB", &out->memory_mb) && out->memory_mb < 10) {
    ctx.diags.error(d.attribute("memory")->expr->range, "Invalid resources",
                    fmt::format("memory must be at least 10 MB; got {}.", out->memory_mb));
  }
  d.read("memory_max", "MemoryMaxMB", &out->memory_max_mb);
  d.read("disk", "DiskMB", &out->disk_mb);
  int iops = 0;
  d.read("iops", "IOPS", &iops);  // deprecated and ignored by Nomad
  std::string networks = d.child_path("Networks");
  for (const hcl::Block* b : d.blocks("network")) {
    model::NetworkResource n;
    decode_network(*b, ctx, index_path(networks, out->networks.size()), &n);
    out->networks.push_back(std::move(n));
  }
  std::string devices = d.child_path("Devices");
  for (const hcl::Block* b : d.blocks("device")) {
    std::string dpath = index_path(devices, out->devices.size());
    BodyDecoder dd = ctx.open(*b, device_schema(), dpath);
    model::RequestedDevice device;
    device.name = b->labels[0];
    dd.record(join_path(dpath, "Name"), b->label_ranges[0]);
    dd.read("count", "Count", &device.count);
    decode_placement(dd, ctx, &device.constraints, &device.affinities, nullptr);
    out->devices.push_back(std::move(device));
  }
  if (const hcl::Block* b = d.block("numa")) ctx.ignored(*b);
}

void decode_artifact(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::TaskArtifact* out) {
  BodyDecoder d = ctx.open(block, artifact_schema(), path);
  d.read("source", "GetterSource", &out->getter_source);
  d.read("destination", "RelativeDest", &out->relative_dest);
  d.read("mode", "GetterMode", &out->getter_mode);
  d.read("options", "GetterOptions", &out->getter_options);
  d.read("headers", "GetterHeaders", &out->getter_headers);
  std::string chown;
  d.read("chown", "Chown", &chown);
}

void decode_template(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::Template* out) {
  BodyDecoder d = ctx.open(block, template_schema(), path);
  d.read("source", "SourcePath", &out->source_path);
  d.read("destination", "DestPath", &out->dest_path);
  d.read("data", "EmbeddedTmpl", &out->embedded_tmpl);
  d.read("change_mode", "ChangeMode", &out->change_mode);
  d.read("change_signal", "ChangeSignal", &out->change_signal);
  d.read("splay", "Splay", &out->splay);
  d.read("perms", "Perms", &out->perms);
  d.read("uid", "Uid", &out->uid);
  d.read("gid", "Gid", &out->gid);
  d.read("left_delimiter", "LeftDelim", &out->left_delim);
  d.read("right_delimiter", "RightDelim", &out->right_delim);
  d.read("env", "Envvars", &out->envvars);
  d.read("vault_grace", "VaultGrace", &out->vault_grace);
  d.read("error_on_missing_key", "ErrMissingKey", &out->err_missing_key);
  d.read("once", "Once", &out->once);
  if (const hcl::Block* b = d.block("change_script")) {
    BodyDecoder cd = ctx.open(*b, change_script_schema(), d.child_path("ChangeScript"));
    model::ChangeScript script;
    cd.read("command", "Command", &script.command);
    cd.read("args", "Args", &script.args);
    cd.read("timeout", "Timeout", &script.timeout);
    cd.read("fail_on_error", "FailOnError", &script.fail_on_error);
    out->change_script = std::move(script);
  }
  if (const hcl::Block* b = d.block("wait")) {
    BodyDecoder wd = ctx.open(*b, wait_schema(), d.child_path("Wait"));
    model::WaitConfig wait;
    wd.read("min", "Min", &wait.min);
    wd.read("max", "Max", &wait.max);
    out->wait = wait;
  }
}

// `config { … }` or `config = { … }`: the driver's settings as JSON.
void decode_config(const BodyDecoder& d, const DecodeContext& ctx, model::Task* task) {
  std::string path = d.child_path("Config");
  for (const hcl::Block& block : d.body().blocks) {
    if (block.type != "config" || !block.labels.empty()) continue;  // labels: reported already
    task->config = decode_free_form(block, ctx, path, /*api_keys=*/false);
    return;
  }
  if (const hcl::Attribute* attr = d.attribute("config")) {
    hcl::Value v = hcl::evaluate(*attr->expr, ctx.eval, ctx.diags);
    if (v.is_unknown() || v.is_null()) return;
    if (!v.is_object()) {
      d.type_error(*attr, "object required");
      return;
    }
    if (ctx.sources != nullptr) ctx.sources->record(path, attr->expr->range);
    task->config = value_to_json(v);
  }
}

}  // namespace

void decode_task(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                 model::Task* task) {
  BodyDecoder d = ctx.open(block, task_schema(), path);
  task->name = block.labels[0];
  d.record(join_path(path, "Name"), block.label_ranges[0]);
  d.read("driver", "Driver", &task->driver);
  d.read("user", "User", &task->user);
  d.read("kill_timeout", "KillTimeout", &task->kill_timeout);
  d.read("kill_signal", "KillSignal", &task->kill_signal);
  d.read("leader", "Leader", &task->leader);
  d.read("shutdown_delay", "ShutdownDelay", &task->shutdown_delay);
  d.read("kind", "Kind", &task->kind);
  d.read("env", "Env", &task->env);
  d.read("meta", "Meta", &task->meta);
  decode_config(d, ctx, task);
  decode_placement(d, ctx, &task->constraints, &task->affinities, nullptr);

  std::string services = d.child_path("Services");
  for (const hcl::Block* b : d.blocks("service")) {
    model::Service service;
    decode_service(*b, ctx, index_path(services, task->services.size()), &service);
    task->services.push_back(std::move(service));
  }
  if (const hcl::Block* b = d.block("resources")) {
    decode_resources(*b, ctx, d.child_path("Resources"), &task->resources);
  }
  if (const hcl::Block* b = d.block("restart")) {
    model::RestartPolicy restart;
    decode_restart(*b, ctx, d.child_path("RestartPolicy"), &restart);
    task->restart_policy = restart;
  }
  if (const hcl::Block* b = d.block("logs")) {
    BodyDecoder ld = ctx.open(*b, logs_schema(), d.child_path("LogConfig"));
    model::LogConfig logs;
    ld.read("max_files", "MaxFiles", &logs.max_files);
    ld.read("max_file_size", "MaxFileSizeMB", &logs.max_file_size_mb);
    ld.read("disabled", "Disabled", &logs.disabled);
    bool enabled = true;
    if (ld.read("enabled", "Disabled", &enabled)) logs.disabled = !enabled;
    task->log_config = logs;
  }
  std::string artifacts = d.child_path("Artifacts");
  for (const hcl::Block* b : d.blocks("artifact")) {
    model::TaskArtifact artifact;
    decode_artifact(*b, ctx, index_path(artifacts, task->artifacts.size()), &artifact);
    task->artifacts.push_back(std::move(artifact));
  }
  std::string templates = d.child_path("Templates");
  for (const hcl::Block* b : d.blocks("template")) {
    model::Template tmpl;
    decode_template(*b, ctx, index_path(templates, task->templates.size()), &tmpl);
    task->templates.push_back(std::move(tmpl));
  }
  if (const hcl::Block* b = d.block("lifecycle")) {
    BodyDecoder ld = ctx.open(*b, lifecycle_schema(), d.child_path("Lifecycle"));
    model::TaskLifecycle lifecycle;
    ld.read("hook", "Hook", &lifecycle.hook);
    ld.read("sidecar", "Sidecar", &lifecycle.sidecar);
    task->lifecycle = lifecycle;
  }
  std::string mounts = d.child_path("VolumeMounts");
  for (const hcl::Block* b : d.blocks("volume_mount")) {
    BodyDecoder vd =
        ctx.open(*b, volume_mount_schema(), index_path(mounts, task->volume_mounts.size()));
    model::VolumeMount mount;
    vd.read("volume", "Volume", &mount.volume);
    vd.read("destination", "Destination", &mount.destination);
    vd.read("read_only", "ReadOnly", &mount.read_only);
    vd.read("propagation_mode", "PropagationMode", &mount.propagation_mode);
    vd.read("selinux_label", "SELinuxLabel", &mount.selinux_label);
    task->volume_mounts.push_back(std::move(mount));
  }
  if (const hcl::Block* b = d.block("vault")) {
    task->vault = decode_free_form(*b, ctx, d.child_path("Vault"), /*api_keys=*/true);
  }
  if (const hcl::Block* b = d.block("consul")) {
    model::ConsulConfig consul;
    decode_consul(*b, ctx, d.child_path("Consul"), &consul);
    task->consul = consul;
  }
  std::string identities = d.child_path("Identities");
  for (const hcl::Block* b : d.blocks("identity")) {
    // A named identity (`name = "vault_default"`) is one of Identities; the
    // unnamed one is the task's default workload identity.
    if (b->body.find_attribute("name") != nullptr) {
      task->identities.push_back(decode_free_form(
          *b, ctx, index_path(identities, task->identities.size()), /*api_keys=*/true));
    } else if (!task->identity.has_value()) {
      task->identity = decode_free_form(*b, ctx, d.child_path("Identity"), /*api_keys=*/true);
    } else {
      ctx.diags.error(b->type_range, "Duplicate identity block",
                      "Only one identity block without a name is allowed in a task; give the "
                      "others a `name`.");
    }
  }
  if (const hcl::Block* b = d.block("dispatch_payload")) {
    BodyDecoder pd = ctx.open(*b, dispatch_payload_schema(), d.child_path("DispatchPayload"));
    model::DispatchPayloadConfig payload;
    pd.read("file", "File", &payload.file);
    task->dispatch_payload = payload;
  }
  for (const char* type : {"csi_plugin", "scaling", "action"}) {
    for (const hcl::Block* b : d.blocks(type)) ctx.ignored(*b);
  }
}

}  // namespace caravan::jobspec::internal
