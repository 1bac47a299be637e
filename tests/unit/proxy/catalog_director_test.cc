// CatalogDirector end to end: catalog instances and their tags in, decisions out.
#include "proxy/catalog_director.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "routing_test_util.h"

namespace caravan::proxy {
namespace {

using testing::client;
using testing::instance;
using testing::request;

// By value: the Decision is usually a temporary.
Forward forward_of(const Decision& d) {
  static const Forward kEmpty;
  EXPECT_TRUE(std::holds_alternative<Forward>(d))
      << "got LocalResponse " << std::get<LocalResponse>(d).status << ": "
      << std::get<LocalResponse>(d).body;
  return std::holds_alternative<Forward>(d) ? std::get<Forward>(d) : kEmpty;
}

LocalResponse local_of(const Decision& d) {
  static const LocalResponse kEmpty;
  EXPECT_TRUE(std::holds_alternative<LocalResponse>(d)) << "got Forward";
  return std::holds_alternative<LocalResponse>(d) ? std::get<LocalResponse>(d) : kEmpty;
}

std::string header(const std::vector<HeaderField>& fields, std::string_view name) {
  for (const HeaderField& f : fields) {
    if (f.name == name) return f.value;
  }
  return "<absent>";
}

struct ManualClock {
  std::chrono::steady_clock::time_point now =
      std::chrono::steady_clock::time_point() + std::chrono::hours(1);
  SteadyClock fn() {
    return [this] { return now; };
  }
};

CatalogDirectorOptions options(ManualClock& clock) {
  CatalogDirectorOptions o;
  o.clock = clock.fn();
  o.seed = 1234;
  return o;
}

TEST(CatalogDirector, FabioTagRoutesWithStripAndKeepsQuery) {
  CatalogDirector d;
  d.update(
      {instance("w1", "web", "10.0.0.1", 8001, {"urlprefix-shop.example.com/api strip=/api"}),
       instance("w2", "web", "10.0.0.2", 8002, {"urlprefix-shop.example.com/api strip=/api"})});
  const Forward& f = forward_of(d.decide(request("shop.example.com", "/api/cart?id=3"), client()));
  EXPECT_EQ(f.route, "fabio:shop.example.com/api");
  EXPECT_EQ(f.service, "web");
  EXPECT_EQ(f.target, "/cart?id=3");
  ASSERT_EQ(f.candidates.size(), 2u);
  EXPECT_NE(f.candidates[0].instance_id, f.candidates[1].instance_id);
  EXPECT_EQ(local_of(d.decide(request("other.example.com", "/api"), client())).status, 404);
}

TEST(CatalogDirector, TraefikRouterWithMiddlewaresAndPortOverride) {
  std::vector<std::string> tags = {
      "traefik.http.routers.api.rule=Host(`api.example.com`) && PathPrefix(`/v1`)",
      "traefik.http.routers.api.middlewares=strip-v1,env",
      "traefik.http.services.api.loadbalancer.server.port=9090",
  };
  // The middlewares are declared by another service, as Traefik allows.
  std::vector<std::string> shared = {
      "traefik.enable=false",
      "traefik.http.middlewares.strip-v1.stripprefix.prefixes=/v1",
      "traefik.http.middlewares.env.headers.customrequestheaders.X-Env=prod",
      "traefik.http.middlewares.env.headers.customresponseheaders.Server=",
  };
  CatalogDirector d;
  d.update({instance("a1", "api", "10.0.0.1", 20001, tags),
            instance("m1", "middlewares", "10.0.0.9", 1, shared)});
  const Forward& f = forward_of(d.decide(request("api.example.com", "/v1/users?x=1"), client()));
  EXPECT_EQ(f.route, "api@api");
  EXPECT_EQ(f.target, "/users?x=1");
  ASSERT_EQ(f.candidates.size(), 1u);
  EXPECT_EQ(f.candidates[0].port, 9090);
  EXPECT_EQ(f.candidates[0].address, "10.0.0.1");
  EXPECT_EQ(header(f.set_request_headers, "X-Env"), "prod");
  EXPECT_EQ(header(f.set_request_headers, "X-Forwarded-Prefix"), "/v1");
  EXPECT_EQ(f.remove_response_headers, std::vector<std::string>{"Server"});
  // traefik.enable=false: the middleware holder itself has no route.
  EXPECT_EQ(local_of(d.decide(request("middlewares", "/"), client())).status, 404);
}

TEST(CatalogDirector, DefaultRouterIsHostOfTheServiceName) {
  CatalogDirector d;
  d.update({instance("i1", "Blog", "10.0.0.1", 80,
                     {"traefik.http.services.blog.loadbalancer.server.weight=2"})});
  const Forward& f = forward_of(d.decide(request("blog", "/anything"), client()));
  EXPECT_EQ(f.route, "Blog@Blog");
}

TEST(CatalogDirector, ExposedByDefaultCanBeTurnedOff) {
  IngressConfig config;
  config.tags.traefik.exposed_by_default = false;
  CatalogDirector d(config);
  d.update({instance("i1", "a", "10.0.0.1", 80, {"traefik.http.routers.a.rule=Host(`a`)"}),
            instance("i2", "b", "10.0.0.2", 80,
                     {"traefik.enable=true", "traefik.http.routers.b.rule=Host(`b`)"})});
  EXPECT_EQ(local_of(d.decide(request("a", "/"), client())).status, 404);
  forward_of(d.decide(request("b", "/"), client()));
}

TEST(CatalogDirector, RouteWithoutPassingInstanceAnswers503NamingIt) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 80, {"urlprefix-/"}, "critical"),
            instance("i2", "web", "10.0.0.2", 80, {"urlprefix-/"}, "warning")});
  const LocalResponse& r = local_of(d.decide(request("h", "/"), client()));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("route fabio:/ (service web)"), std::string::npos);
  const LocalResponse& nf = local_of(CatalogDirector().decide(request("h", "/x"), client()));
  EXPECT_EQ(nf.status, 404);
  EXPECT_NE(nf.body.find("no route for h/x"), std::string::npos);
}

