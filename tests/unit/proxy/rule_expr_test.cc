// Traefik rule expressions: parsing (with error positions), matching, specificity.
#include "proxy/rule_expr.h"

#include <gtest/gtest.h>

#include "routing_test_util.h"

namespace caravan::proxy {
namespace {

using testing::client;
using testing::request;

bool matches(std::string_view rule, const RequestHead& head, const ClientInfo& c = client()) {
  Result<RuleConstSharedPtr> parsed = parse_rule(rule);
  EXPECT_TRUE(parsed.has_value()) << parsed.status().to_string();
  if (!parsed) return false;
  return rule_matches(**parsed, MatchInput(head, c));
}

TEST(RuleExpr, HostMatchesCaseInsensitivelyAndIgnoresThePort) {
  EXPECT_TRUE(matches("Host(`api.example.com`)", request("API.Example.com:8080", "/")));
  EXPECT_FALSE(matches("Host(`api.example.com`)", request("www.example.com", "/")));
  EXPECT_TRUE(matches("Host(`a.com`, `b.com`)", request("b.com", "/")));
}

TEST(RuleExpr, HostWildcardMatchesSubdomainsOnly) {
  EXPECT_TRUE(matches("Host(`*.example.com`)", request("x.y.example.com", "/")));
  EXPECT_FALSE(matches("Host(`*.example.com`)", request("example.com", "/")));
}

TEST(RuleExpr, HostFallsBackToSniWhenNoHostHeader) {
  ClientInfo c = client();
  c.sni = "Secure.Example.com";
  EXPECT_TRUE(matches("Host(`secure.example.com`)", request("", "/"), c));
}

TEST(RuleExpr, PathPathPrefixAndPathRegexp) {
  EXPECT_TRUE(matches("Path(`/a/b`)", request("h", "/a/b?x=1")));
  EXPECT_FALSE(matches("Path(`/a/b`)", request("h", "/a/b/c")));
  EXPECT_TRUE(matches("PathPrefix(`/api`)", request("h", "/api/v1")));
  EXPECT_TRUE(matches("PathPrefix(`/api`)", request("h", "/apis")));
  EXPECT_FALSE(matches("PathPrefix(`/api`)", request("h", "/ap")));
  EXPECT_TRUE(matches("PathRegexp(`^/users/[0-9]+$`)", request("h", "/users/42")));
  EXPECT_FALSE(matches("PathRegexp(`^/users/[0-9]+$`)", request("h", "/users/x")));
}

TEST(RuleExpr, HeaderMethodQueryAndClientIp) {
  RequestHead h =
      request("h", "/?debug=1&name=a%20b", "POST", {{"X-Env", "staging"}, {"X-Env", "canary"}});
  EXPECT_TRUE(matches("Header(`x-env`, `canary`)", h));
  EXPECT_FALSE(matches("Header(`X-Env`, `prod`)", h));
  EXPECT_TRUE(matches("HeaderRegexp(`X-Env`, `^stag`)", h));
  EXPECT_TRUE(matches("Method(`post`)", h));
  EXPECT_FALSE(matches("Method(`GET`)", h));
  EXPECT_TRUE(matches("Query(`debug`, `1`)", h));
  EXPECT_TRUE(matches("Query(`debug`)", h));
  EXPECT_TRUE(matches("Query(`name`, `a b`)", h));
  EXPECT_FALSE(matches("Query(`debug`, `2`)", h));
  EXPECT_TRUE(matches("QueryRegexp(`debug`, `^[0-9]$`)", h));
  EXPECT_TRUE(matches("ClientIP(`10.0.0.0/8`)", h, client("10.9.8.7")));
  EXPECT_FALSE(matches("ClientIP(`10.0.0.0/8`)", h, client("192.168.1.1")));
  EXPECT_TRUE(matches("ClientIP(`192.168.1.1`, `::1`)", h, client("::1")));
  EXPECT_TRUE(matches("ClientIP(`fd00::/8`)", h, client("fd12::1")));
}

TEST(RuleExpr, OperatorsFollowPrecedenceAndParentheses) {
  RequestHead h = request("a.com", "/x", "GET");
  // && binds tighter than ||: true || (false && false)
  EXPECT_TRUE(matches("Host(`a.com`) || Host(`b.com`) && Path(`/nope`)", h));
  EXPECT_FALSE(matches("(Host(`a.com`) || Host(`b.com`)) && Path(`/nope`)", h));
  EXPECT_TRUE(matches("!Path(`/nope`) && Host(`a.com`)", h));
  EXPECT_FALSE(matches("!(Host(`a.com`) || Path(`/x`))", h));
  EXPECT_TRUE(matches("Host(\"a.com\") && PathPrefix(\"/\")", h));
}

TEST(RuleExpr, SyntaxErrorsNameTheColumn) {
  struct Case {
    std::string rule;
    std::string fragment;
  };
  for (const Case& c : std::vector<Case>{
           {"Host(`a.com`", "column 13: expected \",\" or \")\""},
           {"Host(`a.com`) && ", "column 18: expected a matcher"},
           {"Hots(`a.com`)", "column 1: unknown matcher \"Hots\"; did you mean \"Host\"?"},
           {"Host(`a.com) ", "column 6: unterminated string"},
           {"Host(`a`) & Path(`/`)", "column 11: unexpected character '&'"},
           {"Header(`X-A`)", "column 1: Header takes 2 argument(s), got 1"},
           {"PathRegexp(`(`)", "invalid regular expression"},
           {"ClientIP(`10.0.0.0/33`)", "ClientIP needs an IP address or CIDR"},
           {"Path(`nope`)", "a path must start with \"/\""},
           {"(Host(`a`)", "column 11: expected \")\" to close the \"(\" at column 1"},
           {"Host(`a`) Path(`/`)", "column 11: unexpected \"Path\""},
           {"", "the rule is empty"},
       }) {
    Result<RuleConstSharedPtr> r = parse_rule(c.rule);
    ASSERT_FALSE(r.has_value()) << c.rule;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(c.fragment), std::string::npos)
        << c.rule << " gave: " << r.error().message();
  }
}

TEST(RuleExpr, DeepNestingIsAnErrorNotACrash) {
  std::string rule(500, '(');
  rule += "Host(`a`)" + std::string(500, ')');
  EXPECT_FALSE(parse_rule(rule).has_value());
}

TEST(RuleExpr, ToStringRoundTrips) {
  std::string text = "Host(`a.com`) && (PathPrefix(`/x`) || !Method(`POST`))";
  Result<RuleConstSharedPtr> r = parse_rule(text);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(rule_to_string(**r), text);
  Result<RuleConstSharedPtr> again = parse_rule(rule_to_string(**r));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(rule_to_string(**again), text);
}

TEST(RuleExpr, SpecificityRanksExactHostOverWildcardOverNone) {
  auto spec = [](std::string_view rule) { return rule_specificity(**parse_rule(rule)); };
  EXPECT_EQ(spec("Host(`a.example.com`)").host_rank, 2);
  EXPECT_EQ(spec("Host(`*.example.com`)").host_rank, 1);
  EXPECT_EQ(spec("HostRegexp(`^.+\\.example\\.com$`)").host_rank, 1);
  EXPECT_EQ(spec("PathPrefix(`/a`)").host_rank, 0);
  // A disjunction is only as specific as its weakest branch.
  EXPECT_EQ(spec("Host(`a.com`) || PathPrefix(`/a`)").host_rank, 0);
  EXPECT_EQ(spec("Host(`a.com`) && PathPrefix(`/abc`)").path_length, 8u);
  EXPECT_GT(spec("Path(`/abc`)").path_length, spec("PathPrefix(`/abc`)").path_length);
  EXPECT_EQ(spec("!Host(`a.com`)").host_rank, 0);
}

}  // namespace
}  // namespace caravan::proxy
