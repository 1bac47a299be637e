#include "http/router.h"

#include <algorithm>

#include "core/check.h"
#include "core/strings.h"
#include "http/internal/url.h"

namespace caravan::http {
namespace {

// "/a/b/" → {"a", "b"}; "/" → {}. One trailing slash is not a segment.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.starts_with('/')) {
    path.remove_prefix(1);
  }
  if (path.ends_with('/')) {
    path.remove_suffix(1);
  }
  if (path.empty()) {
    return segments;
  }
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

std::string_view RouteParams::get(std::string_view name) const {
  for (const auto& [n, v] : params_) {
    if (n == name) {
      return v;
    }
  }
  return {};
}

bool RouteParams::has(std::string_view name) const {
  return std::any_of(params_.begin(), params_.end(),
                     [&](const auto& p) { return p.first == name; });
}

void RouteParams::add(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

void Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  CARAVAN_CHECK(!method.empty() && pattern.starts_with('/') && handler);
  Route route{std::string(method), std::string(pattern), {}, std::move(handler)};
  std::vector<std::string_view> parts = split_path(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.starts_with(':')) {
      CARAVAN_CHECK(part.size() > 1);
      route.segments.push_back({Segment::Kind::kParam, std::string(part.substr(1))});
    } else if (part.starts_with('*')) {
      CARAVAN_CHECK(i + 1 == parts.size());
      route.segments.push_back(
          {Segment::Kind::kWildcard, part.size() > 1 ? std::string(part.substr(1)) : "*"});
    } else {
      route.segments.push_back({Segment::Kind::kLiteral, std::string(part)});
    }
  }
  for (const Route& other : routes_) {
    bool same_shape = other.method == route.method &&
                      other.segments.size() == route.segments.size() &&
                      std::equal(other.segments.begin(), other.segments.end(),
                                 route.segments.begin(), [](const Segment& a, const Segment& b) {
                                   return a.kind == b.kind &&
                                          (a.kind != Segment::Kind::kLiteral || a.text == b.text);
                                 });
    CARAVAN_CHECK(!same_shape);  // duplicate route
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view raw_path) const {
  Match result;
  std::vector<std::string> segments;
  for (std::string_view raw : split_path(raw_path)) {
    Result<std::string> decoded = internal::percent_decode(raw, false);
    if (!decoded) {
      return result;  // not found
    }
    segments.push_back(std::move(*decoded));
  }

  const Route* best = nullptr;
  std::vector<int> best_rank;
  for (const Route& route : routes_) {
    std::vector<int> rank;
    bool matched = true;
    size_t i = 0;
    for (; i < route.segments.size() && matched; ++i) {
      const Segment& seg = route.segments[i];
      if (seg.kind == Segment::Kind::kWildcard) {
        rank.push_back(0);
        i = segments.size();
        break;
      }
      if (i >= segments.size()) {
        matched = false;
      } else if (seg.kind == Segment::Kind::kLiteral) {
        matched = segments[i] == seg.text;
        rank.push_back(2);
      } else {
        matched = !segments[i].empty();
        rank.push_back(1);
      }
    }
    if (!matched || i != segments.size()) {
      continue;
    }
    if (route.method != method) {
      if (std::find(result.allowed.begin(), result.allowed.end(), route.method) ==
          result.allowed.end()) {
        result.allowed.push_back(route.method);
      }
      continue;
    }
    if (best == nullptr || rank > best_rank) {
      best = &route;
      best_rank = std::move(rank);
    }
  }

  if (best == nullptr) {
    std::sort(result.allowed.begin(), result.allowed.end());
    result.kind = result.allowed.empty() ? Match::Kind::kNotFound : Match::Kind::kMethodNotAllowed;
    return result;
  }
  result.kind = Match::Kind::kFound;
  result.handler = &best->handler;
  result.allowed.clear();
  for (size_t i = 0; i < best->segments.size(); ++i) {
    const Segment& seg = best->segments[i];
    if (seg.kind == Segment::Kind::kParam) {
      result.params.add(seg.text, segments[i]);
    } else if (seg.kind == Segment::Kind::kWildcard) {
      std::vector<std::string> rest(segments.begin() + static_cast<std::ptrdiff_t>(i),
                                    segments.end());
      result.params.add(seg.text, join(rest, "/"));
    }
  }
  return result;
}

Response Router::no_route_response(const Match& match, std::string_view method,
                                   std::string_view path) {
  if (match.kind == Match::Kind::kMethodNotAllowed) {
    Response response = error_response(
        405, "method " + std::string(method) + " is not allowed on " + std::string(path) +
                 " (allowed: " + join(match.allowed, ", ") + ")");
    response.headers.set("Allow", join(match.allowed, ", "));
    return response;
  }
  return error_response(404, "no API endpoint at " + std::string(path));
}

Response Router::dispatch(const Request& request) const {
  Match m = match(request.method, request.raw_path.empty() ? request.path : request.raw_path);
  if (m.kind != Match::Kind::kFound) {
    return no_route_response(m, request.method, request.path);
  }
  return (*m.handler)(request, m.params);
}

}  // namespace caravan::http
