// Fabio route tags: `urlprefix-[host]/path [opt=value ...]` on a catalog
// service becomes a route (RouteSpec) to that service's passing instances.
// Options: strip=/p, prepend=/p, redirect=<3xx>,<url with $path>,
// proto=http|https, host=dst|<name>. Anything else (proto=tcp, allow=, ...) is
// reported and the tag is skipped; the service's other tags still count.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "proxy/middleware.h"
#include "proxy/route.h"

namespace caravan::proxy {

inline constexpr std::string_view kFabioTagPrefix = "urlprefix-";

struct FabioRoute {
  std::string host;  // lower-cased; empty = any host
  std::string path;  // starts with "/"
  std::string strip;
  std::string prepend;
  std::optional<RedirectTo> redirect;
  std::string proto = "http";
  bool host_to_destination = false;  // host=dst
  std::string host_header;           // host=<name>
};

// nullopt when `tag` does not start with `prefix` (not a Fabio route tag);
// otherwise the route or an InvalidArgument saying what is wrong with the tag.
std::optional<Result<FabioRoute>> parse_fabio_tag(std::string_view tag,
                                                  std::string_view prefix = kFabioTagPrefix);

// The route for `service` (no backends yet): rule Host(host) && PathPrefix(path),
// middlewares in Fabio's order (redirect, strip, prepend, host). Named
// "fabio:<host><path>": as in Fabio, every service declaring the same host and
// path shares the route (blue/green deployments under two service names).
RouteSpec fabio_route_spec(const FabioRoute& route, const std::string& service);

}  // namespace caravan::proxy
