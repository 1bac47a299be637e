#include "proxy/traefik_tags.h"

#include "core/strings.h"
#include "proxy/internal/text.h"

namespace caravan::proxy {
namespace {

using internal::to_lower;

std::optional<bool> parse_bool(std::string_view v) {
  if (internal::iequals(v, "true")) return true;
  if (internal::iequals(v, "false")) return false;
  return std::nullopt;
}

std::string strip_provider(std::string_view name) {
  std::string s(trim(name));
  if (size_t at = s.find('@'); at != std::string::npos) s.resize(at);
  return s;
}

std::string join_from(const std::vector<std::string>& parts, size_t from, bool lower) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i > from) out += ".";
    out += lower ? to_lower(parts[i]) : parts[i];
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

class LabelParser {
 public:
  LabelParser(const TraefikOptions& options, TraefikLabels& out) : options_(options), out_(out) {}

  void parse(const std::string& tag) {
    std::string lead = options_.prefix + ".";
    if (!starts_with(tag, lead)) return;
    out_.has_labels = true;
    size_t eq = tag.find('=');
    if (eq == std::string::npos) {
      warn(tag, "not a label: write " + lead + "<key>=<value>");
      return;
    }
    tag_ = &tag;
    std::vector<std::string> seg =
        split(std::string_view(tag).substr(lead.size(), eq - lead.size()), '.');
    std::string value(trim(std::string_view(tag).substr(eq + 1)));
    std::string first = to_lower(seg[0]);
    if (seg.size() == 1 && first == "enable") {
      std::optional<bool> b = parse_bool(value);
      if (!b) return warn(tag, "traefik.enable takes true or false");
      enable_ = *b;
      return;
    }
    if (first == "tcp" || first == "udp") {
      return warn(tag, first + " routers are not supported by caravan (HTTP only); ignored");
    }
    if (first != "http" || seg.size() < 4) return warn(tag, "unknown label; ignored");
    std::string kind = to_lower(seg[1]);
    const std::string& name = seg[2];
    if (kind == "routers") return router(name, join_from(seg, 3, true), value);
    if (kind == "services" && to_lower(seg[3]) == "loadbalancer" && seg.size() >= 5) {
      return service(name, join_from(seg, 4, true), value);
    }
    if (kind == "middlewares" && seg.size() >= 5) {
      std::string option = to_lower(seg[4]);
      if (seg.size() > 5) option += "." + join_from(seg, 5, false);
      return middleware(name, to_lower(seg[3]), option, value);
    }
    warn(tag, "unknown label; ignored");
  }

  void finish() {
    if (enable_) {
      out_.enabled = *enable_;
    } else {
      out_.enabled = options_.exposed_by_default;
    }
  }

 private:
  void warn(const std::string& tag, const std::string& why) {
    out_.warnings.push_back("tag \"" + tag + "\": " + why);
  }
  void bad_router(const std::string& name, const std::string& why) {
    warn(*tag_, why + "; router \"" + name + "\" skipped");
    out_.bad_routers.push_back(name);
  }

  void router(const std::string& name, const std::string& option, const std::string& value) {
    TraefikRouter& r = out_.routers[name];
    r.name = name;
    if (option == "rule") {
      r.rule = value;
    } else if (option == "priority") {
      std::optional<long long> p = internal::parse_int(value);
      if (!p || *p < -1000000000 || *p > 1000000000)
        return bad_router(name, "priority must be an integer");
      r.priority = static_cast<int>(*p);
    } else if (option == "middlewares") {
      r.middlewares.clear();
      for (const std::string& m : split(value, ',')) {
        if (!trim(m).empty()) r.middlewares.push_back(strip_provider(m));
      }
    } else if (option == "service") {
      r.service = strip_provider(value);
    } else if (option == "entrypoints" || starts_with(option, "tls") ||
               starts_with(option, "observability")) {
      warn(*tag_, "router option \"" + option + "\" is not supported by caravan; ignored");
    } else {
      warn(*tag_, "unknown router option \"" + option + "\"; ignored");
    }
  }

