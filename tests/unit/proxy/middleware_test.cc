// Middlewares: internal rewrites keep the query, redirects carry the right code.
#include "proxy/middleware.h"

#include <gtest/gtest.h>

namespace caravan::proxy {
namespace {

struct Rewritten {
  Forward forward;
  RewriteState state;
  std::optional<LocalResponse> response;
};

Rewritten run(std::vector<Middleware> middlewares, std::string target, std::string method = "GET",
              std::string scheme = "http", std::string host = "example.com") {
  Rewritten r;
  r.state.method = std::move(method);
  r.state.scheme = std::move(scheme);
  r.state.host_header = std::move(host);
  size_t q = target.find('?');
  r.state.path = target.substr(0, q);
  r.state.query = q == std::string::npos ? "" : target.substr(q + 1);
  r.state.forward = &r.forward;
  r.response = apply_middlewares(middlewares, r.state);
  return r;
}

std::string header(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const HeaderField& f : fields) {
    if (f.name == name) return f.value;
  }
  return "<absent>";
}

std::string rewritten_path(const ReplacePathRegex& m, std::string path) {
  return run({m}, std::move(path)).state.path;
}

TEST(Middleware, StripPrefixRemovesTheFirstMatchingPrefixAndKeepsTheQuery) {
  Rewritten r = run({StripPrefix{{"/other", "/api"}}}, "/api/users?id=7");
  EXPECT_FALSE(r.response);
  EXPECT_EQ(r.state.target(), "/users?id=7");
  EXPECT_EQ(header(r.forward.set_request_headers, "X-Forwarded-Prefix"), "/api");
  EXPECT_EQ(run({StripPrefix{{"/api"}}}, "/api").state.target(), "/");
  EXPECT_EQ(run({StripPrefix{{"/api"}}}, "/apix").state.target(), "/x");
  EXPECT_EQ(run({StripPrefix{{"/api"}}}, "/web").state.target(), "/web");
}

TEST(Middleware, AddPrefixPrepends) {
  EXPECT_EQ(run({AddPrefix{"/v2"}}, "/users?x=1").state.target(), "/v2/users?x=1");
}

TEST(Middleware, ReplacePathRegexRewritesWithGroupsInternally) {
  Result<ReplacePathRegex> m = make_replace_path_regex("^/old/(.*)", "/new/${1}");
  ASSERT_TRUE(m.has_value()) << m.status().to_string();
  Rewritten r = run({*m}, "/old/a/b?q=1");
  EXPECT_FALSE(r.response);
  EXPECT_EQ(r.state.target(), "/new/a/b?q=1");
  EXPECT_EQ(header(r.forward.set_request_headers, "X-Replaced-Path"), "/old/a/b");
  // Named groups and $N work too; no match leaves the path alone.
  Result<ReplacePathRegex> named = make_replace_path_regex("^/u/(?P<id>[0-9]+)$", "/users/$id-$1");
  ASSERT_TRUE(named.has_value()) << named.status().to_string();
  EXPECT_EQ(rewritten_path(*named, "/u/42"), "/users/42-42");
  // Go reads "$1x" as the group named "1x": the regex has none, which is an error here.
  EXPECT_FALSE(make_replace_path_regex("^/u/([0-9]+)$", "/users/$1x").has_value());
  Result<ReplacePathRegex> named2 = make_replace_path_regex("^/u/(?P<id>[0-9]+)$", "/users/${id}");
  ASSERT_TRUE(named2.has_value()) << named2.status().to_string();
  EXPECT_EQ(run({*named2}, "/u/42").state.path, "/users/42");
  EXPECT_EQ(run({*named2}, "/u/x").state.path, "/u/x");
}

TEST(Middleware, ReplacementErrorsNameTheProblem) {
  EXPECT_FALSE(make_replace_path_regex("(", "x").has_value());
  Result<ReplacePathRegex> r = make_replace_path_regex("^/(a)$", "/$2");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("uses group 2"), std::string::npos);
}

TEST(Middleware, RedirectRegexUsesCapturesAndTraefikStatusCodes) {
  Result<RedirectRegex> temp =
      make_redirect_regex("^http://example.com/(.*)", "https://www.example.com/${1}", false);
  ASSERT_TRUE(temp.has_value());
  Rewritten get = run({*temp}, "/a?b=1");
  ASSERT_TRUE(get.response);
  EXPECT_EQ(get.response->status, 302);
  EXPECT_EQ(header(get.response->headers, "Location"), "https://www.example.com/a?b=1");
  EXPECT_EQ(run({*temp}, "/a", "POST").response->status, 307);
  Result<RedirectRegex> perm =
      make_redirect_regex("^http://example.com/(.*)", "https://x/$1", true);
  EXPECT_EQ(run({*perm}, "/a").response->status, 301);
  EXPECT_EQ(run({*perm}, "/a", "PUT").response->status, 308);
  // No match: the request goes on.
  Rewritten other = run({*temp}, "/a", "GET", "http", "other.com");
  EXPECT_FALSE(other.response);
}

TEST(Middleware, RedirectSchemeSkipsRequestsAlreadyOnTheScheme) {
  Rewritten r =
      run({RedirectScheme{"https", "", true}}, "/p?q=1", "GET", "http", "example.com:8080");
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->status, 301);
  EXPECT_EQ(header(r.response->headers, "Location"), "https://example.com/p?q=1");
  Rewritten port = run({RedirectScheme{"https", "8443", false}}, "/p", "GET");
  EXPECT_EQ(port.response->status, 302);
  EXPECT_EQ(header(port.response->headers, "Location"), "https://example.com:8443/p");
  EXPECT_FALSE(run({RedirectScheme{"https", "", true}}, "/p", "GET", "https").response);
}

TEST(Middleware, FabioRedirectSubstitutesPath) {
  Rewritten r = run({RedirectTo{301, "https://www.foo.com$path"}}, "/a/b?x=1");
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->status, 301);
  EXPECT_EQ(header(r.response->headers, "Location"), "https://www.foo.com/a/b?x=1");
}

TEST(Middleware, HeaderRulesSetRemoveAndReplaceResponseHeaders) {
  HeaderRules h;
  h.set_request = {{"X-Env", "prod"}};
  h.remove_request = {"X-Debug"};
  h.set_response = {{"X-Frame-Options", "DENY"}};
  h.remove_response = {"Server"};
  Rewritten r = run({h}, "/");
  EXPECT_EQ(header(r.forward.set_request_headers, "X-Env"), "prod");
  EXPECT_EQ(r.forward.remove_request_headers, std::vector<std::string>{"X-Debug"});
  EXPECT_EQ(r.forward.remove_response_headers,
            (std::vector<std::string>{"Server", "X-Frame-Options"}));
  EXPECT_EQ(header(r.forward.add_response_headers, "X-Frame-Options"), "DENY");
}

TEST(Middleware, RedirectStopsTheChain) {
  Rewritten r = run({RedirectScheme{"https", "", false}, AddPrefix{"/never"}}, "/p");
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.state.path, "/p");
}

}  // namespace
}  // namespace caravan::proxy