TEST(CatalogDirector, RedirectSchemeAnswersLocally) {
  CatalogDirector d;
  d.update({instance(
      "i1", "web", "10.0.0.1", 80,
      {"traefik.http.routers.web.rule=Host(`a.com`)", "traefik.http.routers.web.middlewares=https",
       "traefik.http.middlewares.https.redirectscheme.scheme=https",
       "traefik.http.middlewares.https.redirectscheme.permanent=true"})});
  const LocalResponse& r = local_of(d.decide(request("a.com", "/p?q=1"), client()));
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(header(r.headers, "Location"), "https://a.com/p?q=1");
  // Over TLS the same route forwards.
  forward_of(d.decide(request("a.com", "/p"), client("1.2.3.4", 443, true)));
}

TEST(CatalogDirector, BadTagsWarnAndSkipOnlyTheirRoute) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 80,
                     {"urlprefix-/ok", "urlprefix-/tcp proto=tcp",
                      "traefik.http.routers.broken.rule=Host(`a.com`",
                      "traefik.http.routers.nomw.rule=Host(`b.com`)",
                      "traefik.http.routers.nomw.middlewares=missing",
                      "traefik.http.routers.good.rule=Host(`c.com`)"}),
            instance("i2", "web", "10.0.0.2", 80, {"urlprefix-/tcp proto=tcp"})});
  auto table = d.table();
  std::set<std::string> names;
  for (const auto& r : table->routes()) names.insert(r->spec.name);
  EXPECT_EQ(names, (std::set<std::string>{"fabio:/ok", "good@web"}));
  const auto& w = table->warnings();
  auto has = [&](std::string_view s) {
    return std::any_of(w.begin(), w.end(),
                       [&](const std::string& l) { return l.find(s) != std::string::npos; });
  };
  EXPECT_TRUE(has("proto=tcp is not supported"));
  EXPECT_TRUE(has("router \"broken\""));
  EXPECT_TRUE(has("middleware \"missing\""));
  // The same bad tag on two instances is reported once.
  EXPECT_EQ(
      std::count_if(w.begin(), w.end(),
                    [](const std::string& l) { return l.find("proto=tcp") != std::string::npos; }),
      1);
}

