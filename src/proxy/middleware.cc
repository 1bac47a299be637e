#include "proxy/middleware.h"

#include <re2/re2.h>

#include <cctype>

#include "core/strings.h"
#include "proxy/internal/text.h"

namespace caravan::proxy {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Go's regexp.Expand syntax → RE2's rewrite syntax.
Result<std::string> convert_replacement(const RE2& re, const std::string& replacement) {
  std::string out;
  const std::map<std::string, int>& named = re.NamedCapturingGroups();
  auto group = [&](const std::string& name) -> Result<std::string> {
    int index = -1;
    if (std::optional<long long> n = internal::parse_int(name)) {
      index = static_cast<int>(*n);
    } else if (auto it = named.find(name); it != named.end()) {
      index = it->second;
    } else {
      return invalid_argument("the replacement \"" + replacement + "\" names group \"" + name +
                              "\", which the regex does not have");
    }
    if (index > re.NumberOfCapturingGroups()) {
      return invalid_argument("the replacement \"" + replacement + "\" uses group " +
                              std::to_string(index) + " but the regex has only " +
                              std::to_string(re.NumberOfCapturingGroups()));
    }
    if (index > 9) {
      return invalid_argument("the replacement \"" + replacement +
                              "\" uses a group above 9; name the group instead");
    }
    return "\\" + std::to_string(index);
  };
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] == '$') {
      out.push_back('$');
      ++i;
    } else if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] == '{') {
      size_t close = replacement.find('}', i + 2);
      if (close == std::string::npos) {
        return invalid_argument("the replacement \"" + replacement + "\" has an unclosed ${");
      }
      out += CARAVAN_TRY(group(replacement.substr(i + 2, close - i - 2)));
      i = close;
    } else if (c == '$' && i + 1 < replacement.size() && is_name_char(replacement[i + 1])) {
      // Go's $name: the longest run of letters, digits and '_' ($1x is "1x").
      size_t end = i + 1;
      while (end < replacement.size() && is_name_char(replacement[end])) ++end;
      out += CARAVAN_TRY(group(replacement.substr(i + 1, end - i - 1)));
      i = end - 1;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::shared_ptr<const RE2>> compile(const std::string& regex) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<RE2>(regex, options);
  if (!re->ok()) {
    return invalid_argument("invalid regular expression \"" + regex + "\": " + re->error());
  }
  return std::shared_ptr<const RE2>(std::move(re));
}

int redirect_status(const std::string& method, bool permanent) {
  if (method == "GET") return permanent ? 301 : 302;
  return permanent ? 308 : 307;
}

LocalResponse redirect(int status, std::string location) {
  LocalResponse r;
  r.status = status;
  r.body = "Redirecting to " + location + "\n";
  r.headers.push_back({"Location", std::move(location)});
  r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  return r;
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return std::string(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return std::string(host.substr(0, host.rfind(':')));
}

void set_header(std::vector<HeaderField>& fields, std::string name, std::string value) {
  for (HeaderField& f : fields) {
    if (internal::iequals(f.name, name)) {
      f.value = std::move(value);
      return;
    }
  }
  fields.push_back({std::move(name), std::move(value)});
}

struct Applier {
  RewriteState& s;

  std::optional<LocalResponse> operator()(const StripPrefix& m) {
    for (const std::string& prefix : m.prefixes) {
      if (prefix.empty() || s.path.compare(0, prefix.size(), prefix) != 0) continue;
      s.path.erase(0, prefix.size());
      if (s.path.empty() || s.path.front() != '/') s.path.insert(0, "/");
      set_header(s.forward->set_request_headers, "X-Forwarded-Prefix", prefix);
      break;
    }
    return std::nullopt;
  }
  std::optional<LocalResponse> operator()(const AddPrefix& m) {
    s.path = m.prefix + s.path;
    return std::nullopt;
  }
  std::optional<LocalResponse> operator()(const ReplacePathRegex& m) {
    std::string original = s.path;
    if (RE2::GlobalReplace(&s.path, *m.regex, m.rewrite) > 0) {
      set_header(s.forward->set_request_headers, "X-Replaced-Path", original);
      if (s.path.empty() || s.path.front() != '/') s.path.insert(0, "/");
    }
    return std::nullopt;
  }
  std::optional<LocalResponse> operator()(const ReplacePrefix& m) {
    if (s.path.compare(0, m.prefix.size(), m.prefix) == 0) {
      std::string rest = s.path.substr(m.prefix.size());
      // "/app" → "/" on "/app/x" gives "/x", not Envoy's "//x".
      if (!m.with.empty() && m.with.back() == '/' && !rest.empty() && rest.front() == '/') {
        rest.erase(0, 1);
      }
      s.path = m.with + rest;
      if (s.path.empty() || s.path.front() != '/') s.path.insert(0, "/");
    }
    return std::nullopt;
  }
  std::optional<LocalResponse> operator()(const RedirectRegex& m) {
    std::string url = s.scheme + "://" + s.host_header + s.target();
    if (!RE2::PartialMatch(url, *m.regex)) return std::nullopt;
    RE2::GlobalReplace(&url, *m.regex, m.rewrite);
    return redirect(redirect_status(s.method, m.permanent), url);
  }
  std::optional<LocalResponse> operator()(const RedirectScheme& m) {
    if (internal::iequals(s.scheme, m.scheme)) return std::nullopt;
    std::string url = m.scheme + "://" + host_without_port(s.host_header);
    bool default_port = m.port.empty() || (m.scheme == "https" && m.port == "443") ||
                        (m.scheme == "http" && m.port == "80");
    if (!default_port) url += ":" + m.port;
    url += s.target();
    return redirect(redirect_status(s.method, m.permanent), url);
  }
  std::optional<LocalResponse> operator()(const RedirectTo& m) {
    std::string url = m.url;
    for (size_t at = url.find("$path"); at != std::string::npos; at = url.find("$path", at)) {
      url.replace(at, 5, s.path);
      at += s.path.size();
    }
    if (!s.query.empty() && url.find('?') == std::string::npos) url += "?" + s.query;
    return redirect(m.status, url);
  }
  std::optional<LocalResponse> operator()(const HeaderRules& m) {
    Forward& f = *s.forward;
    for (const std::string& name : m.remove_request) f.remove_request_headers.push_back(name);
    for (const HeaderField& h : m.set_request) set_header(f.set_request_headers, h.name, h.value);
    for (const std::string& name : m.remove_response) f.remove_response_headers.push_back(name);
    for (const HeaderField& h : m.set_response) {
      f.remove_response_headers.push_back(h.name);
      f.add_response_headers.push_back(h);
    }
    for (const HeaderField& h : m.add_response) f.add_response_headers.push_back(h);
    return std::nullopt;
  }
  std::optional<LocalResponse> operator()(const SetHost& m) {
    if (m.to_destination) {
      s.host_to_destination = true;
    } else {
      set_header(s.forward->set_request_headers, "Host", m.host);
    }
    return std::nullopt;
  }
};

}  // namespace

