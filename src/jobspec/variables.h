// Input variables and local values of a job file, as Nomad evaluates them:
// `variable "x" { type, default, description, sensitive, nullable, validation {} }`
// and `variables { x = … }` blocks, values from NOMAD_VAR_<x>, -var-file and
// -var (that precedence, lowest first, over the default), then `locals` blocks
// in dependency order. The result is the `var` and `local` objects every other
// expression of the job is evaluated with.
#pragma once

#include <filesystem>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "jobspec/jobspec.h"

namespace caravan::jobspec {

// Evaluates the `variable`, `variables` and `locals` blocks of the file's
// top-level `body` and stores the objects "var" and "local" in ctx.variables.
// `ctx` supplies the function table. `base_dir` (the job file's directory) is
// the fallback for relative var-file paths that do not exist relative to the
// working directory. Problems go to `diags`: undeclared names given values,
// type mismatches, failing validation rules, missing required variables,
// cycles between locals.
void evaluate_variables(const hcl::Body& body, const ParseOptions& options,
                        const std::filesystem::path& base_dir, hcl::EvalContext& ctx,
                        hcl::Diagnostics& diags);

// Reports every `var.<name>` and `local.<name>` reference in `body` (the
// whole file) whose name no variable/locals block declares, at the start of
// the reference, with a did-you-mean suggestion. Returns false when any was found.
bool check_references(const hcl::Body& body, hcl::Diagnostics& diags);

// Only the locals (for callers that set "var" themselves, e.g. tests).
void evaluate_locals(const hcl::Body& body, hcl::EvalContext& ctx, hcl::Diagnostics& diags);

}  // namespace caravan::jobspec