TEST(CatalogDirector, RoundRobinSpreadsAndOffersTwoAlternatives) {
  CatalogDirector d;
  std::vector<CatalogInstance> instances;
  for (int i = 0; i < 4; ++i) {
    instances.push_back(instance("i" + std::to_string(i), "web", "10.0.0." + std::to_string(i + 1),
                                 80, {"urlprefix-/"}));
  }
  d.update(instances);
  std::map<std::string, int> firsts;
  for (int i = 0; i < 400; ++i) {
    const Forward& f = forward_of(d.decide(request("h", "/"), client()));
    ASSERT_EQ(f.candidates.size(), 3u);
    std::set<std::string> distinct;
    for (const Endpoint& e : f.candidates) distinct.insert(e.instance_id);
    EXPECT_EQ(distinct.size(), 3u);
    ++firsts[f.candidates[0].instance_id];
  }
  EXPECT_EQ(firsts.size(), 4u);
  for (const auto& [id, n] : firsts) EXPECT_EQ(n, 100) << id;
}

TEST(CatalogDirector, BackupGetsTrafficOnlyWhenNoPrimaryIsAvailable) {
  ManualClock clock;
  CatalogDirector d({}, options(clock));
  auto primary = instance("p1", "web", "10.0.0.1", 80, {"urlprefix-/"});
  auto backup = instance("b1", "web", "10.0.0.9", 80, {"urlprefix-/", "backup"});
  d.update({primary, backup});
  for (int i = 0; i < 10; ++i) {
    const Forward& f = forward_of(d.decide(request("h", "/"), client()));
    EXPECT_EQ(f.candidates[0].instance_id, "p1");
    // The backup is still offered as the last-resort alternative.
    ASSERT_EQ(f.candidates.size(), 2u);
    EXPECT_EQ(f.candidates[1].instance_id, "b1");
  }
  // The primary fails to connect: it is ejected and the backup takes over.
  Endpoint p = forward_of(d.decide(request("h", "/"), client())).candidates[0];
  d.on_attempt_start(p);
  d.on_attempt_end(p, Outcome{Outcome::Kind::kConnectFailed, 0, {}});
  EXPECT_EQ(forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id, "b1");
  // The primary turns critical in the catalog: still the backup.
  primary.status = "critical";
  d.update({primary, backup});
  EXPECT_EQ(forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id, "b1");
  // It passes again (and its ejection has expired): back to the primary.
  primary.status = "passing";
  clock.now += std::chrono::seconds(3);
  d.update({primary, backup});
  EXPECT_EQ(forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id, "p1");
}

TEST(CatalogDirector, EjectionBacksOffCapsClearsAndSurvivesTableSwaps) {
  ManualClock clock;
  CatalogDirector d({}, options(clock));
  std::vector<CatalogInstance> instances = {instance("a", "web", "10.0.0.1", 80, {"urlprefix-/"}),
                                            instance("b", "web", "10.0.0.2", 80, {"urlprefix-/"})};
  d.update(instances);
  Endpoint a{"a", "web", "10.0.0.1", 80};
  auto fail = [&] {
    d.on_attempt_start(a);
    d.on_attempt_end(a, Outcome{Outcome::Kind::kReset, 0, {}});
  };
  auto first_is_b_always = [&] {
    for (int i = 0; i < 6; ++i) {
      if (forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id != "b")
        return false;
    }
    return true;
  };
  fail();
  EXPECT_TRUE(first_is_b_always());
  d.update(instances);  // a catalog change swaps the table: a stays ejected
  EXPECT_TRUE(first_is_b_always());
  clock.now += std::chrono::milliseconds(2001);
  EXPECT_FALSE(first_is_b_always());  // 2 s later, a is back
  fail();                             // second ejection in a row: 4 s
  clock.now += std::chrono::milliseconds(3000);
  EXPECT_TRUE(first_is_b_always());
  clock.now += std::chrono::milliseconds(1001);
  EXPECT_FALSE(first_is_b_always());
  for (int i = 0; i < 30; ++i) fail();  // long streak: capped at 30 s
  clock.now += std::chrono::seconds(29);
  EXPECT_TRUE(first_is_b_always());
  clock.now += std::chrono::milliseconds(1001);
  EXPECT_FALSE(first_is_b_always());
  // A response clears the streak: the next failure ejects for 2 s again.
  d.on_attempt_start(a);
  d.on_attempt_end(a, Outcome{Outcome::Kind::kResponse, 200, {}});
  fail();
  clock.now += std::chrono::milliseconds(2001);
  EXPECT_FALSE(first_is_b_always());
}

