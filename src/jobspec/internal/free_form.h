// Free-form parts of a job file kept as JSON in the model (model::RawJson): a
// task's driver `config`, a scaling `policy`, and blocks caravan stores without
// interpreting them (`connect`, `vault`, `identity`). Attributes become JSON
// members; nested blocks become lists of objects keyed by block type, so docker's
// `mount {}` written twice gives "mount": [{...}, {...}].
#pragma once

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "hcl/value.h"
#include "model/raw_json.h"

namespace caravan::jobspec::internal {

enum class KeyStyle {
  // Keys as written (driver config, scaling policy).
  kVerbatim,
  // Nomad's API spelling for a known block kept free-form (connect, vault,
  // identity): snake_case → PascalCase with Go's initialisms (ttl → TTL),
  // repeated blocks (upstreams, expose.path, …) as lists under their API names,
  // other blocks as single objects; maps such as `meta` and `config` keep their keys.
  kNomadApi,
};

// An evaluated value as JSON; unknown values (already reported) become absent.
model::RawJson value_to_json(const hcl::Value& v);

// The body of a free-form block. Errors (evaluation, an argument and a block of
// the same name) go to `diags`.
model::RawJson body_to_json(const hcl::Body& body, const hcl::EvalContext& ctx,
                            hcl::Diagnostics& diags, KeyStyle style);

// snake_case → Nomad's PascalCase API name ("local_bind_port" → "LocalBindPort").
std::string api_key_name(std::string_view snake);

}  // namespace caravan::jobspec::internal
