// Renders a task's `template` blocks into files before the task starts (Nomad's
// template hook), with the consul-template subset that needs no Consul, Vault or
// Nomad variables:
//   {{ env "NAME" }}  (the task's environment)   {{ "literal" }}  {{ `raw` }}
//   pipes into toUpper, toLower, trimSpace      {{/* comments */}}  {{- trim -}}
// key, service, secret, nomadService, nomadVar, ... fail with "not supported yet".
// As in Nomad, `${...}` inside template data is NOT interpolated. docs/client/templates.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "client/task_env.h"
#include "core/status.h"
#include "model/job.h"

namespace caravan::client {

// Renders `text` whose actions are delimited by `left`/`right` (empty: "{{"/"}}").
// `env` is what `{{ env "NAME" }}` reads (a missing name renders as "").
// Errors: InvalidArgument "line N: ..." for a syntax error, an unknown or
// unsupported function, or a wrong number of arguments.
Result<std::string> render_template_text(std::string_view text, std::string_view left,
                                         std::string_view right,
                                         const std::map<std::string, std::string>& env);

// Reads rendered `env = true` output: KEY=VALUE lines, optional `export `, `#`
// comments, values unquoted (trimmed), "double quoted" (\n \t \" \\ escapes) or
// 'single quoted' (literal). Errors: InvalidArgument naming the line.
Result<std::map<std::string, std::string>> parse_env_lines(std::string_view text);

struct RenderedTemplates {
  std::vector<std::string> files;          // host paths written, in block order
  std::map<std::string, std::string> env;  // from `env = true` templates; later ones win
};

// Renders every block of `templates` for the task `env` belongs to: content from
// `data` or from `source` (relative to the task dir), written atomically to
// `destination` (relative to the task dir, may use ${NOMAD_*}), with `perms`
// (octal, default 0644) and `uid`/`gid` when running as root. Source and
// destination must stay inside the allocation dir. Does not touch `env`: the
// caller applies the result with TaskEnv::override_vars. Errors name the block
// by its destination: `template "local/app.conf": line 3: ...`.
Result<RenderedTemplates> render_templates(const std::vector<model::Template>& templates,
                                           const TaskEnv& env);

}  // namespace caravan::client