Result<ReplacePathRegex> make_replace_path_regex(const std::string& regex,
                                                 const std::string& replacement) {
  ReplacePathRegex m;
  m.regex = CARAVAN_TRY(compile(regex));
  m.rewrite = CARAVAN_TRY(convert_replacement(*m.regex, replacement));
  m.replacement = replacement;
  return m;
}

Result<RedirectRegex> make_redirect_regex(const std::string& regex, const std::string& replacement,
                                          bool permanent) {
  RedirectRegex m;
  m.regex = CARAVAN_TRY(compile(regex));
  m.rewrite = CARAVAN_TRY(convert_replacement(*m.regex, replacement));
  m.replacement = replacement;
  m.permanent = permanent;
  return m;
}

std::string describe_middleware(const Middleware& middleware) {
  struct Describer {
    std::string operator()(const StripPrefix& m) { return "stripprefix " + join(m.prefixes, ","); }
    std::string operator()(const AddPrefix& m) { return "addprefix " + m.prefix; }
    std::string operator()(const ReplacePathRegex& m) {
      return "replacepathregex " + m.regex->pattern() + " -> " + m.replacement;
    }
    std::string operator()(const ReplacePrefix& m) {
      return "prefix_rewrite " + m.prefix + " -> " + m.with;
    }
    std::string operator()(const RedirectRegex& m) {
      return std::string(m.permanent ? "redirectregex(permanent) " : "redirectregex ") +
             m.regex->pattern() + " -> " + m.replacement;
    }
    std::string operator()(const RedirectScheme& m) {
      return std::string(m.permanent ? "redirectscheme(permanent) " : "redirectscheme ") +
             m.scheme + (m.port.empty() ? "" : ":" + m.port);
    }
    std::string operator()(const RedirectTo& m) {
      return "redirect " + std::to_string(m.status) + " " + m.url;
    }
    std::string operator()(const HeaderRules& m) {
      return "headers (" + std::to_string(m.set_request.size() + m.remove_request.size()) +
             " request, " +
             std::to_string(m.set_response.size() + m.add_response.size() +
                            m.remove_response.size()) +
             " response)";
    }
    std::string operator()(const SetHost& m) {
      return "host " + (m.to_destination ? std::string("=dst") : m.host);
    }
  };
  return std::visit(Describer{}, middleware);
}

std::optional<LocalResponse> apply_middlewares(const std::vector<Middleware>& middlewares,
                                               RewriteState& state) {
  Applier applier{state};
  for (const Middleware& m : middlewares) {
    if (std::optional<LocalResponse> r = std::visit(applier, m)) return r;
  }
  return std::nullopt;
}

}  // namespace caravan::proxy
