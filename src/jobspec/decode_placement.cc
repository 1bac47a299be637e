// Decoding of `constraint`, `affinity` and `spread` blocks, including Nomad's
// shorthand arguments (`distinct_hosts = true`, `version = ">= 1.2"`, …) that
// set the operator and one of the targets at once.
#include <fmt/format.h>

#include "jobspec/internal/decode.h"
#include "jobspec/internal/free_form.h"

namespace caravan::jobspec::internal {
namespace {

const Schema& constraint_schema() {
  static const Schema kSchema{
      .attributes = {"attribute", "operator", "value", "version", "semver", "regexp",
                     "set_contains", "set_contains_any", "set_contains_all", "distinct_hosts",
                     "distinct_property"},
  };
  return kSchema;
}

const Schema& affinity_schema() {
  static const Schema kSchema{
      .attributes = {"attribute", "operator", "value", "weight", "version", "semver", "regexp",
                     "set_contains", "set_contains_any", "set_contains_all"},
  };
  return kSchema;
}

const Schema& spread_schema() {
  static const Schema kSchema{
      .attributes = {"attribute", "weight"},
      .required = {"attribute"},
      .blocks = {{.type = "target", .labels = {"value"}}},
  };
  return kSchema;
}

const Schema& target_schema() {
  static const Schema kSchema{.attributes = {"percent"}};
  return kSchema;
}

// The shorthand operators: `version = ">= 1"` means operator "version", value ">= 1".
constexpr std::string_view kShorthandOperators[] = {
    "version", "semver", "regexp", "set_contains", "set_contains_any", "set_contains_all"};

template <class T>
void read_shorthands(BodyDecoder& d, T* out) {
  for (std::string_view op : kShorthandOperators) {
    std::string value;
    if (d.read(op, "RTarget", &value)) {
      out->operand = std::string(op);
      out->r_target = std::move(value);
      if (const hcl::Attribute* attr = d.attribute(op))
        d.record(d.child_path("Operand"), attr->name_range);
    }
  }
}

}  // namespace

void decode_constraint(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                       std::vector<model::Constraint>* out) {
  BodyDecoder d = ctx.open(block, constraint_schema(), path);
  model::Constraint c;
  d.read("attribute", "LTarget", &c.l_target);
  d.read("operator", "Operand", &c.operand);
  d.read("value", "RTarget", &c.r_target);
  read_shorthands(d, &c);
  bool distinct_hosts = false;
  if (d.read("distinct_hosts", "Operand", &distinct_hosts)) {
    // `distinct_hosts = false` is no constraint at all, as in Nomad.
    if (!distinct_hosts) return;
    c.operand = "distinct_hosts";
  }
  std::string property;
  if (d.read("distinct_property", "LTarget", &property)) {
    c.operand = "distinct_property";
    c.l_target = std::move(property);
  }
  out->push_back(std::move(c));
}

void decode_affinity(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                     model::Affinity* out) {
  BodyDecoder d = ctx.open(block, affinity_schema(), path);
  d.read("attribute", "LTarget", &out->l_target);
  d.read("operator", "Operand", &out->operand);
  d.read("value", "RTarget", &out->r_target);
  d.read("weight", "Weight", &out->weight);
  read_shorthands(d, out);
}

void decode_spread(const hcl::Block& block, const DecodeContext& ctx, const std::string& path,
                   model::Spread* out) {
  BodyDecoder d = ctx.open(block, spread_schema(), path);
  d.read("attribute", "Attribute", &out->attribute);
  d.read("weight", "Weight", &out->weight);
  std::string targets = d.child_path("SpreadTarget");
  for (const hcl::Block* t : d.blocks("target")) {
    std::string tpath = index_path(targets, out->spread_target.size());
    BodyDecoder td = ctx.open(*t, target_schema(), tpath);
    model::SpreadTarget target;
    target.value = t->labels[0];
    td.record(join_path(tpath, "Value"), t->label_ranges[0]);
    td.read("percent", "Percent", &target.percent);
    out->spread_target.push_back(std::move(target));
  }
}

void decode_placement(const BodyDecoder& d, const DecodeContext& ctx,
                      std::vector<model::Constraint>* constraints,
                      std::vector<model::Affinity>* affinities,
                      std::vector<model::Spread>* spreads) {
  if (constraints != nullptr) {
    std::string base = d.child_path("Constraints");
    for (const hcl::Block* b : d.blocks("constraint")) {
      decode_constraint(*b, ctx, index_path(base, constraints->size()), constraints);
    }
  }
  if (affinities != nullptr) {
    std::string base = d.child_path("Affinities");
    for (const hcl::Block* b : d.blocks("affinity")) {
      model::Affinity a;
      decode_affinity(*b, ctx, index_path(base, affinities->size()), &a);
      affinities->push_back(std::move(a));
    }
  }
  if (spreads != nullptr) {
    std::string base = d.child_path("Spreads");
    for (const hcl::Block* b : d.blocks("spread")) {
      model::Spread s;
      decode_spread(*b, ctx, index_path(base, spreads->size()), &s);
      spreads->push_back(std::move(s));
    }
  }
}

void DecodeContext::ignored(const hcl::Block& block) const {
  diags.warning(block.type_range, "Block ignored",
                fmt::format("The {} block is valid in Nomad but not supported by caravan yet; "
                            "it is ignored.",
                            block.type));
}

model::RawJson decode_free_form(const hcl::Block& block, const DecodeContext& ctx,
                                const std::string& path, bool api_keys) {
  if (ctx.sources != nullptr) ctx.sources->record(path, block.type_range);
  return body_to_json(block.body, ctx.eval, ctx.diags,
                      api_keys ? KeyStyle::kNomadApi : KeyStyle::kVerbatim);
}

}  // namespace caravan::jobspec::internal