  void service(const std::string& name, const std::string& option, const std::string& value) {
    TraefikService& s = out_.services[name];
    s.name = name;
    auto sticky = [&]() -> StickyCookie& {
      if (!s.sticky) s.sticky = StickyCookie{};
      return *s.sticky;
    };
    if (option == "server.port") {
      std::optional<long long> p = internal::parse_int(value);
      if (!p || *p < 1 || *p > 65535) return warn(*tag_, "server.port must be 1-65535; ignored");
      s.port = static_cast<uint16_t>(*p);
    } else if (option == "server.weight") {
      std::optional<long long> w = internal::parse_int(value);
      if (!w || *w < 1 || *w > 1000000)
        return warn(*tag_, "server.weight must be 1-1000000; ignored");
      s.weight = static_cast<int>(*w);
    } else if (option == "server.scheme") {
      if (value != "http" && value != "https")
        return warn(*tag_, "server.scheme must be http or https; ignored");
      s.scheme = value;
    } else if (option == "sticky.cookie") {
      std::optional<bool> b = parse_bool(value);
      if (!b) return warn(*tag_, "sticky.cookie takes true or false; ignored");
      if (*b) {
        sticky();
      } else {
        s.sticky.reset();
      }
    } else if (option == "sticky.cookie.name") {
      sticky().name = value;
    } else if (option == "sticky.cookie.secure" || option == "sticky.cookie.httponly") {
      std::optional<bool> b = parse_bool(value);
      if (!b) return warn(*tag_, option + " takes true or false; ignored");
      (option == "sticky.cookie.secure" ? sticky().secure : sticky().http_only) = *b;
    } else if (option == "sticky.cookie.samesite") {
      std::string v = to_lower(value);
      if (v != "none" && v != "lax" && v != "strict" && !v.empty()) {
        return warn(*tag_, "sticky.cookie.samesite must be none, lax or strict; ignored");
      }
      sticky().same_site = v;
    } else if (option == "sticky.cookie.maxage") {
      std::optional<long long> a = internal::parse_int(value);
      if (!a || *a < 0 || *a > 400LL * 24 * 3600)
        return warn(*tag_, "sticky.cookie.maxage must be seconds >= 0; ignored");
      sticky().max_age = static_cast<int>(*a);
    } else if (option == "sticky.cookie.path") {
      sticky().path = value.empty() ? "/" : value;
    } else if (option == "strategy") {
      std::string v = to_lower(value);
      if (v == "wrr") {
        s.strategy = BalanceAlgorithm::kRoundRobin;
      } else if (v == "p2c") {
        s.strategy = BalanceAlgorithm::kLeastRequest;
      } else if (v == "hrw") {
        s.strategy = BalanceAlgorithm::kRingHash;  // on the client IP, as Traefik's hrw
      } else if (v == "leasttime") {
        warn(*tag_, "strategy leasttime is not supported; least_request (p2c) is used instead");
        s.strategy = BalanceAlgorithm::kLeastRequest;
      } else if (std::optional<BalanceAlgorithm> a = parse_balance_algorithm(v)) {
        s.strategy = *a;
      } else {
        warn(*tag_, "unknown strategy \"" + value +
                        "\" (wrr, p2c, hrw, random, ring_hash, maglev); wrr is used");
      }
    } else {
      warn(*tag_, "load-balancer option \"" + option + "\" is not supported by caravan; ignored");
    }
  }

  void middleware(const std::string& name, const std::string& type, const std::string& option,
                  const std::string& value) {
    TraefikMiddlewareDecl& m = out_.middlewares[name];
    if (!m.type.empty() && m.type != type) {
      return warn(*tag_, "middleware \"" + name + "\" is already a " + m.type + "; ignored");
    }
    m.name = name;
    m.type = type;
    m.options[option] = value;
  }

  const TraefikOptions& options_;
  TraefikLabels& out_;
  const std::string* tag_ = nullptr;
  std::optional<bool> enable_;
};

Status mw_error(const TraefikMiddlewareDecl& d, const std::string& why) {
  return invalid_argument("middleware \"" + d.name + "\" (" + d.type + "): " + why);
}

Result<bool> option_bool(const TraefikMiddlewareDecl& d, const std::string& key) {
  auto it = d.options.find(key);
  if (it == d.options.end()) return false;
  std::optional<bool> b = parse_bool(it->second);
  if (!b) return mw_error(d, key + " takes true or false");
  return *b;
}

Status check_options(const TraefikMiddlewareDecl& d, std::vector<std::string> known) {
  for (const auto& [key, value] : d.options) {
    bool ok = false;
    for (const std::string& k : known) ok = ok || key == k;
    if (!ok) {
      return mw_error(d, "option \"" + key + "\" is not supported; known: " + join(known, ", "));
    }
  }
  return Status::ok();
}

Result<std::string> required(const TraefikMiddlewareDecl& d, const std::string& key) {
  auto it = d.options.find(key);
  if (it == d.options.end() || it->second.empty()) return mw_error(d, key + " is required");
  return it->second;
}

}  // namespace

