// Route precedence: one order for every source (see route_table.h).
#include "proxy/route_table.h"

#include <gtest/gtest.h>

#include "routing_test_util.h"

namespace caravan::proxy {
namespace {

using testing::client;
using testing::request;

RouteSpec spec(std::string name, std::string_view rule, int priority = 0,
               RouteSource source = RouteSource::kTraefik) {
  RouteSpec s;
  s.name = std::move(name);
  s.source = source;
  s.rule = *parse_rule(rule);
  s.priority = priority;
  s.service = "svc";
  return s;
}

std::string matched(const RouteTable& table, const RequestHead& head,
                    const ClientInfo& c = client()) {
  const Route* r = table.match(head, c);
  return r ? r->spec.name : "<none>";
}

std::vector<std::string> order(const RouteTable& table) {
  std::vector<std::string> names;
  for (const auto& r : table.routes()) names.push_back(r->spec.name);
  return names;
}

TEST(RouteTable, ExplicitPriorityWinsOverEverything) {
  HealthRegistry registry;
  auto table = RouteTable::build({spec("specific", "Host(`a.com`) && PathPrefix(`/api/v1`)"),
                                  spec("catchall", "PathPrefix(`/`)", 10)},
                                 registry);
  EXPECT_EQ(matched(*table, request("a.com", "/api/v1/x")), "catchall");
}

TEST(RouteTable, NegativePriorityRanksBelowDefaults) {
  HealthRegistry registry;
  auto table = RouteTable::build(
      {spec("fallback", "Host(`a.com`)", -1), spec("any", "PathPrefix(`/`)")}, registry);
  EXPECT_EQ(matched(*table, request("a.com", "/")), "any");
}

TEST(RouteTable, ExactHostBeatsWildcardBeatsNoHost) {
  HealthRegistry registry;
  auto table = RouteTable::build(
      {spec("nohost", "PathPrefix(`/long/path/prefix`)"), spec("wild", "Host(`*.example.com`)"),
       spec("exact", "Host(`api.example.com`)")},
      registry);
  EXPECT_EQ(order(*table), (std::vector<std::string>{"exact", "wild", "nohost"}));
  EXPECT_EQ(matched(*table, request("api.example.com", "/long/path/prefix")), "exact");
  EXPECT_EQ(matched(*table, request("www.example.com", "/long/path/prefix")), "wild");
  EXPECT_EQ(matched(*table, request("other.org", "/long/path/prefix/x")), "nohost");
  EXPECT_EQ(matched(*table, request("other.org", "/")), "<none>");
}

TEST(RouteTable, LongestPathPrefixWinsAcrossSources) {
  HealthRegistry registry;
  RouteSpec fabio =
      spec("fabio:web:a.com/api", "Host(`a.com`) && PathPrefix(`/api`)", 0, RouteSource::kFabio);
  RouteSpec file =
      spec("file:80:web/api/v2", "Host(`a.com`) && PathPrefix(`/api/v2`)", 0, RouteSource::kFile);
  RouteSpec traefik = spec("root@web", "Host(`a.com`)");
  auto table = RouteTable::build({traefik, fabio, file}, registry);
  EXPECT_EQ(matched(*table, request("a.com", "/api/v2/users")), "file:80:web/api/v2");
  EXPECT_EQ(matched(*table, request("a.com", "/api/v1")), "fabio:web:a.com/api");
  EXPECT_EQ(matched(*table, request("a.com", "/static")), "root@web");
}

TEST(RouteTable, ExactPathBeatsPrefixOfSameLength) {
  HealthRegistry registry;
  auto table = RouteTable::build(
      {spec("prefix", "PathPrefix(`/login`)"), spec("exact", "Path(`/login`)")}, registry);
  EXPECT_EQ(matched(*table, request("h", "/login")), "exact");
  EXPECT_EQ(matched(*table, request("h", "/login/x")), "prefix");
}

TEST(RouteTable, RuleLengthBreaksTiesAsTraefikDoes) {
  HealthRegistry registry;
  auto table = RouteTable::build({spec("plain", "Host(`a.com`)"),
                                  spec("with-header", "Host(`a.com`) && Header(`X-Canary`, `1`)")},
                                 registry);
  EXPECT_EQ(matched(*table, request("a.com", "/", "GET", {{"X-Canary", "1"}})), "with-header");
  EXPECT_EQ(matched(*table, request("a.com", "/")), "plain");
}

TEST(RouteTable, NameBreaksFullTiesAndDuplicatesAreWarned) {
  HealthRegistry registry;
  auto table = RouteTable::build(
      {spec("b", "Host(`a.com`)"), spec("a", "Host(`a.com`)"), spec("a", "Host(`z.com`)")},
      registry);
  EXPECT_EQ(order(*table), (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(table->warnings().size(), 1u);
  EXPECT_NE(table->warnings()[0].find("declared twice"), std::string::npos);
}

TEST(RouteTable, ListenerPortRestrictsFileRoutes) {
  HealthRegistry registry;
  RouteSpec internal = spec("internal", "PathPrefix(`/`)", 0, RouteSource::kFile);
  internal.listener_port = 9000;
  auto table = RouteTable::build({internal}, registry);
  EXPECT_EQ(matched(*table, request("h", "/"), client("1.2.3.4", 9000)), "internal");
  EXPECT_EQ(matched(*table, request("h", "/"), client("1.2.3.4", 80)), "<none>");
}

TEST(RouteTable, HealthIsSharedAcrossTablesForTheSameInstance) {
  HealthRegistry registry;
  RouteSpec s = spec("r", "PathPrefix(`/`)");
  Backend b;
  b.endpoint = Endpoint{"i1", "svc", "10.0.0.1", 80};
  s.backends.push_back(b);
  auto first = RouteTable::build({s}, registry);
  first->health("i1")->attempt_started();
  auto second = RouteTable::build({s}, registry);
  EXPECT_EQ(second->health("i1")->in_flight(), 1);
  EXPECT_EQ(second->health("unknown"), nullptr);
  auto empty = RouteTable::build({}, registry);
  EXPECT_EQ(registry.size(), 0u);  // gone instances are forgotten
}

TEST(RouteTable, JsonListsRoutesInOrder) {
  HealthRegistry registry;
  auto table = RouteTable::build({spec("b", "PathPrefix(`/`)"), spec("a", "Host(`a.com`)")},
                                 registry, {"a warning"});
  std::string json = table->to_json();
  EXPECT_LT(json.find("\"a\""), json.find("\"b\""));
  EXPECT_NE(json.find("Host(`a.com`)"), std::string::npos);
  EXPECT_NE(json.find("a warning"), std::string::npos);
}

TEST(RouteTable, HostIndexKeepsPrecedenceAcrossIndexedAndUnindexedRoutes) {
  HealthRegistry registry;
  auto table =
      RouteTable::build({spec("either", "(Host(`a.com`) || Host(`b.com`)) && PathPrefix(`/x`)"),
                         spec("not-a", "!Host(`a.com`) && PathPrefix(`/x/y`)"),
                         spec("header", "Header(`X-T`, `1`)", 5), spec("wild", "Host(`*.a.com`)"),
                         spec("regex", "HostRegexp(`^c\\.`)")},
                        registry);
  EXPECT_EQ(matched(*table, request("b.com", "/x/y")), "either");
  EXPECT_EQ(matched(*table, request("c.com", "/x/y")), "regex");  // a regex host outranks no host
  EXPECT_EQ(matched(*table, request("d.com", "/x/y")), "not-a");
  EXPECT_EQ(matched(*table, request("a.com", "/x", "GET", {{"X-T", "1"}})), "header");
  EXPECT_EQ(matched(*table, request("w.a.com", "/")), "wild");
  EXPECT_EQ(matched(*table, request("c.org", "/")), "regex");
  EXPECT_EQ(matched(*table, request("a.com", "/z")), "<none>");
}

}  // namespace
}  // namespace caravan::proxy
