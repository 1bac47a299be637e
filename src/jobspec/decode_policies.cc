// Decoding of the policy blocks: restart, reschedule, update, migrate,
// periodic, parameterized and consul. Fields left out stay unset (nullopt) so
// the defaults pass can merge job → group → task as Nomad does.
#include "jobspec/internal/decode.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& restart_schema() {
  static const Schema kSchema{
      .attributes = {"attempts", "interval", "delay", "mode", "render_templates"}};
  return kSchema;
}

const Schema& reschedule_schema() {
  static const Schema kSchema{
      .attributes = {"attempts", "interval", "delay", "delay_function", "max_delay", "unlimited"}};
  return kSchema;
}

const Schema& update_schema() {
  static const Schema kSchema{.attributes = {"stagger", "max_parallel", "health_check",
                                             "min_healthy_time", "healthy_deadline",
                                             "progress_deadline", "auto_revert", "auto_promote",
                                             "canary"}};
  return kSchema;
}

const Schema& migrate_schema() {
  static const Schema kSchema{
      .attributes = {"max_parallel", "health_check", "min_healthy_time", "healthy_deadline"}};
  return kSchema;
}

const Schema& periodic_schema() {
  static const Schema kSchema{
      .attributes = {"cron", "crons", "prohibit_overlap", "time_zone", "enabled"}};
  return kSchema;
}

const Schema& parameterized_schema() {
  static const Schema kSchema{.attributes = {"payload", "meta_required", "meta_optional"}};
  return kSchema;
}

const Schema& consul_schema() {
  static const Schema kSchema{.attributes = {"namespace", "cluster", "partition"}};
  return kSchema;
}

}  // namespace

void decode_restart(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::RestartPolicy* out) {
  BodyDecoder d = ctx.open(block, restart_schema(), path);
  d.read("attempts", "Attempts", &out->attempts);
  d.read("interval", "Interval", &out->interval);
  d.read("delay", "Delay", &out->delay);
  d.read("mode", "Mode", &out->mode);
  d.read("render_templates", "RenderTemplates", &out->render_templates);
}

void decode_reschedule(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                       model::ReschedulePolicy* out) {
  BodyDecoder d = ctx.open(block, reschedule_schema(), path);
  d.read("attempts", "Attempts", &out->attempts);
  d.read("interval", "Interval", &out->interval);
  d.read("delay", "Delay", &out->delay);
  d.read("delay_function", "DelayFunction", &out->delay_function);
  d.read("max_delay", "MaxDelay", &out->max_delay);
  d.read("unlimited", "Unlimited", &out->unlimited);
}

void decode_update(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::UpdateStrategy* out) {
  BodyDecoder d = ctx.open(block, update_schema(), path);
  d.read("stagger", "Stagger", &out->stagger);
  d.read("max_parallel", "MaxParallel", &out->max_parallel);
  d.read("health_check", "HealthCheck", &out->health_check);
  d.read("min_healthy_time", "MinHealthyTime", &out->min_healthy_time);
  d.read("healthy_deadline", "HealthyDeadline", &out->healthy_deadline);
  d.read("progress_deadline", "ProgressDeadline", &out->progress_deadline);
  d.read("auto_revert", "AutoRevert", &out->auto_revert);
  d.read("auto_promote", "AutoPromote", &out->auto_promote);
  d.read("canary", "Canary", &out->canary);
}

void decode_migrate(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::MigrateStrategy* out) {
  BodyDecoder d = ctx.open(block, migrate_schema(), path);
  d.read("max_parallel", "MaxParallel", &out->max_parallel);
  d.read("health_check", "HealthCheck", &out->health_check);
  d.read("min_healthy_time", "MinHealthyTime", &out->min_healthy_time);
  d.read("healthy_deadline", "HealthyDeadline", &out->healthy_deadline);
}

void decode_periodic(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::PeriodicConfig* out) {
  BodyDecoder d = ctx.open(block, periodic_schema(), path);
  d.read("cron", "Spec", &out->spec);
  d.read("crons", "Specs", &out->specs);
  d.read("prohibit_overlap", "ProhibitOverlap", &out->prohibit_overlap);
  d.read("time_zone", "TimeZone", &out->time_zone);
  d.read("enabled", "Enabled", &out->enabled);
}

void decode_parameterized(const hcl::Block& block, const DecodeContext& ctx,
                          const std::string& path, model::ParameterizedJobConfig* out) {
  BodyDecoder d = ctx.open(block, parameterized_schema(), path);
  d.read("payload", "Payload", &out->payload);
  d.read("meta_required", "MetaRequired", &out->meta_required);
  d.read("meta_optional", "MetaOptional", &out->meta_optional);
}

void decode_consul(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::ConsulConfig* out) {
  BodyDecoder d = ctx.open(block, consul_schema(), path);
  d.read("namespace", "Namespace", &out->namespace_name);
  d.read("cluster", "Cluster", &out->cluster);
  d.read("partition", "Partition", &out->partition);
}

}  // namespace caravan::jobspec::internal
