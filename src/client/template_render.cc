#include "client/template_render.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "client/internal/files.h"
#include "core/strings.h"

namespace caravan::client {

namespace {

bool valid_env_key(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

// The value after '=': quoted forms are decoded; text after the closing quote
// may only be a comment.
Result<std::string> parse_env_value(std::string_view raw) {
  raw = trim(raw);
  if (raw.empty() || (raw[0] != '"' && raw[0] != '\'')) return std::string(raw);
  char quote = raw[0];
  std::string out;
  size_t i = 1;
  for (; i < raw.size() && raw[i] != quote; ++i) {
    if (quote == '"' && raw[i] == '\\' && i + 1 < raw.size()) {
      char e = raw[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
    } else {
      out += raw[i];
    }
  }
  if (i >= raw.size()) return invalid_argument(std::string("unterminated ") + quote + " quote");
  std::string_view rest = trim(raw.substr(i + 1));
  if (!rest.empty() && rest[0] != '#') {
    return invalid_argument("unexpected text \"" + std::string(rest) + "\" after quoted value");
  }
  return out;
}

Result<mode_t> parse_perms(const std::string& perms) {
  if (perms.empty()) return static_cast<mode_t>(0644);
  mode_t mode = 0;
  for (char c : perms) {
    if (c < '0' || c > '7' || mode > 07777) {
      return invalid_argument("perms \"" + perms + "\" is not an octal file mode like \"0644\"");
    }
    mode = static_cast<mode_t>(mode * 8 + static_cast<mode_t>(c - '0'));
  }
  if (mode > 07777) return invalid_argument("perms \"" + perms + "\" is out of range");
  return mode;
}

Status render_one(const model::Template& tmpl, const TaskEnv& env, RenderedTemplates& out) {
  if (tmpl.dest_path.empty()) return invalid_argument("destination is required");
  if (!tmpl.embedded_tmpl.empty() && !tmpl.source_path.empty()) {
    return invalid_argument("set either data or source, not both");
  }
  std::string content = tmpl.embedded_tmpl;
  if (!tmpl.source_path.empty()) {
    std::string source = CARAVAN_TRY(env.client_path(tmpl.source_path));
    Result<std::string> text = internal::read_file(source);
    if (!text.has_value()) return invalid_argument("source: " + text.error().message());
    content = std::move(*text);
  } else if (content.empty()) {
    return invalid_argument("set data (the template inline) or source (a file)");
  }
  std::string dest = CARAVAN_TRY(env.client_path(tmpl.dest_path));
  mode_t mode = CARAVAN_TRY(parse_perms(tmpl.perms));
  std::string rendered =
      CARAVAN_TRY(render_template_text(content, tmpl.left_delim, tmpl.right_delim, env.vars()));

  std::string parent = std::filesystem::path(dest).parent_path().string();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return internal_error("cannot create directory " + parent + ": " + ec.message());
  CARAVAN_RETURN_IF_ERROR(internal::write_file_atomic(dest, rendered, mode));
  if ((tmpl.uid || tmpl.gid) && ::geteuid() == 0) {
    if (::chown(dest.c_str(), tmpl.uid ? static_cast<uid_t>(*tmpl.uid) : static_cast<uid_t>(-1),
                tmpl.gid ? static_cast<gid_t>(*tmpl.gid) : static_cast<gid_t>(-1)) != 0) {
      return internal::errno_status("cannot chown", dest);
    }
  }
  out.files.push_back(dest);
  if (tmpl.envvars) {
    std::map<std::string, std::string> vars = CARAVAN_TRY(parse_env_lines(rendered));
    for (auto& [k, v] : vars) out.env[k] = std::move(v);
  }
  return Status::ok();
}

}  // namespace

Result<std::map<std::string, std::string>> parse_env_lines(std::string_view text) {
  std::map<std::string, std::string> out;
  std::vector<std::string> lines = split(text, '\n');
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = trim(lines[n]);
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    auto fail = [&](const std::string& why) {
      return invalid_argument("env line " + std::to_string(n + 1) + ": " + why);
    };
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return fail("expected KEY=VALUE, found \"" + std::string(line) + "\"");
    }
    std::string key(trim(line.substr(0, eq)));
    if (!valid_env_key(key)) {
      return fail("\"" + key + "\" is not a valid variable name (letters, digits, _ and .)");
    }
    Result<std::string> value = parse_env_value(line.substr(eq + 1));
    if (!value.has_value()) return fail(value.error().message());
    out[key] = std::move(*value);
  }
  return out;
}

Result<RenderedTemplates> render_templates(const std::vector<model::Template>& templates,
                                           const TaskEnv& env) {
  RenderedTemplates out;
  for (const model::Template& tmpl : templates) {
    Status st = render_one(tmpl, env, out);
    if (!st.is_ok()) {
      return Status(st.code(), "template \"" + tmpl.dest_path + "\" of task \"" + env.task() +
                                   "\": " + st.message());
    }
  }
  return out;
}

}  // namespace caravan::client
