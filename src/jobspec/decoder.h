// Schema-checked reading of one HCL body (a `job`, `group`, `task`, … block, or
// an agent config section). A Schema lists the arguments and nested blocks the
// body may hold; BodyDecoder reports everything else with HCL's own wording
// ("Unsupported argument", "Unsupported block type", "Missing required
// argument", "Duplicate … block", wrong label counts) and then hands out typed,
// evaluated values, recording where each came from in a SourceMap.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "hcl/value.h"
#include "jobspec/source_map.h"

namespace caravan::jobspec {

struct BlockSpec {
  std::string_view type;
  std::vector<std::string_view> labels;  // label names, e.g. {"name"} for `group "web"`
  bool single = false;                   // at most one block of this type
  bool required = false;                 // at least one block of this type
};

struct Schema {
  std::vector<std::string_view> attributes;
  std::vector<std::string_view> required;  // attributes that must be given
  std::vector<BlockSpec> blocks;
  // Maps Nomad accepts both as an argument (`meta = { a = "b" }`) and as a
  // block (`meta { a = "b" }`).
  std::vector<std::string_view> maps;

  bool has_attribute(std::string_view name) const;
  bool has_map(std::string_view name) const;
  const BlockSpec* find_block(std::string_view type) const;
};

// Reads one body against a schema. Construction checks the body's shape and
// reports problems to `diags`; the read functions then evaluate arguments in
// `ctx`. A reader never throws: a value that cannot be converted is reported
// ("Incorrect attribute value type") and the output is left untouched.
// The referenced body, context, diagnostics and source map must outlive it.
class BodyDecoder {
 public:
  // `path` is the model path of the object the body decodes into (Nomad JSON
  // names, e.g. "TaskGroups[0]"); `sources` may be null. `owner` is the range
  // of the block's type keyword: missing required arguments and blocks are
  // reported there (at the start of the body when null).
  BodyDecoder(const hcl::Body& body, const Schema& schema, const hcl::EvalContext& ctx,
              hcl::Diagnostics& diags, SourceMap* sources, std::string path,
              const SourceRange* owner = nullptr);

  // Each read looks up argument `name`; when it is given and not null, converts
  // it into `*out`, records its range under path+"."+field and returns true.
  // Absent, null, or already-failed (unknown) values return false silently; a
  // value of the wrong type is reported and returns false.
  bool read(std::string_view name, std::string_view field, std::string* out);
  bool read(std::string_view name, std::string_view field, int* out);
  bool read(std::string_view name, std::string_view field, int64_t* out);
  bool read(std::string_view name, std::string_view field, bool* out);
  bool read(std::string_view name, std::string_view field, double* out);
  // Go duration strings ("10s", "1h30m") or numbers of nanoseconds.
  bool read(std::string_view name, std::string_view field, Duration* out);
  bool read(std::string_view name, std::string_view field, std::vector<std::string>* out);
  // A map of strings, from the argument or (for Schema::maps) the block form.
  bool read(std::string_view name, std::string_view field, std::map<std::string, std::string>* out);
  // A map of string lists (a check's `header`), argument or block form.
  bool read(std::string_view name, std::string_view field,
            std::map<std::string, std::vector<std::string>>* out);
  template <class T>
  bool read(std::string_view name, std::string_view field, std::optional<T>* out) {
    T value{};
    if (!read(name, field, &value)) return false;
    *out = std::move(value);
    return true;
  }

  // The evaluated value of argument `name`; nullopt when absent, null or unknown.
  std::optional<hcl::Value> value(std::string_view name);
  const hcl::Attribute* attribute(std::string_view name) const;

  // Blocks of `type` with the right number of labels, in source order.
  std::vector<const hcl::Block*> blocks(std::string_view type) const;
  // The first such block, or nullptr.
  const hcl::Block* block(std::string_view type) const;

  // path()+"."+field, and recording a range for it.
  std::string child_path(std::string_view field) const { return join_path(path_, field); }
  void record(const std::string& path, const SourceRange& range);

  const hcl::Body& body() const { return body_; }
  const hcl::EvalContext& context() const { return ctx_; }
  hcl::Diagnostics& diags() const { return diags_; }
  SourceMap* sources() const { return sources_; }
  const std::string& path() const { return path_; }

  // Reports a conversion problem at `expr` for argument `name`:
  // "Incorrect attribute value type; Inappropriate value for attribute "name": <what>."
  void type_error(const hcl::Attribute& attr, std::string_view what) const;

 private:
  void check_shape();
  // Evaluates the argument; nullptr result when absent/null/unknown.
  const hcl::Attribute* evaluated(std::string_view name, hcl::Value* out);
  bool read_string_map_block(const hcl::Block& block, std::string_view field,
                             std::map<std::string, std::string>* out);

  const hcl::Body& body_;
  const Schema& schema_;
  const hcl::EvalContext& ctx_;
  hcl::Diagnostics& diags_;
  SourceMap* sources_;
  std::string path_;
  const SourceRange* owner_;
};

// Conversions shared by the readers, the free-form config reader and the agent
// config: each returns the converted value or, in `*why`, cty's wording of the
// mismatch ("a number is required", "string required", …).
std::optional<std::string> value_to_string(const hcl::Value& v, std::string* why);
std::optional<double> value_to_number(const hcl::Value& v, std::string* why);
std::optional<int64_t> value_to_integer(const hcl::Value& v, std::string* why);
std::optional<bool> value_to_bool(const hcl::Value& v, std::string* why);

}  // namespace caravan::jobspec
