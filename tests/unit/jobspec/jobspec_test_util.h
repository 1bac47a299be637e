// Helpers for the jobspec tests: parse HCL text as a job with an empty
// environment, and look for a diagnostic at an exact line:col.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <string_view>

#include "jobspec/jobspec.h"

namespace caravan::jobspec::testing_util {

inline ParseOptions no_env() {
  ParseOptions options;
  options.env = std::map<std::string, std::string>{};
  return options;
}

inline ParseResult parse(std::string text, ParseOptions options = no_env()) {
  return parse_job(std::move(text), "test.nomad.hcl", options);
}

// An error diagnostic starting at line:col whose summary or detail holds `text`.
inline bool has_error_at(const ParseResult& r, int line, int col, std::string_view text) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const hcl::Diagnostic& d) {
    return d.severity == hcl::Severity::kError && d.subject.start.line == line &&
           d.subject.start.column == col &&
           (d.summary + "\n" + d.detail).find(text) != std::string::npos;
  });
}

// An error diagnostic anywhere whose summary or detail holds `text`.
inline bool has_error(const ParseResult& r, std::string_view text) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const hcl::Diagnostic& d) {
    return d.severity == hcl::Severity::kError &&
           (d.summary + "\n" + d.detail).find(text) != std::string::npos;
  });
}

// A minimal valid job around a group body (lines start at 1: `job "j" {` is line 1,
// `group "g" {` line 2, so the group body starts on line 3).
inline std::string job_with_group(std::string_view group_body) {
  return std::string("job \"j\" {\n  group \"g\" {\n") + std::string(group_body) + "  }\n}\n";
}

// A job whose single task has the given body (task body starts on line 4).
inline std::string job_with_task(std::string_view task_body) {
  return std::string("job \"j\" {\n  group \"g\" {\n    task \"t\" {\n") + std::string(task_body) +
         "    }\n  }\n}\n";
}

}  // namespace caravan::jobspec::testing_util
