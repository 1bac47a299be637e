// Filesystem functions: file, fileexists, fileset, filebase64, the file hash
// functions, abspath, basename, dirname and pathexpand. Relative paths resolve
// against the directory of the job file (`base_dir`), and errors name the
// resolved path. (templatefile is not here: it needs the template parser.)
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>
#include <vector>

#include "hcl/internal/codec.h"
#include "hcl/internal/function_args.h"
#include "hcl/internal/function_registry.h"
#include "hcl/internal/utf8.h"

namespace caravan::hcl::internal {

namespace fs = std::filesystem;

namespace {

Result<std::string> expand_home(const std::string& path) {
  if (path.empty() || path[0] != '~') return path;
  if (path.size() > 1 && path[1] != '/') {
    return invalid_argument("cannot expand \"" + path +
                            "\": only the current user's home directory (~/) is supported");
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    return invalid_argument("cannot expand \"" + path + "\": HOME is not set");
  }
  return std::string(home) + path.substr(1);
}

// Go's path.Clean: removes "." and empty elements and resolves "..", lexically.
std::string clean_path(std::string_view p) {
  if (p.empty()) return ".";
  bool rooted = p[0] == '/';
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string_view::npos) slash = p.size();
    std::string part(p.substr(start, slash - start));
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

Result<Value> file(const fs::path& base_dir, const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  std::string content = CARAVAN_TRY(read_function_file(base_dir, path));
  if (!is_valid_utf8(content)) {
    fs::path resolved = CARAVAN_TRY(resolve_function_path(base_dir, path));
    return invalid_argument("the contents of \"" + resolved.string() +
                            "\" are not valid UTF-8; use filebase64 to read binary files");
  }
  return Value::string(std::move(content));
}

Result<Value> filebase64(const fs::path& base_dir, const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  return Value::string(base64_encode(CARAVAN_TRY(read_function_file(base_dir, path))));
}

Result<Value> fileexists(const fs::path& base_dir, const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  fs::path resolved = CARAVAN_TRY(resolve_function_path(base_dir, path));
  std::error_code ec;
  fs::file_status status = fs::status(resolved, ec);
  if (status.type() == fs::file_type::not_found) return Value::boolean(false);
  if (ec) return invalid_argument("cannot inspect \"" + resolved.string() + "\": " + ec.message());
  if (status.type() == fs::file_type::directory) {
    return invalid_argument("\"" + resolved.string() + "\" is a directory, not a file");
  }
  if (status.type() != fs::file_type::regular) {
    return invalid_argument("\"" + resolved.string() + "\" is not a regular file");
  }
  return Value::boolean(true);
}

// ---- glob matching for fileset ----------------------------------------------

// Matches one character class at p[pi] ('[' already seen) against code point c.
// Sets pi past the closing ']'; returns nullopt when the class is malformed.
std::optional<bool> match_class(std::string_view p, size_t& pi, char32_t c) {
  bool negate = false;
  if (pi < p.size() && (p[pi] == '!' || p[pi] == '^')) {
    negate = true;
    ++pi;
  }
  bool matched = false;
  bool first = true;
  while (true) {
    if (pi >= p.size()) return std::nullopt;
    if (p[pi] == ']' && !first) {
      ++pi;
      break;
    }
    first = false;
    if (p[pi] == '\\') ++pi;
    if (pi >= p.size()) return std::nullopt;
    char32_t lo = next_code_point(p, pi);
    char32_t hi = lo;
    if (pi + 1 < p.size() && p[pi] == '-' && p[pi + 1] != ']') {
      ++pi;
      if (p[pi] == '\\') ++pi;
      if (pi >= p.size()) return std::nullopt;
      hi = next_code_point(p, pi);
    }
    if (c >= lo && c <= hi) matched = true;
  }
  return matched != negate;
}

// Index of the '}' closing the '{' at p[open], or npos.
size_t closing_brace(std::string_view p, size_t open) {
  int depth = 0;
  for (size_t i = open; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '{') {
      ++depth;
    } else if (p[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Glob with doublestar semantics: `*` and `?` stay within a path segment, `**`
// spans segments (`**/` also matches no directory at all), `[a-z]`, `{a,b}`
// and `\` escapes. Sets `malformed` on a syntax error.
bool glob_match(std::string_view p, std::string_view s, bool& malformed) {
  size_t pi = 0;
  size_t si = 0;
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*' && pi + 1 < p.size() && p[pi + 1] == '*') {
      std::string_view rest = p.substr(pi + 2);
      if (!rest.empty() && rest[0] == '/') {
        rest.remove_prefix(1);
        if (glob_match(rest, s.substr(si), malformed)) return true;
        for (size_t k = si; k < s.size(); ++k) {
          if (s[k] == '/' && glob_match(rest, s.substr(k + 1), malformed)) return true;
        }
        return false;
      }
      for (size_t k = si; k <= s.size(); ++k) {
        if (glob_match(rest, s.substr(k), malformed)) return true;
      }
      return false;
    }
    if (c == '*') {
      std::string_view rest = p.substr(pi + 1);
      for (size_t k = si; k <= s.size(); ++k) {
        if (glob_match(rest, s.substr(k), malformed)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (c == '{') {
      size_t close = closing_brace(p, pi);
      if (close == std::string_view::npos) {
        malformed = true;
        return false;
      }
      std::string_view rest = p.substr(close + 1);
      size_t alt_start = pi + 1;
      int depth = 0;
      for (size_t k = pi + 1; k <= close; ++k) {
        if (k < close && p[k] == '\\') {
          ++k;
          continue;
        }
        if (k < close && p[k] == '{') ++depth;
        if (k < close && p[k] == '}') --depth;
        if (k == close || (p[k] == ',' && depth == 0)) {
          std::string alternative(p.substr(alt_start, k - alt_start));
          alternative += rest;
          if (glob_match(alternative, s.substr(si), malformed)) return true;
          alt_start = k + 1;
        }
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (c == '?') {
      if (s[si] == '/') return false;
      next_code_point(s, si);
      ++pi;
      continue;
    }
    if (c == '[') {
      if (s[si] == '/') return false;
      ++pi;
      char32_t sc = next_code_point(s, si);
      auto matched = match_class(p, pi, sc);
      if (!matched) {
        malformed = true;
        return false;
      }
      if (!*matched) return false;
      continue;
    }
    if (c == '\\') {
      ++pi;
      if (pi >= p.size()) {
        malformed = true;
        return false;
      }
      c = p[pi];
    }
    if (s[si] != c) return false;
    ++pi;
    ++si;
  }
  return si == s.size();
}

Result<Value> fileset(const fs::path& base_dir, const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  std::string pattern = CARAVAN_TRY(string_arg(args, 1));
  fs::path root = CARAVAN_TRY(resolve_function_path(base_dir, path));
  bool malformed = false;
  glob_match(pattern, "", malformed);
  std::vector<std::string> matches;
  std::error_code ec;
  if (fs::is_directory(root, ec)) {
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
    if (ec) return invalid_argument("cannot list \"" + root.string() + "\": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return invalid_argument("cannot list \"" + root.string() + "\": " + ec.message());
      if (!it->is_regular_file(ec)) continue;
      std::string relative = it->path().lexically_relative(root).generic_string();
      if (glob_match(pattern, relative, malformed)) matches.push_back(relative);
      if (malformed) break;
    }
  }
  if (malformed) {
    return arg_error(1, "is not a valid glob pattern: \"" + pattern +
                            "\" has an unclosed [ or { or a trailing \\");
  }
  std::sort(matches.begin(), matches.end());
  ValueList out;
  for (std::string& m : matches) out.push_back(Value::string(std::move(m)));
  return Value::list(std::move(out));
}

Result<Value> abspath(const fs::path& base_dir, const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  fs::path joined =
      base_dir.empty() || fs::path(path).is_absolute() ? fs::path(path) : base_dir / path;
  std::error_code ec;
  fs::path absolute = fs::absolute(joined, ec);
  if (ec) return invalid_argument("cannot make \"" + path + "\" absolute: " + ec.message());
  return Value::string(clean_path(absolute.generic_string()));
}

Result<Value> basename(const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  if (path.empty()) return Value::string(".");
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "/") return Value::string("/");
  size_t slash = path.rfind('/');
  return Value::string(slash == std::string::npos ? path : path.substr(slash + 1));
}

Result<Value> dirname(const Args& args) {
  std::string path = CARAVAN_TRY(string_arg(args, 0));
  size_t slash = path.rfind('/');
  return Value::string(clean_path(slash == std::string::npos ? "" : path.substr(0, slash + 1)));
}

Result<Value> pathexpand(const Args& args) {
  return Value::string(CARAVAN_TRY(expand_home(CARAVAN_TRY(string_arg(args, 0)))));
}

}  // namespace

Result<fs::path> resolve_function_path(const fs::path& base_dir, const std::string& path) {
  fs::path p = CARAVAN_TRY(expand_home(path));
  if (p.is_relative() && !base_dir.empty()) p = base_dir / p;
  return p;
}

Result<std::string> read_function_file(const fs::path& base_dir, const std::string& path) {
  fs::path resolved = CARAVAN_TRY(resolve_function_path(base_dir, path));
  std::error_code ec;
  fs::file_status status = fs::status(resolved, ec);
  if (status.type() == fs::file_type::not_found) {
    return invalid_argument("no file exists at \"" + resolved.string() + "\"");
  }
  if (status.type() == fs::file_type::directory) {
    return invalid_argument("\"" + resolved.string() + "\" is a directory, not a file");
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return invalid_argument("cannot read \"" + resolved.string() + "\"");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return invalid_argument("cannot read \"" + resolved.string() + "\"");
  return content.str();
}

void register_file_functions(FunctionTable& table, const fs::path& base_dir) {
  auto with_base = [base_dir](Result<Value> (*fn)(const fs::path&, const Args&)) {
    return [base_dir, fn](const Args& args) { return fn(base_dir, args); };
  };
  auto file_digest = [base_dir](const char* algorithm, bool base64) {
    return [base_dir, algorithm, base64](const Args& args) -> Result<Value> {
      std::string path = CARAVAN_TRY(string_arg(args, 0));
      std::string hash = digest(algorithm, CARAVAN_TRY(read_function_file(base_dir, path)));
      return Value::string(base64 ? base64_encode(hash) : hex_encode(hash));
    };
  };
  table.add("abspath", {1, 1, with_base(abspath)});
  table.add("basename", {1, 1, basename});
  table.add("dirname", {1, 1, dirname});
  table.add("file", {1, 1, with_base(file)});
  table.add("filebase64", {1, 1, with_base(filebase64)});
  table.add("filebase64sha256", {1, 1, file_digest("sha256", true)});
  table.add("filebase64sha512", {1, 1, file_digest("sha512", true)});
  table.add("fileexists", {1, 1, with_base(fileexists)});
  table.add("filemd5", {1, 1, file_digest("md5", false)});
  table.add("fileset", {2, 2, with_base(fileset)});
  table.add("filesha1", {1, 1, file_digest("sha1", false)});
  table.add("filesha256", {1, 1, file_digest("sha256", false)});
  table.add("filesha512", {1, 1, file_digest("sha512", false)});
  table.add("pathexpand", {1, 1, pathexpand});
}

}  // namespace caravan::hcl::internal
