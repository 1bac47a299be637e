// parse_job: the pipeline from job-file text to a validated model::Job.
//   HCL:  parse → top-level shape → variables/locals → decode (recording field
//         ranges) → defaults → validation (errors mapped back to file:line:col)
//   JSON: model::decode_job → defaults → validation (errors named by JSON path)
#include "jobspec/jobspec.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <tuple>

#include "core/strings.h"
#include "hcl/functions.h"
#include "hcl/parser.h"
#include "jobspec/decoder.h"
#include "jobspec/defaults.h"
#include "jobspec/internal/decode.h"
#include "jobspec/source_map.h"
#include "jobspec/validate.h"
#include "jobspec/variables.h"
#include "model/job_json.h"

namespace caravan::jobspec {
namespace {

const Schema& file_schema() {
  static const Schema kSchema{
      .blocks = {{.type = "job", .labels = {"name"}, .single = true, .required = true},
                 {.type = "variable", .labels = {"name"}},
                 {.type = "variables"},
                 {.type = "locals"}},
  };
  return kSchema;
}

SourceRange file_start(const std::string& filename) {
  SourceRange r;
  r.filename = std::make_shared<const std::string>(filename);
  return r;
}

// Validation problems become diagnostics; the same problem reached through two
// paths (a job-level update inherited by groups) is reported once.
void report(const std::vector<FieldError>& errors, const SourceMap* sources,
            const SourceRange& fallback, bool json, hcl::Diagnostics& diags) {
  std::set<std::tuple<int, int, std::string>> seen;
  for (const FieldError& e : errors) {
    SourceRange where = fallback;
    if (sources != nullptr) {
      if (auto found = sources->find(e.path)) where = *found;
      // A duplicate is reported at whichever definition comes second.
      if (!e.duplicate_of.empty()) {
        if (auto other = sources->find(e.duplicate_of);
            other && other->start.byte > where.start.byte) {
          where = *other;
        }
      }
    }
    std::string detail = e.detail;
    if (json) detail = fmt::format("{}: {}", e.path.empty() ? "Job" : "Job." + e.path, detail);
    if (!seen.emplace(where.start.byte, where.start.line, e.summary + "\n" + detail).second) {
      continue;
    }
    diags.error(where, e.summary, std::move(detail));
  }
}

// Paths the defaults pass filled from elsewhere resolve to where the value came from.
void alias_inherited(const model::Job& job, SourceMap& sources) {
  for (size_t i = 0; i < job.task_groups.size(); ++i) {
    std::string group = index_path("TaskGroups", i);
    sources.alias(join_path(group, "Update"), "Update");
    sources.alias(join_path(group, "ReschedulePolicy"), "Reschedule");
    sources.alias(join_path(group, "Migrate"), "Migrate");
    for (size_t t = 0; t < job.task_groups[i].tasks.size(); ++t) {
      sources.alias(join_path(index_path(join_path(group, "Tasks"), t), "RestartPolicy"),
                    join_path(group, "RestartPolicy"));
    }
  }
}

ParseResult parse_json(std::string source, const std::string& filename) {
  ParseResult result;
  result.source = std::move(source);
  result.filename = filename;
  std::vector<std::string> unknown;
  Result<model::Job> decoded = model::decode_job(result.source, &unknown);
  if (!decoded) {
    SourceRange where = file_start(filename);
    if (const auto& at = decoded.error().where()) {
      where.start = at->start;
      where.end = at->end;
    }
    result.diagnostics.error(where, "Invalid JSON job", decoded.error().message());
    return result;
  }
  for (const std::string& field : unknown) {
    result.diagnostics.warning(file_start(filename), "Unknown field",
                               fmt::format("The field {} is not part of Nomad's job format and "
                                           "was ignored.",
                                           field));
  }
  model::Job job = std::move(decoded).value();
  apply_defaults(job);
  report(validate_job(job), nullptr, file_start(filename), /*json=*/true, result.diagnostics);
  if (!result.diagnostics.has_errors()) result.job = std::move(job);
  return result;
}

ParseResult parse_hcl(std::string source, const std::string& filename,
                      const ParseOptions& options) {
  ParseResult result;
  result.source = source;
  result.filename = filename;
  hcl::Diagnostics& diags = result.diagnostics;
  std::unique_ptr<hcl::File> file = hcl::parse_file(std::move(source), filename, diags);
  if (file == nullptr || diags.has_errors()) return result;

  hcl::EvalContext no_eval;  // the top-level shape check evaluates nothing
  BodyDecoder top(file->body, file_schema(), no_eval, diags, nullptr, "");
  std::filesystem::path base_dir = std::filesystem::path(filename).parent_path();
  if (base_dir.empty()) base_dir = ".";
  if (!check_references(file->body, diags)) return result;
  hcl::FunctionTable functions = hcl::standard_functions(base_dir);
  hcl::EvalContext ctx;
  ctx.functions = &functions;
  ctx.keep_runtime_references = true;
  evaluate_variables(file->body, options, base_dir, ctx, diags);

  const hcl::Block* job_block = top.block("job");
  if (job_block == nullptr || diags.has_errors()) return result;

  SourceMap sources;
  model::Job job;
  internal::DecodeContext dctx{ctx, diags, &sources};
  internal::decode_job(*job_block, dctx, &job);
  if (diags.has_errors()) return result;

  apply_defaults(job);
  alias_inherited(job, sources);
  report(validate_job(job), &sources, job_block->type_range, /*json=*/false, diags);
  if (!diags.has_errors()) result.job = std::move(job);
  return result;
}

}  // namespace

Result<model::Job> ParseResult::to_result() const {
  if (ok()) return *job;
  if (!diagnostics.has_errors()) return invalid_argument("the job could not be read");
  return diagnostics.to_status(&source, filename);
}

ParseResult parse_job(std::string source, const std::string& filename,
                      const ParseOptions& options) {
  std::string_view trimmed = trim(source);
  // A UTF-8 byte order mark before the JSON object is tolerated.
  if (trimmed.starts_with("\xEF\xBB\xBF")) trimmed = trim(trimmed.substr(3));
  if (trimmed.starts_with("{")) return parse_json(std::move(source), filename);
  return parse_hcl(std::move(source), filename, options);
}

ParseResult parse_job_file(const std::string& path, const ParseOptions& options) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return parse_job(std::move(text), "<stdin>", options);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ParseResult result;
    result.diagnostics.error(
        file_start(path), "Failed to read file",
        fmt::format("The job file \"{}\" does not exist or cannot be read.", path));
    return result;
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return parse_job(std::move(text), path, options);
}

}  // namespace caravan::jobspec
