// Traefik labels in tags → routers, services and middlewares.
#include "proxy/traefik_tags.h"

#include <gtest/gtest.h>

namespace caravan::proxy {
namespace {

bool any_contains(const std::vector<std::string>& lines, std::string_view fragment) {
  for (const std::string& l : lines) {
    if (l.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(TraefikTags, RoutersServicesAndMiddlewares) {
  TraefikLabels l = parse_traefik_tags({
      "traefik.enable=true",
      "traefik.http.routers.web.rule=Host(`a.com`) && PathPrefix(`/api`)",
      "traefik.http.routers.web.priority=42",
      "traefik.http.routers.web.middlewares=strip@consulcatalog, hdr",
      "traefik.http.routers.web.service=websvc",
      "traefik.http.services.websvc.loadBalancer.server.port=8080",
      "traefik.http.services.websvc.loadbalancer.server.weight=3",
      "traefik.http.services.websvc.loadbalancer.sticky.cookie.name=srv",
      "traefik.http.services.websvc.loadbalancer.sticky.cookie.secure=true",
      "traefik.http.services.websvc.loadbalancer.sticky.cookie.samesite=Lax",
      "traefik.http.services.websvc.loadbalancer.strategy=p2c",
      "traefik.http.middlewares.strip.stripPrefix.prefixes=/api,/v1",
      "traefik.http.middlewares.hdr.headers.customrequestheaders.X-Env=prod",
      "unrelated",
  });
  EXPECT_TRUE(l.has_labels);
  EXPECT_TRUE(l.enabled);
  EXPECT_TRUE(l.warnings.empty()) << l.warnings.front();
  ASSERT_EQ(l.routers.count("web"), 1u);
  const TraefikRouter& r = l.routers.at("web");
  EXPECT_EQ(r.rule, "Host(`a.com`) && PathPrefix(`/api`)");
  EXPECT_EQ(r.priority, 42);
  EXPECT_EQ(r.middlewares, (std::vector<std::string>{"strip", "hdr"}));
  EXPECT_EQ(r.service, "websvc");
  const TraefikService& s = l.services.at("websvc");
  EXPECT_EQ(s.port, 8080);
  EXPECT_EQ(s.weight, 3);
  ASSERT_TRUE(s.sticky);
  EXPECT_EQ(s.sticky->name, "srv");
  EXPECT_TRUE(s.sticky->secure);
  EXPECT_EQ(s.sticky->same_site, "lax");
  EXPECT_EQ(s.strategy, BalanceAlgorithm::kLeastRequest);
  EXPECT_EQ(l.middlewares.at("strip").type, "stripprefix");
  EXPECT_EQ(l.middlewares.at("hdr").options.at("customrequestheaders.X-Env"), "prod");
}

TEST(TraefikTags, EnableFollowsExposedByDefault) {
  EXPECT_TRUE(parse_traefik_tags({"traefik.http.routers.a.rule=Host(`a`)"}).enabled);
  TraefikOptions opt;
  opt.exposed_by_default = false;
  EXPECT_FALSE(parse_traefik_tags({"traefik.http.routers.a.rule=Host(`a`)"}, opt).enabled);
  EXPECT_TRUE(parse_traefik_tags({"traefik.enable=true"}, opt).enabled);
  EXPECT_FALSE(parse_traefik_tags({"traefik.enable=false"}).enabled);
  EXPECT_FALSE(parse_traefik_tags({"urlprefix-/x"}).has_labels);
}

TEST(TraefikTags, UnknownAndUnsupportedLabelsWarn) {
  TraefikLabels l = parse_traefik_tags({
      "traefik.tcp.routers.db.rule=HostSNI(`db`)",
      "traefik.http.routers.a.tls=true",
      "traefik.http.routers.a.priority=high",
      "traefik.http.services.s.loadbalancer.healthcheck.path=/h",
      "traefik.http.services.s.loadbalancer.server.port=99999",
      "traefik.nonsense=1",
  });
  EXPECT_TRUE(any_contains(l.warnings, "tcp routers are not supported"));
  EXPECT_TRUE(any_contains(l.warnings, "router option \"tls\" is not supported"));
  EXPECT_TRUE(any_contains(l.warnings, "priority must be an integer"));
  EXPECT_TRUE(any_contains(l.warnings, "healthcheck.path\" is not supported"));
  EXPECT_TRUE(any_contains(l.warnings, "server.port must be 1-65535"));
  EXPECT_TRUE(any_contains(l.warnings, "unknown label"));
  EXPECT_EQ(l.bad_routers, std::vector<std::string>{"a"});
}

TEST(TraefikTags, StickyCookieOptionAloneEnablesStickiness) {
  TraefikLabels l = parse_traefik_tags({"traefik.http.services.s.loadbalancer.sticky.cookie=true"});
  ASSERT_TRUE(l.services.at("s").sticky);
  EXPECT_EQ(l.services.at("s").sticky->path, "/");
}

TraefikMiddlewareDecl decl(std::string type, std::map<std::string, std::string> options) {
  return TraefikMiddlewareDecl{"m", std::move(type), std::move(options)};
}

TEST(TraefikTags, BuildsEachMiddlewareType) {
  auto strip = build_traefik_middleware(decl("stripprefix", {{"prefixes", "/a, /b"}}));
  ASSERT_TRUE(strip.has_value());
  EXPECT_EQ(std::get<StripPrefix>(*strip).prefixes, (std::vector<std::string>{"/a", "/b"}));
  auto add = build_traefik_middleware(decl("addprefix", {{"prefix", "/x"}}));
  ASSERT_TRUE(add.has_value());
  EXPECT_EQ(std::get<AddPrefix>(*add).prefix, "/x");
  auto replace = build_traefik_middleware(
      decl("replacepathregex", {{"regex", "^/a/(.*)"}, {"replacement", "/b/$1"}}));
  ASSERT_TRUE(replace.has_value()) << replace.status().to_string();
  EXPECT_TRUE(std::holds_alternative<ReplacePathRegex>(*replace));
  auto redirect = build_traefik_middleware(decl(
      "redirectregex",
      {{"regex", "^http://a/(.*)"}, {"replacement", "https://b/${1}"}, {"permanent", "true"}}));
  ASSERT_TRUE(redirect.has_value());
  EXPECT_TRUE(std::get<RedirectRegex>(*redirect).permanent);
  auto scheme =
      build_traefik_middleware(decl("redirectscheme", {{"scheme", "https"}, {"port", "8443"}}));
  ASSERT_TRUE(scheme.has_value());
  EXPECT_EQ(std::get<RedirectScheme>(*scheme).port, "8443");
  EXPECT_FALSE(std::get<RedirectScheme>(*scheme).permanent);
  auto headers = build_traefik_middleware(decl("headers", {{"customrequestheaders.X-A", "1"},
                                                           {"customrequestheaders.X-Gone", ""},
                                                           {"customresponseheaders.Server", ""},
                                                           {"customresponseheaders.X-B", "2"}}));
  ASSERT_TRUE(headers.has_value());
  const HeaderRules& h = std::get<HeaderRules>(*headers);
  ASSERT_EQ(h.set_request.size(), 1u);
  EXPECT_EQ(h.set_request[0].name, "X-A");
  EXPECT_EQ(h.remove_request, std::vector<std::string>{"X-Gone"});
  EXPECT_EQ(h.remove_response, std::vector<std::string>{"Server"});
  EXPECT_EQ(h.set_response.size(), 1u);
}

TEST(TraefikTags, BadMiddlewaresExplainThemselves) {
  auto message = [](TraefikMiddlewareDecl d) {
    Result<Middleware> r = build_traefik_middleware(d);
    EXPECT_FALSE(r.has_value());
    return r.has_value() ? std::string() : r.error().message();
  };
  EXPECT_NE(message(decl("ratelimit", {{"average", "100"}})).find("not supported"),
            std::string::npos);
  EXPECT_NE(message(decl("stripprefix", {})).find("prefixes is required"), std::string::npos);
  EXPECT_NE(message(decl("replacepathregex", {{"regex", "("}, {"replacement", "x"}}))
                .find("invalid regular expression"),
            std::string::npos);
  EXPECT_NE(message(decl("redirectscheme", {{"scheme", "ftp"}})).find("http or https"),
            std::string::npos);
  EXPECT_NE(message(decl("headers", {{"sslredirect", "true"}})).find("customrequestheaders"),
            std::string::npos);
  EXPECT_NE(message(decl("addprefix", {{"prefix", "/x"}, {"typo", "1"}})).find("\"typo\""),
            std::string::npos);
}

}  // namespace
}  // namespace caravan::proxy