TraefikLabels parse_traefik_tags(const std::vector<std::string>& tags,
                                 const TraefikOptions& options) {
  TraefikLabels out;
  LabelParser parser(options, out);
  for (const std::string& tag : tags) parser.parse(tag);
  parser.finish();
  return out;
}

Result<Middleware> build_traefik_middleware(const TraefikMiddlewareDecl& d) {
  if (d.type == "stripprefix") {
    CARAVAN_RETURN_IF_ERROR(check_options(d, {"prefixes", "forceslash"}));
    StripPrefix m;
    for (const std::string& p : split(CARAVAN_TRY(required(d, "prefixes")), ',')) {
      if (!trim(p).empty()) m.prefixes.emplace_back(trim(p));
    }
    return Middleware(std::move(m));
  }
  if (d.type == "addprefix") {
    CARAVAN_RETURN_IF_ERROR(check_options(d, {"prefix"}));
    std::string prefix = CARAVAN_TRY(required(d, "prefix"));
    if (prefix.front() != '/') return mw_error(d, "prefix must start with \"/\"");
    return Middleware(AddPrefix{prefix});
  }
  if (d.type == "replacepathregex") {
    CARAVAN_RETURN_IF_ERROR(check_options(d, {"regex", "replacement"}));
    auto replacement = d.options.count("replacement") ? d.options.at("replacement") : "";
    Result<ReplacePathRegex> m =
        make_replace_path_regex(CARAVAN_TRY(required(d, "regex")), replacement);
    if (!m) return mw_error(d, m.error().message());
    return Middleware(std::move(*m));
  }
  if (d.type == "redirectregex") {
    CARAVAN_RETURN_IF_ERROR(check_options(d, {"regex", "replacement", "permanent"}));
    bool permanent = CARAVAN_TRY(option_bool(d, "permanent"));
    auto replacement = d.options.count("replacement") ? d.options.at("replacement") : "";
    Result<RedirectRegex> m =
        make_redirect_regex(CARAVAN_TRY(required(d, "regex")), replacement, permanent);
    if (!m) return mw_error(d, m.error().message());
    return Middleware(std::move(*m));
  }
  if (d.type == "redirectscheme") {
    CARAVAN_RETURN_IF_ERROR(check_options(d, {"scheme", "permanent", "port"}));
    RedirectScheme m;
    m.scheme = to_lower(CARAVAN_TRY(required(d, "scheme")));
    if (m.scheme != "http" && m.scheme != "https")
      return mw_error(d, "scheme must be http or https");
    m.permanent = CARAVAN_TRY(option_bool(d, "permanent"));
    if (auto it = d.options.find("port"); it != d.options.end()) {
      std::optional<long long> port = internal::parse_int(it->second);
      if (!port || *port < 1 || *port > 65535) return mw_error(d, "port must be 1-65535");
      m.port = it->second;
    }
    return Middleware(std::move(m));
  }
  if (d.type == "headers") {
    HeaderRules m;
    for (const auto& [key, value] : d.options) {
      bool request = starts_with(key, "customrequestheaders.");
      bool response = starts_with(key, "customresponseheaders.");
      if (!request && !response) {
        return mw_error(d, "option \"" + key +
                               "\" is not supported; use customrequestheaders.<Name> or "
                               "customresponseheaders.<Name>");
      }
      std::string header = key.substr(key.find('.') + 1);
      if (header.empty()) return mw_error(d, "a header name is missing in \"" + key + "\"");
      if (request) {
        if (value.empty()) {
          m.remove_request.push_back(header);
        } else {
          m.set_request.push_back({header, value});
        }
      } else if (value.empty()) {
        m.remove_response.push_back(header);
      } else {
        m.set_response.push_back({header, value});
      }
    }
    return Middleware(std::move(m));
  }
  return mw_error(d,
                  "this middleware type is not supported by caravan; supported: stripprefix, "
                  "addprefix, replacepathregex, redirectregex, redirectscheme, headers");
}

}  // namespace caravan::proxy