TEST(CatalogDirector, AllEjectedStillRoutes) {
  ManualClock clock;
  CatalogDirector d({}, options(clock));
  d.update({instance("a", "web", "10.0.0.1", 80, {"urlprefix-/"})});
  Endpoint a{"a", "web", "10.0.0.1", 80};
  d.on_attempt_start(a);
  d.on_attempt_end(a, Outcome{Outcome::Kind::kConnectFailed, 0, {}});
  EXPECT_EQ(forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id, "a");
}

TEST(CatalogDirector, TimeoutsDoNotEject) {
  ManualClock clock;
  CatalogDirector d({}, options(clock));
  d.update({instance("a", "web", "10.0.0.1", 80, {"urlprefix-/"}),
            instance("b", "web", "10.0.0.2", 80, {"urlprefix-/"})});
  Endpoint a{"a", "web", "10.0.0.1", 80};
  d.on_attempt_start(a);
  d.on_attempt_end(a, Outcome{Outcome::Kind::kTimeout, 0, {}});
  std::set<std::string> firsts;
  for (int i = 0; i < 4; ++i)
    firsts.insert(forward_of(d.decide(request("h", "/"), client())).candidates[0].instance_id);
  EXPECT_EQ(firsts, (std::set<std::string>{"a", "b"}));
}

TEST(CatalogDirector, StickyCookiePinsTheInstanceByHashedId) {
  std::vector<std::string> tags = {
      "traefik.http.routers.app.rule=Host(`app`)",
      "traefik.http.services.app.loadbalancer.sticky.cookie.name=srv",
      "traefik.http.services.app.loadbalancer.sticky.cookie.httponly=true",
      "traefik.http.services.app.loadbalancer.sticky.cookie.maxage=60",
  };
  CatalogDirector d;
  std::vector<CatalogInstance> instances = {instance("i1", "app", "10.0.0.1", 80, tags),
                                            instance("i2", "app", "10.0.0.2", 80, tags),
                                            instance("i3", "app", "10.0.0.3", 80, tags)};
  d.update(instances);
  const Forward first = forward_of(d.decide(request("app", "/"), client()));
  std::string cookie = header(first.add_response_headers, "Set-Cookie");
  ASSERT_EQ(cookie.rfind("srv=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; Path=/; Max-Age=60; HttpOnly"), std::string::npos) << cookie;
  std::string value = cookie.substr(4, cookie.find(';') - 4);
  EXPECT_EQ(value.find("10.0.0"), std::string::npos);  // never the address
  EXPECT_EQ(value.size(), 16u);
  for (int i = 0; i < 10; ++i) {
    const Forward& f = forward_of(d.decide(
        request("app", "/", "GET", {{"Cookie", "a=b; srv=" + value + "; c=d"}}), client()));
    EXPECT_EQ(f.candidates[0].instance_id, first.candidates[0].instance_id);
    EXPECT_EQ(header(f.add_response_headers, "Set-Cookie"), "<absent>");
  }
  // The pinned instance leaves: the request is balanced anew with a new cookie.
  std::vector<CatalogInstance> rest;
  for (const auto& i : instances) {
    if (i.id != first.candidates[0].instance_id) rest.push_back(i);
  }
  d.update(rest);
  const Forward& moved =
      forward_of(d.decide(request("app", "/", "GET", {{"Cookie", "srv=" + value}}), client()));
  EXPECT_NE(moved.candidates[0].instance_id, first.candidates[0].instance_id);
  EXPECT_NE(header(moved.add_response_headers, "Set-Cookie"), "<absent>");
}

