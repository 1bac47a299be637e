// Reading a job file: HCL2 (Nomad's job specification language) or Nomad's JSON
// job format → model::Job with Nomad's defaults applied and validated. Both input
// forms share one defaults pass and one validator, so a job read from HCL and
// the same job read from its JSON are equal. HCL errors point at file:line:col.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "hcl/diagnostic.h"
#include "model/job.h"

namespace caravan::jobspec {

struct ParseOptions {
  // `-var name=value` arguments in command-line order (later ones win).
  std::vector<std::string> var_args;
  // `-var-file` paths, applied in order before var_args.
  std::vector<std::string> var_files;
  // Environment read for NOMAD_VAR_<name> values (lowest precedence after
  // defaults). Empty → the process environment.
  std::optional<std::map<std::string, std::string>> env;
};

struct ParseResult {
  std::optional<model::Job> job;  // set when there are no errors
  hcl::Diagnostics diagnostics;   // errors and warnings
  std::string source;             // the text that was parsed (for caret snippets)
  std::string filename;           // the name diagnostics give that text

  bool ok() const { return job.has_value() && !diagnostics.has_errors(); }
  // Diagnostics formatted with source snippets, one per line.
  std::string format_diagnostics() const { return diagnostics.format(&source, filename); }
  // The job, or an InvalidArgument Status holding the formatted diagnostics.
  Result<model::Job> to_result() const;
};

// Parses `source`. JSON is recognised by its first non-space character `{`;
// anything else is HCL. `filename` names the source in diagnostics and is the
// base for relative paths in file() and var-files.
ParseResult parse_job(std::string source, const std::string& filename, const ParseOptions& options);

// Reads `path` ("-" reads standard input) and parses it.
ParseResult parse_job_file(const std::string& path, const ParseOptions& options);

}  // namespace caravan::jobspec
