// Fabio urlprefix- tags → routes.
#include "proxy/fabio_tags.h"

#include <gtest/gtest.h>

namespace caravan::proxy {
namespace {

FabioRoute ok(std::string_view tag) {
  std::optional<Result<FabioRoute>> r = parse_fabio_tag(tag);
  EXPECT_TRUE(r.has_value()) << tag;
  if (!r) return {};
  EXPECT_TRUE(r->has_value()) << r->status().to_string();
  return r->has_value() ? **r : FabioRoute{};
}

std::string error(std::string_view tag) {
  std::optional<Result<FabioRoute>> r = parse_fabio_tag(tag);
  EXPECT_TRUE(r.has_value() && !r->has_value()) << tag;
  return r && !r->has_value() ? r->error().message() : "";
}

TEST(FabioTags, PathOnlyAndHostWithPath) {
  FabioRoute a = ok("urlprefix-/css");
  EXPECT_EQ(a.host, "");
  EXPECT_EQ(a.path, "/css");
  FabioRoute b = ok("urlprefix-I.Com/static");
  EXPECT_EQ(b.host, "i.com");
  EXPECT_EQ(b.path, "/static");
  EXPECT_EQ(ok("urlprefix-mysite.com/").path, "/");
}

TEST(FabioTags, OtherTagsAreNotRoutes) {
  EXPECT_FALSE(parse_fabio_tag("backup").has_value());
  EXPECT_FALSE(parse_fabio_tag("traefik.enable=true").has_value());
  EXPECT_TRUE(parse_fabio_tag("edge-/x", "edge-").has_value());
}

TEST(FabioTags, Options) {
  FabioRoute r = ok("urlprefix-/foo/bar strip=/foo prepend=/v1 proto=https host=dst");
  EXPECT_EQ(r.strip, "/foo");
  EXPECT_EQ(r.prepend, "/v1");
  EXPECT_EQ(r.proto, "https");
  EXPECT_TRUE(r.host_to_destination);
  EXPECT_EQ(ok("urlprefix-/x host=internal.example").host_header, "internal.example");
  FabioRoute redirect = ok("urlprefix-/path redirect=301,https://www.foo.com$path");
  ASSERT_TRUE(redirect.redirect);
  EXPECT_EQ(redirect.redirect->status, 301);
  EXPECT_EQ(redirect.redirect->url, "https://www.foo.com$path");
}

TEST(FabioTags, UnsupportedOrBadOptionsAreErrors) {
  EXPECT_NE(error("urlprefix-:3306 proto=tcp").find("TCP port routes"), std::string::npos);
  EXPECT_NE(error("urlprefix-/x proto=tcp").find("proto=tcp is not supported"), std::string::npos);
  EXPECT_NE(error("urlprefix-/x proto=grpc").find("not supported"), std::string::npos);
  EXPECT_NE(error("urlprefix-/x tlsskipverify=true").find("not supported by caravan"),
            std::string::npos);
  EXPECT_NE(error("urlprefix-/x colour=blue").find("unknown option \"colour\""), std::string::npos);
  EXPECT_NE(error("urlprefix-/x redirect=200,http://x").find("3xx"), std::string::npos);
  EXPECT_NE(error("urlprefix-example.com").find("needs a path"), std::string::npos);
  EXPECT_NE(error("urlprefix-/x strip").find("has no value"), std::string::npos);
}

TEST(FabioTags, RouteSpecCarriesRuleAndMiddlewares) {
  RouteSpec spec = fabio_route_spec(ok("urlprefix-a.com/foo strip=/foo"), "web");
  EXPECT_EQ(spec.name, "fabio:a.com/foo");
  EXPECT_EQ(spec.source, RouteSource::kFabio);
  EXPECT_EQ(rule_to_string(*spec.rule), "Host(`a.com`) && PathPrefix(`/foo`)");
  ASSERT_EQ(spec.middlewares.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StripPrefix>(spec.middlewares[0]));
}

}  // namespace
}  // namespace caravan::proxy