TEST(CatalogDirector, LeastRequestFollowsAttemptReports) {
  CatalogDirector d;
  std::vector<std::string> tags = {"traefik.http.routers.r.rule=Host(`lr`)",
                                   "traefik.http.services.s.loadbalancer.strategy=p2c"};
  d.update({instance("a", "lr", "10.0.0.1", 80, tags), instance("b", "lr", "10.0.0.2", 80, tags)});
  Endpoint a{"a", "lr", "10.0.0.1", 80};
  for (int i = 0; i < 5; ++i) d.on_attempt_start(a);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(forward_of(d.decide(request("lr", "/"), client())).candidates[0].instance_id, "b");
  }
  for (int i = 0; i < 5; ++i) d.on_attempt_end(a, Outcome{Outcome::Kind::kResponse, 200, {}});
  Endpoint b{"b", "lr", "10.0.0.2", 80};
  for (int i = 0; i < 5; ++i) d.on_attempt_start(b);
  EXPECT_EQ(forward_of(d.decide(request("lr", "/"), client())).candidates[0].instance_id, "a");
}

TEST(CatalogDirector, HrwStrategyHashesTheClientIp) {
  CatalogDirector d;
  std::vector<std::string> tags = {"traefik.http.routers.r.rule=Host(`h`)",
                                   "traefik.http.services.s.loadbalancer.strategy=hrw"};
  std::vector<CatalogInstance> instances;
  for (int i = 0; i < 5; ++i) {
    instances.push_back(
        instance("i" + std::to_string(i), "h", "10.0.0." + std::to_string(i + 1), 80, tags));
  }
  d.update(instances);
  std::set<std::string> seen;
  for (int c = 0; c < 50; ++c) {
    std::string ip = "192.168.0." + std::to_string(c);
    std::string first =
        forward_of(d.decide(request("h", "/"), client(ip))).candidates[0].instance_id;
    for (int again = 0; again < 3; ++again) {
      EXPECT_EQ(forward_of(d.decide(request("h", "/"), client(ip))).candidates[0].instance_id,
                first);
    }
    seen.insert(first);
  }
  EXPECT_GE(seen.size(), 4u);
}

TEST(CatalogDirector, IngressFileRoutesToStaticServersWithHeadersAndHashing) {
  IngressConfig config;
  IngressListener l;
  l.port = 8080;
  IngressService legacy;
  legacy.name = "legacy";
  legacy.hosts = {"legacy.example.com"};
  legacy.path_prefix = "/app";
  legacy.prefix_rewrite = "/";
  legacy.request_headers.set = {{"X-From", "caravan"}};
  legacy.request_headers.remove = {"X-Debug"};
  legacy.response_headers.add = {{"X-Served-By", "caravan"}};
  legacy.balance.algorithm = BalanceAlgorithm::kRingHash;
  legacy.balance.hash_on = {HashOn::Kind::kHeader, "X-User"};
  legacy.servers = {{"127.0.0.1", 9000}, {"127.0.0.1", 9001}, {"127.0.0.1", 9002}};
  legacy.backup_servers = {{"127.0.0.1", 9100}};
  l.services.push_back(legacy);
  config.listeners.push_back(l);
  CatalogDirector d(config);

  RequestHead head = request("legacy.example.com", "/app/x?y=1", "GET", {{"X-User", "alice"}});
  const Forward f = forward_of(d.decide(head, client("1.1.1.1", 8080)));
  EXPECT_EQ(f.route, "file:8080:legacy/app");
  EXPECT_EQ(f.target, "/x?y=1");
  EXPECT_EQ(f.candidates[0].instance_id.rfind("static:127.0.0.1:90", 0), 0u);
  EXPECT_EQ(header(f.set_request_headers, "X-From"), "caravan");
  EXPECT_EQ(f.remove_request_headers, std::vector<std::string>{"X-Debug"});
  EXPECT_EQ(header(f.add_response_headers, "X-Served-By"), "caravan");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(forward_of(d.decide(head, client("2.2.2.2", 8080))).candidates[0].instance_id,
              f.candidates[0].instance_id);
  }
  // The file route belongs to its listener.
  EXPECT_EQ(local_of(d.decide(head, client("1.1.1.1", 80))).status, 404);
}

