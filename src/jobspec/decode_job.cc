// Decoding of the `job` block: identity and placement of the job, its groups,
// and the job-level policies that the defaults pass later merges into groups.
#include "jobspec/internal/decode.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& job_schema() {
  static const Schema kSchema{
      .attributes = {"name", "namespace", "region", "type", "priority", "all_at_once",
                     "datacenters", "node_pool", "consul_token", "consul_namespace", "vault_token",
                     "vault_namespace", "id"},
      .blocks = {{.type = "group", .labels = {"name"}},
                 {.type = "constraint"},
                 {.type = "affinity"},
                 {.type = "spread"},
                 {.type = "update", .single = true},
                 {.type = "migrate", .single = true},
                 {.type = "reschedule", .single = true},
                 {.type = "periodic", .single = true},
                 {.type = "parameterized", .single = true},
                 {.type = "multiregion", .single = true},
                 {.type = "ui", .single = true},
                 {.type = "vault", .single = true}},
      .maps = {"meta"},
  };
  return kSchema;
}

}  // namespace

void decode_job(const hcl::Block& block, const DecodeContext& ctx, model::Job* job) {
  BodyDecoder d = ctx.open(block, job_schema(), "");
  // `job "x"`: the label is the ID and, unless `name` says otherwise, the name.
  job->id = block.labels[0];
  d.record("ID", block.label_ranges[0]);
  d.read("id", "ID", &job->id);
  job->name = job->id;
  d.record("Name", block.label_ranges[0]);
  d.read("name", "Name", &job->name);
  d.read("namespace", "Namespace", &job->namespace_name);
  d.read("region", "Region", &job->region);
  d.read("type", "Type", &job->type);
  d.read("priority", "Priority", &job->priority);
  d.read("all_at_once", "AllAtOnce", &job->all_at_once);
  d.read("datacenters", "Datacenters", &job->datacenters);
  d.read("node_pool", "NodePool", &job->node_pool);
  d.read("consul_token", "ConsulToken", &job->consul_token);
  d.read("consul_namespace", "ConsulNamespace", &job->consul_namespace);
  d.read("vault_token", "VaultToken", &job->vault_token);
  d.read("vault_namespace", "VaultNamespace", &job->vault_namespace);
  d.read("meta", "Meta", &job->meta);
  decode_placement(d, ctx, &job->constraints, &job->affinities, &job->spreads);

  if (const hcl::Block* b = d.block("update")) {
    model::UpdateStrategy update;
    decode_update(*b, ctx, "Update", &update);
    job->update = update;
  }
  if (const hcl::Block* b = d.block("migrate")) {
    model::MigrateStrategy migrate;
    decode_migrate(*b, ctx, "Migrate", &migrate);
    job->migrate = migrate;
  }
  if (const hcl::Block* b = d.block("reschedule")) {
    model::ReschedulePolicy reschedule;
    decode_reschedule(*b, ctx, "Reschedule", &reschedule);
    job->reschedule = reschedule;
  }
  if (const hcl::Block* b = d.block("periodic")) {
    model::PeriodicConfig periodic;
    decode_periodic(*b, ctx, "Periodic", &periodic);
    job->periodic = std::move(periodic);
  }
  if (const hcl::Block* b = d.block("parameterized")) {
    model::ParameterizedJobConfig parameterized;
    decode_parameterized(*b, ctx, "ParameterizedJob", &parameterized);
    job->parameterized_job = std::move(parameterized);
  }
  for (const char* type : {"multiregion", "ui", "vault"}) {
    if (const hcl::Block* b = d.block(type)) ctx.ignored(*b);
  }
  for (const hcl::Block* b : d.blocks("group")) {
    model::TaskGroup group;
    decode_group(*b, ctx, index_path("TaskGroups", job->task_groups.size()), &group);
    job->task_groups.push_back(std::move(group));
  }
}

}  // namespace caravan::jobspec::internal
