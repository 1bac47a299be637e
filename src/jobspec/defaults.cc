// Values follow Nomad's job specification documentation
// (developer.hashicorp.com/nomad/docs/job-specification/<block>) and what its
// API canonicalisation fills in; each group below names the block it is from.
#include "jobspec/defaults.h"

#include <chrono>
#include <filesystem>

namespace caravan::jobspec {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

template <class T, class U>
void set_if_unset(std::optional<T>& field, U value) {
  if (!field) field = std::move(value);
}

template <class T>
void merge_field(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

bool is_service(const model::Job& job) { return job.type == model::kJobTypeService; }
bool is_batch_like(const model::Job& job) {
  return job.type == model::kJobTypeBatch || job.type == model::kJobTypeSysBatch;
}
bool is_system_like(const model::Job& job) {
  return job.type == model::kJobTypeSystem || job.type == model::kJobTypeSysBatch;
}

// update block: "max_parallel (int: 1)", "health_check (string: "checks")",
// "min_healthy_time (string: "10s")", "healthy_deadline (string: "5m")",
// "progress_deadline (string: "10m")", auto_revert/auto_promote false, canary 0,
// "stagger (string: "30s")".
void default_update(model::UpdateStrategy& u) {
  set_if_unset(u.stagger, Duration(seconds(30)));
  set_if_unset(u.max_parallel, 1);
  set_if_unset(u.health_check, "checks");
  set_if_unset(u.min_healthy_time, Duration(seconds(10)));
  set_if_unset(u.healthy_deadline, Duration(minutes(5)));
  set_if_unset(u.progress_deadline, Duration(minutes(10)));
  set_if_unset(u.auto_revert, false);
  set_if_unset(u.auto_promote, false);
  set_if_unset(u.canary, 0);
}

void merge_update(model::UpdateStrategy& into, const model::UpdateStrategy& from) {
  merge_field(into.stagger, from.stagger);
  merge_field(into.max_parallel, from.max_parallel);
  merge_field(into.health_check, from.health_check);
  merge_field(into.min_healthy_time, from.min_healthy_time);
  merge_field(into.healthy_deadline, from.healthy_deadline);
  merge_field(into.progress_deadline, from.progress_deadline);
  merge_field(into.auto_revert, from.auto_revert);
  merge_field(into.auto_promote, from.auto_promote);
  merge_field(into.canary, from.canary);
}

// migrate block: max_parallel 1, health_check "checks", min_healthy_time 10s,
// healthy_deadline 5m; only service jobs are migrated this way.
void merge_migrate(model::MigrateStrategy& into, const model::MigrateStrategy& from) {
  merge_field(into.max_parallel, from.max_parallel);
  merge_field(into.health_check, from.health_check);
  merge_field(into.min_healthy_time, from.min_healthy_time);
  merge_field(into.healthy_deadline, from.healthy_deadline);
}

model::MigrateStrategy default_migrate() {
  return {.max_parallel = 1,
          .health_check = "checks",
          .min_healthy_time = Duration(seconds(10)),
          .healthy_deadline = Duration(minutes(5))};
}

// reschedule block, "Rescheduling during deployments"/defaults tables:
// service: delay 30s, delay_function exponential, max_delay 1h, unlimited true;
// batch: attempts 1, interval 24h, delay 5s, delay_function constant.
// system and sysbatch jobs are not rescheduled.
model::ReschedulePolicy default_reschedule(const model::Job& job) {
  if (is_batch_like(job)) {
    return {.attempts = 1,
            .interval = Duration(hours(24)),
            .delay = Duration(seconds(5)),
            .delay_function = "constant",
            .max_delay = Duration(0),
            .unlimited = false};
  }
  return {.attempts = 0,
          .interval = Duration(0),
          .delay = Duration(seconds(30)),
          .delay_function = "exponential",
          .max_delay = Duration(hours(1)),
          .unlimited = true};
}

void merge_reschedule(model::ReschedulePolicy& into, const model::ReschedulePolicy& from) {
  merge_field(into.attempts, from.attempts);
  merge_field(into.interval, from.interval);
  merge_field(into.delay, from.delay);
  merge_field(into.delay_function, from.delay_function);
  merge_field(into.max_delay, from.max_delay);
  merge_field(into.unlimited, from.unlimited);
}

// restart block: service and system jobs "attempts = 2, interval = 30m,
// delay = 15s, mode = fail"; batch and sysbatch "attempts = 3, interval = 24h,
// delay = 15s, mode = fail".
model::RestartPolicy default_restart(const model::Job& job) {
  if (is_batch_like(job)) {
    return {.attempts = 3,
            .interval = Duration(hours(24)),
            .delay = Duration(seconds(15)),
            .mode = "fail",
            .render_templates = false};
  }
  return {.attempts = 2,
          .interval = Duration(minutes(30)),
          .delay = Duration(seconds(15)),
          .mode = "fail",
          .render_templates = false};
}

void merge_restart(model::RestartPolicy& into, const model::RestartPolicy& from) {
  merge_field(into.attempts, from.attempts);
  merge_field(into.interval, from.interval);
  merge_field(into.delay, from.delay);
  merge_field(into.mode, from.mode);
  merge_field(into.render_templates, from.render_templates);
}

// constraint/affinity: operator "=" when omitted; affinity weight 50; spread
// weight 50 (affinity and spread blocks).
void default_placement(std::vector<model::Constraint>& constraints,
                       std::vector<model::Affinity>* affinities,
                       std::vector<model::Spread>* spreads) {
  for (model::Constraint& c : constraints) {
    if (c.operand.empty()) c.operand = "=";
  }
  if (affinities != nullptr) {
    for (model::Affinity& a : *affinities) {
      if (a.operand.empty()) a.operand = "=";
      if (a.weight == 0) a.weight = 50;
    }
  }
  if (spreads != nullptr) {
    for (model::Spread& s : *spreads) {
      if (s.weight == 0) s.weight = 50;
    }
  }
}

// network block: mode "host"; port host_network "default".
void default_network(model::NetworkResource& n) {
  if (n.mode.empty()) n.mode = "host";
  for (auto* ports : {&n.reserved_ports, &n.dynamic_ports}) {
    for (model::Port& p : *ports) {
      if (p.host_network.empty()) p.host_network = "default";
    }
  }
}

// check_restart block: grace "1s"; a service-level check_restart applies to
// every check, a check's own fields win.
void default_check_restart(model::CheckRestart& c) {
  if (c.grace == Duration(0)) c.grace = Duration(seconds(1));
}

// service block: name "<job>-<group>[-<task>]", provider "consul",
// address_mode "auto", on_update "require_healthy", cluster "default"; checks
// inherit the service's on_update and check_restart.
void default_service(model::Service& s, const std::string& default_name) {
  if (s.name.empty()) s.name = default_name;
  if (s.provider.empty()) s.provider = "consul";
  if (s.address_mode.empty()) s.address_mode = "auto";
  if (s.on_update.empty()) s.on_update = "require_healthy";
  if (s.cluster.empty()) s.cluster = "default";
  if (s.check_restart) default_check_restart(*s.check_restart);
  for (model::ServiceCheck& check : s.checks) {
    if (check.on_update.empty()) check.on_update = s.on_update;
    if (s.check_restart) {
      if (!check.check_restart) {
        check.check_restart = s.check_restart;
      } else {
        // A check's own nonzero settings win over the service's.
        model::CheckRestart merged = *s.check_restart;
        if (check.check_restart->limit != 0) merged.limit = check.check_restart->limit;
        if (check.check_restart->grace != Duration(0)) merged.grace = check.check_restart->grace;
        if (check.check_restart->ignore_warnings) merged.ignore_warnings = true;
        check.check_restart = merged;
      }
    }
    if (check.check_restart) default_check_restart(*check.check_restart);
  }
}

// template block: change_mode "restart", change_signal "SIGHUP" for signal
// mode, splay "5s", perms "0644", delimiters "{{" "}}"; change_script timeout 5s.
void default_template(model::Template& t) {
  if (t.change_mode.empty()) t.change_mode = "restart";
  if (t.change_mode == "signal" && t.change_signal.empty()) t.change_signal = "SIGHUP";
  set_if_unset(t.splay, Duration(seconds(5)));
  if (t.perms.empty()) t.perms = "0644";
  if (t.left_delim.empty()) t.left_delim = "{{";
  if (t.right_delim.empty()) t.right_delim = "}}";
  if (t.change_script && t.change_script->timeout == Duration(0)) {
    t.change_script->timeout = Duration(seconds(5));
  }
}

// artifact block: mode "any"; destination "local/" (for mode "file",
// "local/<file name of the source>").
void default_artifact(model::TaskArtifact& a) {
  if (a.getter_mode.empty()) a.getter_mode = "any";
  if (a.relative_dest.empty()) {
    if (a.getter_mode == "file") {
      std::string source = a.getter_source;
      if (size_t q = source.find('?'); q != std::string::npos) source.resize(q);
      a.relative_dest = "local/" + std::filesystem::path(source).filename().string();
    } else {
      a.relative_dest = "local/";
    }
  }
}

void default_task(model::Task& t, const model::Job& job, const model::TaskGroup& g) {
  // resources block: "cpu (int: 100)" unless cores is set, "memory (int: 300)";
  // device "count (int: 1)".
  if (t.resources.cpu == 0 && t.resources.cores == 0) t.resources.cpu = 100;
  if (t.resources.memory_mb == 0) t.resources.memory_mb = 300;
  for (model::NetworkResource& n : t.resources.networks) default_network(n);
  for (model::RequestedDevice& d : t.resources.devices) {
    if (d.count == 0) d.count = 1;
    default_placement(d.constraints, &d.affinities, nullptr);
  }
  // task block: "kill_timeout (string: "5s")".
  set_if_unset(t.kill_timeout, Duration(seconds(5)));
  // logs block: "max_files (int: 10)", "max_file_size (int: 10)".
  if (!t.log_config) t.log_config = model::LogConfig{};
  if (t.log_config->max_files == 0) t.log_config->max_files = 10;
  if (t.log_config->max_file_size_mb == 0) t.log_config->max_file_size_mb = 10;
  // A task-level restart block is merged onto the group's policy.
  if (g.restart_policy) {
    model::RestartPolicy merged = *g.restart_policy;
    if (t.restart_policy) merge_restart(merged, *t.restart_policy);
    t.restart_policy = merged;
  }
  default_placement(t.constraints, &t.affinities, nullptr);
  for (model::Service& s : t.services) default_service(s, job.name + "-" + g.name + "-" + t.name);
  for (model::TaskArtifact& a : t.artifacts) default_artifact(a);
  for (model::Template& tmpl : t.templates) default_template(tmpl);
  // volume_mount block: propagation_mode "private".
  for (model::VolumeMount& m : t.volume_mounts) {
    if (m.propagation_mode.empty()) m.propagation_mode = "private";
  }
}

void default_group(model::TaskGroup& g, const model::Job& job) {
  // group block: "count (int: 1)"; with a scaling block, count defaults to
  // scaling.min and scaling.min to count. scaling: enabled true, type "horizontal".
  if (!g.count) g.count = (g.scaling && g.scaling->min) ? static_cast<int>(*g.scaling->min) : 1;
  if (g.scaling) {
    set_if_unset(g.scaling->min, static_cast<int64_t>(*g.count));
    set_if_unset(g.scaling->enabled, true);
    if (g.scaling->type.empty()) g.scaling->type = "horizontal";
  }

  // restart: the type's default, overridden field by field by the group block.
  model::RestartPolicy restart = default_restart(job);
  if (g.restart_policy) merge_restart(restart, *g.restart_policy);
  g.restart_policy = restart;

  // reschedule: type default < job block < group block (not for system jobs).
  if (!is_system_like(job)) {
    model::ReschedulePolicy reschedule = default_reschedule(job);
    if (job.reschedule) merge_reschedule(reschedule, *job.reschedule);
    if (g.reschedule_policy) merge_reschedule(reschedule, *g.reschedule_policy);
    g.reschedule_policy = reschedule;
  }

  // ephemeral_disk block: "size (int: 300)".
  if (!g.ephemeral_disk) g.ephemeral_disk = model::EphemeralDisk{};
  if (g.ephemeral_disk->size_mb == 0) g.ephemeral_disk->size_mb = 300;

  // update: the job's block is merged under the group's; then defaults.
  if (job.update) {
    model::UpdateStrategy merged = *job.update;
    if (g.update) merge_update(merged, *g.update);
    g.update = merged;
  }
  if (g.update) default_update(*g.update);

  // migrate: only service jobs; default < job < group.
  if (is_service(job)) {
    model::MigrateStrategy migrate = default_migrate();
    if (job.migrate) merge_migrate(migrate, *job.migrate);
    if (g.migrate) merge_migrate(migrate, *g.migrate);
    g.migrate = migrate;
  }

  // disconnect block: replace true, reconcile "best_score".
  if (g.disconnect) {
    set_if_unset(g.disconnect->replace, true);
    if (g.disconnect->reconcile.empty()) g.disconnect->reconcile = "best_score";
  }

  for (model::NetworkResource& n : g.networks) default_network(n);
  default_placement(g.constraints, &g.affinities, &g.spreads);
  for (model::Service& s : g.services) default_service(s, job.name + "-" + g.name);
  for (model::Task& t : g.tasks) default_task(t, job, g);
}

}  // namespace

void apply_defaults(model::Job& job) {
  // job block: "type (string: "service")", "priority (int: 50)", "region
  // (string: "global")", "namespace (string: "default")", "datacenters
  // (array<string>: ["*"])", "node_pool (string: "default")"; name = ID.
  if (job.name.empty()) job.name = job.id;
  if (job.type.empty()) job.type = model::kJobTypeService;
  if (job.priority == 0) job.priority = 50;
  if (job.region.empty()) job.region = "global";
  if (job.namespace_name.empty()) job.namespace_name = "default";
  if (job.datacenters.empty()) job.datacenters = {"*"};
  if (job.node_pool.empty()) job.node_pool = "default";

  // update block: "If omitted, a default update strategy is applied" to service
  // jobs; a job-level block gets the defaults for the fields it leaves out.
  if (!job.update && is_service(job)) job.update = model::UpdateStrategy{};
  if (job.update) default_update(*job.update);

  // periodic block: "enabled (bool: true)", "time_zone (string: "UTC")", cron specs.
  if (job.periodic) {
    set_if_unset(job.periodic->enabled, true);
    if (job.periodic->spec_type.empty()) job.periodic->spec_type = "cron";
    if (job.periodic->time_zone.empty()) job.periodic->time_zone = "UTC";
  }
  // parameterized block: "payload (string: "optional")".
  if (job.parameterized_job && job.parameterized_job->payload.empty()) {
    job.parameterized_job->payload = "optional";
  }
  default_placement(job.constraints, &job.affinities, &job.spreads);
  for (model::TaskGroup& g : job.task_groups) default_group(g, job);
}

}  // namespace caravan::jobspec