TEST(CatalogDirector, IngressFileServiceFollowsTheCatalog) {
  IngressConfig config;
  IngressListener l;
  l.port = 80;
  IngressService web;
  web.name = "web";
  web.backup_servers = {{"192.0.2.10", 80}};
  l.services.push_back(web);
  config.listeners.push_back(l);
  CatalogDirector d(config);
  EXPECT_EQ(forward_of(d.decide(request("any", "/"), client())).candidates[0].instance_id,
            "static:192.0.2.10:80");
  d.update({instance("w1", "web", "10.0.0.1", 31000, {})});
  const Forward& f = forward_of(d.decide(request("any", "/"), client()));
  EXPECT_EQ(f.candidates[0].instance_id, "w1");
  EXPECT_EQ(f.candidates[0].port, 31000);
}

TEST(CatalogDirector, HostDstSetsHostToTheChosenEndpoint) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 8080, {"urlprefix-/ host=dst"})});
  const Forward& f = forward_of(d.decide(request("front", "/"), client()));
  EXPECT_EQ(header(f.set_request_headers, "Host"), "10.0.0.1:8080");
}

TEST(CatalogDirector, DecisionsDuringConcurrentUpdatesSeeAConsistentTable) {
  CatalogDirector d;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int round = 0; round < 200; ++round) {
      std::vector<CatalogInstance> v;
      for (int i = 0; i <= round % 5; ++i) {
        v.push_back(instance("i" + std::to_string(i), "web", "10.0.0.1",
                             static_cast<uint16_t>(8000 + i), {"urlprefix-/"}));
      }
      d.update(v);
    }
    stop = true;
  });
  int decided = 0;
  while (!stop.load()) {
    Decision dec = d.decide(request("h", "/"), client());
    if (const Forward* f = std::get_if<Forward>(&dec)) {
      ASSERT_FALSE(f->candidates.empty());
      d.on_attempt_start(f->candidates[0]);
      d.on_attempt_end(f->candidates[0], Outcome{});
    }
    ++decided;
  }
  writer.join();
  EXPECT_GT(decided, 0);
  EXPECT_EQ(d.table()->routes().size(), 1u);
}

TEST(CatalogDirector, TraefikServerWeightsShareTraffic) {
  CatalogDirector d;
  auto tags = [](int weight) {
    return std::vector<std::string>{
        "traefik.http.routers.w.rule=Host(`w`)",
        "traefik.http.services.w.loadbalancer.server.weight=" + std::to_string(weight)};
  };
  d.update({instance("big", "w", "10.0.0.1", 80, tags(3)),
            instance("small", "w", "10.0.0.2", 80, tags(1))});
  std::map<std::string, int> firsts;
  for (int i = 0; i < 400; ++i) {
    ++firsts[forward_of(d.decide(request("w", "/"), client())).candidates[0].instance_id];
  }
  EXPECT_EQ(firsts["big"], 300);
  EXPECT_EQ(firsts["small"], 100);
}

TEST(CatalogDirector, TagRoutingCanBeDisabledByTheFile) {
  IngressConfig config;
  config.tags.enabled = false;
  CatalogDirector d(config);
  d.update({instance("i1", "web", "10.0.0.1", 80, {"urlprefix-/", "traefik.enable=true"})});
  EXPECT_TRUE(d.table()->routes().empty());
}

