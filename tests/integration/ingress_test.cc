// The ingress end to end, the seed's picture: a job of three services behind
// the agent's ingress — a by Host (Traefik tags, sticky cookie), b by path
// (Fabio tag with strip), c by path with an internal rewrite and a redirect
// (Traefik middlewares) — three instances each with http checks. Traffic
// reaches every instance; an instance that fails its check leaves rotation
// while a steady stream of GETs sees no failure (the time from the catalog
// change to the new routes is measured); an instance killed outright has its
// GETs retried elsewhere; a sticky client keeps its instance.
// And `caravan ingress -config` on its own terminates TLS for two names (SNI)
// in front of static servers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "agent_process.h"
#include "load_generator.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string backend_group(const std::string& name, const std::string& tags, const std::string& fail_dir) {
  return R"(
  group ")" + name + R"(" {
    count = 3
    network {
      port "http" {}
    }
    service {
      name = ")" + name + R"("
      port = "http"
      tags = [)" + tags + R"(]
      check {
        type     = "http"
        path     = "/health"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "server" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = [")" + std::string(CARAVAN_SOURCE_DIR) + R"(/tests/data/ingress/backend.py",
                   "${NOMAD_PORT_http}", "${NOMAD_ALLOC_ID}", ")" + fail_dir + R"(/fail-${NOMAD_ALLOC_ID}"]
      }
      resources {
        cpu    = 50
        memory = 32
      }
    }
  })";
}

std::string shop_job(const std::string& fail_dir) {
  return "job \"shop\" {\n  datacenters = [\"dc1\"]\n" +
         backend_group("a",
                       "\"traefik.http.routers.a.rule=Host(`a.example.com`)\", "
                       "\"traefik.http.services.a.loadbalancer.sticky.cookie=true\", "
                       "\"traefik.http.services.a.loadbalancer.sticky.cookie.name=a_srv\"",
                       fail_dir) +
         backend_group("b", "\"urlprefix-/b strip=/b\"", fail_dir) +
         backend_group("c",
                       "\"traefik.http.routers.c.rule=PathPrefix(`/c/`)\", "
                       "\"traefik.http.routers.c.middlewares=c-rewrite\", "
                       "\"traefik.http.middlewares.c-rewrite.replacepathregex.regex=^/c/(.*)\", "
                       "\"traefik.http.middlewares.c-rewrite.replacepathregex.replacement=/$1\", "
                       "\"traefik.http.routers.old-c.rule=PathPrefix(`/old-c/`)\", "
                       "\"traefik.http.routers.old-c.middlewares=c-moved\", "
                       "\"traefik.http.middlewares.c-moved.redirectregex.regex=^http://([^/]+)/old-c/(.*)\", "
                       "\"traefik.http.middlewares.c-moved.redirectregex.replacement=http://$${1}/c/$${2}\"",
                       fail_dir) +
         "\n}\n";
}

struct Answer {
  int status = 0;
  std::string body;
  http::Headers headers;
};

// One request through the ingress on its own connection.
Answer through(int port, const std::string& host, const std::string& target,
               const std::string& cookie = "") {
  Result<http::Client> client = http::Client::create("http://127.0.0.1:" + std::to_string(port));
  if (!client) return {};
  http::RequestOptions options;
  options.headers.set("Host", host);
  if (!cookie.empty()) options.headers.set("Cookie", cookie);
  options.timeout = std::chrono::seconds(5);
  Result<http::Response> r = client->get(target, options);
  if (!r) return {0, r.error().message(), {}};
  return {r->status, r->body, r->headers};
}

std::string field_of(const std::string& body, const std::string& key) {
  size_t at = body.find(" " + key + "=");
  if (at == std::string::npos) return "";
  at += key.size() + 2;
  return body.substr(at, body.find_first_of(" \n", at) - at);
}

int ingress_port(AgentProcess& agent) {
  nlohmann::json status = agent.get("/v1/ingress");
  return status.is_object() && !status["Ports"].empty() ? status["Ports"][0].get<int>() : 0;
}

size_t passing(AgentProcess& agent, const std::string& service) {
  return agent.get("/v1/health/service/" + service + "?passing").size();
}

