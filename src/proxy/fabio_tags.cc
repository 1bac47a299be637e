#include "proxy/fabio_tags.h"

#include <vector>

#include "core/strings.h"
#include "proxy/internal/text.h"

namespace caravan::proxy {
namespace {

constexpr std::string_view kUnsupportedOptions[] = {
    "tlsskipverify", "allow", "deny", "register", "auth", "weight", "pxyproto", "grpcservername"};

Status tag_error(std::string_view tag, const std::string& why) {
  return invalid_argument("Fabio tag \"" + std::string(tag) + "\": " + why);
}

}  // namespace

std::optional<Result<FabioRoute>> parse_fabio_tag(std::string_view tag, std::string_view prefix) {
  if (tag.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::vector<std::string> words;
  for (const std::string& w : split(tag.substr(prefix.size()), ' ')) {
    if (!trim(w).empty()) words.emplace_back(trim(w));
  }
  if (words.empty()) return tag_error(tag, "no route after the prefix; write urlprefix-host/path");
  FabioRoute route;
  const std::string& target = words.front();
  size_t slash = target.find('/');
  if (slash == std::string::npos) {
    if (!target.empty() && target.front() == ':') {
      return tag_error(tag, "TCP port routes (urlprefix-:port proto=tcp) are not supported");
    }
    return tag_error(tag, "the route needs a path: write urlprefix-" + target + "/");
  }
  route.host = internal::to_lower(target.substr(0, slash));
  route.path = target.substr(slash);
  if (route.host.find(':') != std::string::npos) {
    return tag_error(tag, "a port in the host is not supported; route on the host name alone");
  }
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return tag_error(tag, "option \"" + word + "\" has no value; write name=value");
    }
    std::string key = word.substr(0, eq);
    std::string value = word.substr(eq + 1);
    if (key == "strip") {
      route.strip = value;
    } else if (key == "prepend") {
      route.prepend = value;
    } else if (key == "proto") {
      if (value != "http" && value != "https") {
        return tag_error(tag, "proto=" + value + " is not supported; only http and https are");
      }
      route.proto = value;
    } else if (key == "host") {
      if (value == "dst") {
        route.host_to_destination = true;
      } else if (!value.empty()) {
        route.host_header = value;
      } else {
        return tag_error(tag, "host= needs dst or a host name");
      }
    } else if (key == "redirect") {
      size_t comma = value.find(',');
      std::optional<long long> code = internal::parse_int(std::string_view(value).substr(0, comma));
      if (comma == std::string::npos || !code ||
          (*code != 301 && *code != 302 && *code != 303 && *code != 307 && *code != 308)) {
        return tag_error(
            tag,
            "redirect= needs a 3xx code and a URL, e.g. redirect=301,https://example.com$path");
      }
      route.redirect = RedirectTo{static_cast<int>(*code), value.substr(comma + 1)};
    } else {
      bool known = false;
      for (std::string_view u : kUnsupportedOptions) known = known || key == u;
      return tag_error(tag, known ? "option \"" + key + "\" is not supported by caravan"
                                  : "unknown option \"" + key +
                                        "\"; known: strip, prepend, redirect, proto, host");
    }
  }
  return route;
}

RouteSpec fabio_route_spec(const FabioRoute& route, const std::string& service) {
  RouteSpec spec;
  spec.name = "fabio:" + route.host + route.path;
  spec.source = RouteSource::kFabio;
  spec.service = service;
  std::vector<RuleConstSharedPtr> parts;
  if (!route.host.empty()) parts.push_back(rule_host({route.host}));
  parts.push_back(rule_path_prefix(route.path));
  spec.rule = rule_and(std::move(parts));
  if (route.redirect) spec.middlewares.emplace_back(*route.redirect);
  if (!route.strip.empty()) spec.middlewares.emplace_back(StripPrefix{{route.strip}});
  if (!route.prepend.empty()) spec.middlewares.emplace_back(AddPrefix{route.prepend});
  if (route.host_to_destination) spec.middlewares.emplace_back(SetHost{true, ""});
  if (!route.host_header.empty()) spec.middlewares.emplace_back(SetHost{false, route.host_header});
  spec.upstream_scheme = route.proto;
  return spec;
}

}  // namespace caravan::proxy