TEST(CatalogDirector, ConflictingRouterRulesKeepTheFirstAndWarn) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 80, {"traefik.http.routers.r.rule=Host(`a`)"}),
            instance("i2", "web", "10.0.0.2", 80, {"traefik.http.routers.r.rule=Host(`b`)"})});
  auto table = d.table();
  ASSERT_EQ(table->routes().size(), 1u);
  EXPECT_EQ(table->routes()[0]->rule_text, "Host(`a`)");
  EXPECT_EQ(table->routes()[0]->spec.backends.size(), 2u);
  ASSERT_EQ(table->warnings().size(), 1u);
  EXPECT_NE(table->warnings()[0].find("on instance i2"), std::string::npos);
}

TEST(CatalogDirector, RoutesJsonNamesBackendsForTheDebugEndpoint) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 8080, {"urlprefix-/x", "backup"})});
  std::string json = d.table()->to_json();
  EXPECT_NE(json.find("\"fabio:/x\""), std::string::npos);
  EXPECT_NE(json.find("\"Backup\": true"), std::string::npos);
  EXPECT_NE(json.find("\"Port\": 8080"), std::string::npos);
}

TEST(CatalogDirector, FabioRouteIsSharedByServicesDeclaringIt) {
  CatalogDirector d;
  d.update({instance("blue-1", "web-blue", "10.0.0.1", 80, {"urlprefix-/"}),
            instance("green-1", "web-green", "10.0.0.2", 80, {"urlprefix-/"})});
  std::map<std::string, int> services;
  for (int i = 0; i < 10; ++i) {
    Forward f = forward_of(d.decide(request("h", "/"), client()));
    EXPECT_EQ(f.route, "fabio:/");
    EXPECT_EQ(f.service, f.candidates[0].service);
    ++services[f.service];
  }
  EXPECT_EQ(services["web-blue"], 5);
  EXPECT_EQ(services["web-green"], 5);
}

TEST(CatalogDirector, RedirectSchemeBelievesXForwardedProtoOnlyFromTrustedProxies) {
  IngressConfig config;
  IngressListener l;
  l.port = 80;
  l.trusted_proxies = {"10.0.0.0/8"};
  config.listeners.push_back(l);
  CatalogDirector d(config);
  d.update({instance(
      "i1", "web", "10.0.0.1", 80,
      {"traefik.http.routers.web.rule=Host(`a.com`)", "traefik.http.routers.web.middlewares=https",
       "traefik.http.middlewares.https.redirectscheme.scheme=https"})});
  RequestHead head = request("a.com", "/", "GET", {{"X-Forwarded-Proto", "https"}});
  // The load balancer (trusted) already terminated TLS: no redirect loop.
  forward_of(d.decide(head, client("10.9.9.9", 80)));
  // Anyone else cannot talk us out of the redirect.
  EXPECT_EQ(local_of(d.decide(head, client("203.0.113.5", 80))).status, 302);
  // Nor can a trusted peer on a listener that does not trust it.
  EXPECT_EQ(local_of(d.decide(head, client("10.9.9.9", 8080))).status, 302);
}

TEST(CatalogDirector, FabioRouteWithDifferentOptionsKeepsTheFirstAndWarns) {
  CatalogDirector d;
  d.update({instance("i1", "web", "10.0.0.1", 80, {"urlprefix-/api strip=/api"}),
            instance("i2", "web", "10.0.0.2", 80, {"urlprefix-/api"})});
  auto table = d.table();
  ASSERT_EQ(table->routes().size(), 1u);
  EXPECT_EQ(table->routes()[0]->spec.backends.size(), 2u);
  EXPECT_EQ(table->routes()[0]->spec.middlewares.size(), 1u);
  ASSERT_EQ(table->warnings().size(), 1u);
  EXPECT_NE(table->warnings()[0].find("instance i2"), std::string::npos);
}

}  // namespace
}  // namespace caravan::proxy