TEST(Ingress, TheSeedPictureRoutesByHostAndPathAndTakesAFailingInstanceOutWithoutErrors) {
  AgentProcess agent({"-dev"});
  ASSERT_TRUE(agent.ready());
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/nodes").size() == 1; }));
  const int port = ingress_port(agent);
  ASSERT_GT(port, 0) << agent.get("/v1/ingress").dump();
  TempDir dir;
  dir.write("shop.nomad.hcl", shop_job(dir.path()));
  ProcessResult run = run_caravan({"job", "run", "-detach", "-address", agent.address(), dir.file("shop.nomad.hcl")});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  ASSERT_TRUE(wait_until([&] { return passing(agent, "a") == 3 && passing(agent, "b") == 3 && passing(agent, "c") == 3; },
                         std::chrono::seconds(60)))
      << agent.get("/v1/catalog/instances").dump(1);

  // Every instance of a (by Host) and b (by path, prefix stripped) gets traffic.
  std::set<std::string> a_seen, b_seen;
  ASSERT_TRUE(wait_until([&] {
    Answer a = through(port, "a.example.com", "/hello");
    Answer b = through(port, "any.example.com", "/b/x?y=1");
    if (a.status == 200) a_seen.insert(answering_instance(a.body));
    if (b.status == 200) {
      EXPECT_EQ(field_of(b.body, "path"), "/x?y=1") << b.body;
      b_seen.insert(answering_instance(b.body));
    }
    return a_seen.size() == 3 && b_seen.size() == 3;
  })) << a_seen.size() << " instances of a, " << b_seen.size() << " of b";
  Answer a = through(port, "a.example.com", "/hello");
  EXPECT_EQ(field_of(a.body, "host"), "a.example.com");
  EXPECT_EQ(field_of(a.body, "xff"), "127.0.0.1");

  // c: an internal rewrite keeps the query; the old path redirects.
  Answer c = through(port, "shop.example.com", "/c/items?page=2");
  EXPECT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(field_of(c.body, "path"), "/items?page=2");
  Answer moved = through(port, "shop.example.com", "/old-c/items");
  EXPECT_EQ(moved.status, 302) << moved.body;
  EXPECT_EQ(moved.headers.get("Location").value_or(""), "http://shop.example.com/c/items");
  EXPECT_EQ(through(port, "shop.example.com", "/nowhere").status, 404);

  // Sticky: the cookie a first answer sets keeps a client on its instance.
  Answer first = through(port, "a.example.com", "/cart");
  std::string set_cookie(first.headers.get("Set-Cookie").value_or(""));
  ASSERT_THAT(set_cookie, StartsWith("a_srv=")) << first.body;
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string sticky_instance = answering_instance(first.body);
  for (int i = 0; i < 20; ++i) {
    Answer again = through(port, "a.example.com", "/cart", cookie);
    EXPECT_EQ(answering_instance(again.body), sticky_instance) << "request " << i;
  }

  // One instance of a (not the sticky one) starts failing its check: while
  // GETs keep flowing, it leaves rotation and no request fails.
  std::string victim;
  for (const std::string& id : a_seen) {
    if (id != sticky_instance) victim = id;
  }
  std::atomic<bool> done{false};
  std::atomic<int> failed{0}, sent{0};
  std::thread load([&] {
    while (!done) {
      Answer r = through(port, "a.example.com", "/steady");
      ++sent;
      if (r.status != 200) ++failed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // load before the failure
  http::Response before = agent.raw("GET", "/v1/health/service/a", "");
  std::string index(before.headers.get("X-Consul-Index").value_or("0"));
  dir.write("fail-" + victim, "");
  // The catalog change: the blocking query returns when the victim's check turns.
  http::Response changed = agent.raw("GET", "/v1/health/service/a?passing&index=" + index + "&wait=20s", "");
  auto catalog_changed = std::chrono::steady_clock::now();
  int64_t changed_index = std::stoll(std::string(changed.headers.get("X-Consul-Index").value_or("0")));
  EXPECT_EQ(nlohmann::json::parse(changed.body).size(), 2u);
  ASSERT_TRUE(wait_until([&] { return agent.get("/v1/ingress")["CatalogIndex"].get<int64_t>() >= changed_index; },
                         std::chrono::seconds(5)));
  auto routes_changed = std::chrono::steady_clock::now();
  std::printf("ingress: routes followed the catalog change %.1f ms after the catalog answered it\n",
              std::chrono::duration<double, std::milli>(routes_changed - catalog_changed).count());
  std::set<std::string> after;
  for (int i = 0; i < 30; ++i) after.insert(answering_instance(through(port, "a.example.com", "/after").body));
  EXPECT_FALSE(after.contains(victim));
  EXPECT_EQ(after.size(), 2u);

  // An instance of b dies abruptly (SIGKILL) while it is still passing in the
  // catalog: its connections are refused, the ingress ejects it and retries
  // the GETs on another instance, so no request fails.
  std::atomic<int> b_failed{0}, b_sent{0};
  std::thread b_load([&] {
    while (!done) {
      Answer r = through(port, "any.example.com", "/b/steady");
      ++b_sent;
      if (r.status != 200) ++b_failed;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string killed = *b_seen.begin();
  ProcessResult kill = run_process({"/usr/bin/pkill", "-KILL", "-f", "fail-" + killed});
  EXPECT_EQ(kill.exit_code, 0) << "no process of instance " << killed;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  done = true;
  load.join();
  b_load.join();
  EXPECT_EQ(failed.load(), 0) << "of " << sent.load() << " requests to a";
  EXPECT_GT(sent.load(), 10);
  EXPECT_EQ(b_failed.load(), 0) << "of " << b_sent.load() << " requests to b";
  EXPECT_GT(b_sent.load(), 10);

  nlohmann::json routes = agent.get("/v1/ingress/routes");
  EXPECT_THAT(routes.dump(), HasSubstr("a@a"));
  http::Response metrics = agent.raw("GET", "/v1/ingress/metrics", "");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("a@a"));
}

// A self-signed certificate for `name` in dir/<name>.crt and .key.
void make_certificate(const TempDir& dir, const std::string& name) {
  ProcessResult made = run_process(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-keyout", dir.file(name + ".key"),
       "-out", dir.file(name + ".crt")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
}

// The subject of the certificate the server at port presents for `sni`.
std::string served_subject(int port, const std::string& sni) {
  ProcessResult shown = run_process(
      {"/bin/sh", "-c",
       "/usr/bin/openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -servername " + sni +
           " </dev/null 2>/dev/null | /usr/bin/openssl x509 -noout -subject"});
  return shown.out;
}

TEST(Ingress, StandaloneIngressTerminatesTlsForTwoNamesInFrontOfStaticServers) {
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(make_certificate(dir, "a.example.com"));
  ASSERT_NO_FATAL_FAILURE(make_certificate(dir, "b.example.com"));
  const int backend_a = free_port(), backend_b = free_port();
  std::string script = std::string(CARAVAN_SOURCE_DIR) + "/tests/data/ingress/backend.py";
  BackgroundProcess server_a("backend a", {"/usr/bin/python3", script, std::to_string(backend_a), "A", dir.file("none")});
  BackgroundProcess server_b("backend b", {"/usr/bin/python3", script, std::to_string(backend_b), "B", dir.file("none")});
  const int tls_port = free_port();
  dir.write("ingress.hcl", R"(listener {
  port    = )" + std::to_string(tls_port) + R"(
  address = "127.0.0.1"
  tls {
    certificate {
      cert_file = ")" + dir.file("a.example.com.crt") + R"("
      key_file  = ")" + dir.file("a.example.com.key") + R"("
    }
    certificate {
      cert_file = ")" + dir.file("b.example.com.crt") + R"("
      key_file  = ")" + dir.file("b.example.com.key") + R"("
    }
  }
  service "site-a" {
    hosts   = ["a.example.com"]
    servers = ["127.0.0.1:)" + std::to_string(backend_a) + R"("]
  }
  service "site-b" {
    hosts   = ["b.example.com"]
    servers = ["127.0.0.1:)" + std::to_string(backend_b) + R"("]
  }
}
)");
  const int admin_port = free_port();
  BackgroundProcess ingress("ingress", {CARAVAN_BINARY, "ingress", "-config", dir.file("ingress.hcl"),
                                        "-address", "http://127.0.0.1:" + std::to_string(free_port()),
                                        "-admin-port", std::to_string(admin_port)});
  ASSERT_TRUE(wait_until([&] { return served_subject(tls_port, "a.example.com").find("a.example.com") != std::string::npos; }))
      << ingress.output();
  EXPECT_THAT(served_subject(tls_port, "b.example.com"), HasSubstr("CN = b.example.com"));
  EXPECT_THAT(served_subject(tls_port, "a.example.com"), HasSubstr("CN = a.example.com"));

  for (const auto& [name, instance] : std::map<std::string, std::string>{{"a.example.com", "A"}, {"b.example.com", "B"}}) {
    ProcessResult fetched = run_process(
        {"/usr/bin/curl", "-sk", "--resolve", name + ":" + std::to_string(tls_port) + ":127.0.0.1",
         "https://" + name + ":" + std::to_string(tls_port) + "/page"});
    EXPECT_EQ(answering_instance(fetched.out), instance) << fetched.out << fetched.err;
  }
  // A bad ingress file is refused with file:line:col.
  dir.write("bad.hcl", "listener {\n  port = \"eighty\"\n}\n");
  ProcessResult bad = run_caravan({"ingress", "-config", dir.file("bad.hcl"), "-admin-port", "-1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("bad.hcl:2:"));
}

}  // namespace
}  // namespace caravan::testing
