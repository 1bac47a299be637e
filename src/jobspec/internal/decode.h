// The HCL → model decoders of each block of the job specification, one
// function per block kind. Each checks its body against the block's schema,
// evaluates arguments in the job's context (var, local, functions; run-time
// references kept verbatim) and records where every field came from under its
// model path, so validation errors found later point into the file.
#pragma once

#include <string>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "jobspec/decoder.h"
#include "jobspec/source_map.h"
#include "model/job.h"

namespace caravan::jobspec::internal {

struct DecodeContext {
  const hcl::EvalContext& eval;
  hcl::Diagnostics& diags;
  SourceMap* sources;

  // A decoder for `block`'s body; records the block's position under `path`.
  BodyDecoder open(const hcl::Block& block, const Schema& schema, const std::string& path) const {
    if (sources != nullptr) sources->record(path, block.type_range);
    return BodyDecoder(block.body, schema, eval, diags, sources, path, &block.type_range);
  }
  // Warns that a block Nomad accepts is not modelled by caravan and is ignored.
  void ignored(const hcl::Block& block) const;
};

// The top-level `job "name" { … }` block.
void decode_job(const hcl::Block& block, const DecodeContext& ctx, model::Job* job);

// decode_group.cc
void decode_group(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                  model::TaskGroup* group);
// Appends the network to `networks` (group or legacy task level).
void decode_network(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::NetworkResource* network);

// decode_task.cc
void decode_task(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                 model::Task* task);

// decode_service.cc
void decode_service(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::Service* service);

// decode_placement.cc: constraint, affinity, spread.
void decode_constraint(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                       std::vector<model::Constraint>* out);
void decode_affinity(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::Affinity* out);
void decode_spread(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::Spread* out);
// Reads every constraint/affinity/spread block of `d`'s body into the lists,
// under d.path() + ".Constraints" etc.
void decode_placement(const BodyDecoder& d, const DecodeContext& ctx,
                      std::vector<model::Constraint>* constraints,
                      std::vector<model::Affinity>* affinities,
                      std::vector<model::Spread>* spreads);

// decode_policies.cc: restart, reschedule, update, migrate, periodic, parameterized.
void decode_restart(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::RestartPolicy* out);
void decode_reschedule(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                       model::ReschedulePolicy* out);
void decode_update(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::UpdateStrategy* out);
void decode_migrate(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                    model::MigrateStrategy* out);
void decode_periodic(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::PeriodicConfig* out);
void decode_parameterized(const hcl::Block& block, const DecodeContext& ctx,
                          const std::string& path, model::ParameterizedJobConfig* out);
void decode_consul(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::ConsulConfig* out);

// Schema-less blocks kept as JSON (free_form.h), recording the block position.
model::RawJson decode_free_form(const hcl::Block& block, const DecodeContext& ctx,
                                const std::string& path, bool api_keys);

}  // namespace caravan::jobspec::internal
