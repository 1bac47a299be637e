// The ingress engine over loopback: real backends, a fake Director, raw clients.
#include "proxy/engine.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/temp_file.h"
#include "engine_test_util.h"

namespace caravan::proxy {
namespace {

using namespace testing;  // NOLINT

struct Fixture {
  explicit Fixture(std::vector<Endpoint> endpoints, EngineOptions options = {}) {
    director = std::make_shared<FakeDirector>(std::move(endpoints));
    if (options.listeners.empty()) {
      ListenerOptions l;
      l.address = "127.0.0.1";
      options.listeners.push_back(l);
    }
    if (options.threads == 0) options.threads = 2;
    engine = std::make_unique<Engine>(options, director);
    Status s = engine->start();
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    port = engine->bound_ports().at(0);
  }
  ~Fixture() { engine->stop(std::chrono::steady_clock::now() + 2s); }

  std::shared_ptr<FakeDirector> director;
  std::unique_ptr<Engine> engine;
  uint16_t port = 0;
};

Backend::Handler echo_handler() {
  return [](const Message& m, int, Reader&) {
    std::string body = m.start_line + "|" + m.body;
    return Backend::ok(body, "X-Internal: secret\r\n");
  };
}

TEST(Engine, ProxiesGetAndSetsForwardingHeaders) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  Message r = c.request(
      "GET /a/b?x=1 HTTP/1.1\r\nHost: app.example.com:8080\r\nX-Forwarded-For: 10.1.1.1\r\n"
      "X-Secret: s\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
      "Forwarded: for=10.1.1.1\r\n\r\n");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.body, "GET /a/b?x=1 HTTP/1.1|");
  EXPECT_EQ(r.header("x-served-by"), "caravan");
  EXPECT_EQ(r.count("x-internal"), 0u);
  ASSERT_EQ(backend.request_count(), 1u);
  Message seen = backend.requests()[0];
  EXPECT_EQ(seen.header("x-forwarded-for"), "10.1.1.1, 127.0.0.1");
  EXPECT_EQ(seen.header("x-forwarded-proto"), "http");
  EXPECT_EQ(seen.header("x-forwarded-host"), "app.example.com:8080");
  EXPECT_EQ(seen.header("forwarded"),
            "for=10.1.1.1, for=127.0.0.1;proto=http;host=\"app.example.com:8080\"");
  EXPECT_EQ(seen.header("host"), "app.example.com:8080");
  EXPECT_EQ(seen.header("x-route"), "test-route");
  EXPECT_EQ(seen.count("x-secret"), 0u);
  EXPECT_EQ(seen.count("x-hop"), 0u);
  EXPECT_EQ(seen.count("keep-alive"), 0u);
  EXPECT_EQ(seen.count("connection"), 0u);
  auto outcomes = f.director->outcomes();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].second.kind, Outcome::Kind::kResponse);
  EXPECT_EQ(outcomes[0].second.status, 200);
  EXPECT_EQ(f.director->last_client().ip, "127.0.0.1");
  EXPECT_EQ(f.director->last_client().listener_port, f.port);
}

TEST(Engine, ProxiesPostBodiesWithBothFramings) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  Message r = c.request("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.body, "POST /p HTTP/1.1|hello world");
  // Chunked with an extension and a trailer, sent in pieces.
  c.send("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhel");
  c.send("lo\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
  r = c.response();
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.body, "POST /c HTTP/1.1|hello world");
  // A big body streams through.
  std::string big(1 << 20, 'x');
  r = c.request("PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(big.size()) +
                "\r\n\r\n" + big);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.body.size(), std::string("PUT /big HTTP/1.1|").size() + big.size());
  EXPECT_EQ(backend.accepted(), 1);
}

TEST(Engine, RelaysChunkedResponsesAndDechunksForHttp10) {
  Backend backend([](const Message&, int, Reader&) {
    return std::string(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n");
  });
  Fixture f({endpoint(backend.port())});
  {
    Client c(f.port);
    Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.header("transfer-encoding"), "chunked");
    EXPECT_EQ(r.body, "abcde");
  }
  {
    Client c(f.port);
    c.send("GET / HTTP/1.0\r\nHost: h\r\n\r\n");
    std::string raw = c.reader().read_to_eof();
    EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
    EXPECT_EQ(raw.find("chunked"), std::string::npos) << raw;
    EXPECT_EQ(raw.substr(raw.size() - 5), "abcde");
  }
}

TEST(Engine, AnswersPipelinedRequestsInOrder) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  c.send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /local HTTP/1.1\r\nHost: h\r\n\r\n"
         "POST /3 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /4 HTTP/1.1\r\nHost: h\r\n\r\n");
  Message r1 = c.response(), r2 = c.response(), r3 = c.response(), r4 = c.response();
  EXPECT_EQ(r1.body, "GET /1 HTTP/1.1|");
  EXPECT_EQ(r2.status(), 404);
  EXPECT_EQ(r2.body, "no route\n");
  EXPECT_EQ(r3.body, "POST /3 HTTP/1.1|abc");
  EXPECT_EQ(r4.body, "GET /4 HTTP/1.1|");
}

TEST(Engine, ReusesUpstreamConnections) {
  Backend backend(echo_handler());
  EngineOptions options;
  options.threads = 1;  // one pool
  Fixture f({endpoint(backend.port())}, options);
  for (int i = 0; i < 5; ++i) {
    Client c(f.port);
    for (int j = 0; j < 3; ++j) {
      Message r = c.request("GET /" + std::to_string(j) + " HTTP/1.1\r\nHost: h\r\n\r\n");
      ASSERT_TRUE(r.ok);
      EXPECT_EQ(r.status(), 200);
    }
  }
  EXPECT_EQ(backend.request_count(), 15u);
  EXPECT_EQ(backend.accepted(), 1);
}

TEST(Engine, RetriesAStalePooledConnectionOnAFreshOne) {
  // The backend closes every connection right after its response, without
  // saying so: the pooled connection is stale when the next request takes it.
  std::atomic<int> n{0};
  Backend backend([&](const Message&, int fd, Reader&) {
    std::string reply = Backend::ok("r" + std::to_string(++n));
    send_all(fd, reply);
    return std::string("\x01close");
  });
  EngineOptions options;
  options.threads = 1;
  Fixture f({endpoint(backend.port())}, options);
  Client c(f.port);
  for (int i = 0; i < 4; ++i) {
    Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status(), 200);
  }
  for (auto& [ep, outcome] : f.director->outcomes()) {
    EXPECT_EQ(outcome.kind, Outcome::Kind::kResponse);
  }
}

TEST(Engine, Answers431ForOversizedOrTooManyHeaders) {
  Backend backend(echo_handler());
  EngineOptions options;
  options.max_header_bytes = 4096;
  options.max_header_count = 10;
  Fixture f({endpoint(backend.port())}, options);
  {
    Client c(f.port);
    Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(5000, 'a') + "\r\n\r\n");
    EXPECT_EQ(r.status(), 431);
    EXPECT_TRUE(c.closed_by_peer());
  }
  {
    Client c(f.port);
    std::string req = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 11; ++i) req += "X-H" + std::to_string(i) + ": v\r\n";
    Message r = c.request(req + "\r\n");
    EXPECT_EQ(r.status(), 431);
  }
  EXPECT_EQ(backend.request_count(), 0u);
}

TEST(Engine, Answers400ForGarbageAndCloses) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  for (std::string bad : {"HELLO\r\n\r\n", "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
                          "GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
                          "GET / HTTP/2.0\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
                          "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"}) {
    Client c(f.port);
    Message r = c.request(bad);
    EXPECT_EQ(r.status(), 400) << bad;
    EXPECT_TRUE(c.closed_by_peer());
  }
  EXPECT_EQ(backend.request_count(), 0u);
}

TEST(Engine, TriesTheNextCandidateWhenOneRefuses) {
  Backend backend(echo_handler());
  uint16_t dead = refused_port();
  Fixture f({endpoint(dead, "dead"), endpoint(backend.port(), "alive")});
  Client c(f.port);
  Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.status(), 200);
  auto outcomes = f.director->outcomes();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].first.instance_id, "dead");
  EXPECT_EQ(outcomes[0].second.kind, Outcome::Kind::kConnectFailed);
  EXPECT_EQ(outcomes[1].first.instance_id, "alive");
  EXPECT_EQ(outcomes[1].second.status, 200);
  EXPECT_EQ(f.director->starts(), 2);
}

TEST(Engine, Answers502WhenNoCandidateCanBeReached) {
  Fixture f({endpoint(refused_port(), "a"), endpoint(refused_port(), "b")});
  Client c(f.port);
  Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.status(), 502);
  EXPECT_NE(r.body.find("test-route"), std::string::npos);
  EXPECT_EQ(f.director->outcomes().size(), 2u);
  std::string metrics = f.engine->metrics_text();
  EXPECT_NE(metrics.find("caravan_proxy_upstream_connect_failures_total{route=\"test-route\","
                         "service=\"web\",instance=\"a\"} 1"),
            std::string::npos)
      << metrics;
}

TEST(Engine, Answers504WhenTheUpstreamStaysSilent) {
  Backend backend([](const Message&, int, Reader&) { return std::string("\x01hold"); });
  EngineOptions options;
  options.upstream_response_timeout = 300ms;
  Fixture f({endpoint(backend.port())}, options);
  Client c(f.port);
  auto start = std::chrono::steady_clock::now();
  Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.status(), 504);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  auto outcomes = f.director->outcomes();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].second.kind, Outcome::Kind::kTimeout);
}

TEST(Engine, RelaysExpectContinue) {
  Backend backend([](const Message& m, int, Reader&) { return Backend::ok("got " + m.body); });
  // The test backend reads the whole body before answering, so it needs the
  // body first: answer 100 Continue from a custom backend instead.
  Backend continuing([](const Message&, int, Reader&) { return std::string(); });
  (void)continuing;
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  // Our test backend reads the body only after the head, and the engine
  // forwards the head at once; the client waits for nothing here but sends
  // the body after the head: the upstream sees the Expect field.
  c.send("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  c.send("data");
  Message r = c.response();
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.body, "got data");
  EXPECT_EQ(backend.requests()[0].header("expect"), "100-continue");
}

// A raw backend for 100-continue and Upgrade: one connection, scripted.
class RawBackend {
 public:
  explicit RawBackend(std::function<void(int, Reader&)> script) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    listen(fd_, 8);
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, script] {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      Reader r(c);
      script(c, r);
      ::close(c);
    });
  }
  ~RawBackend() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  int fd_;
  uint16_t port_;
  std::thread thread_;
};

TEST(Engine, RelaysTheUpstreams100Continue) {
  RawBackend backend([](int c, Reader& r) {
    std::string head;
    if (!r.read_until("\r\n\r\n", &head)) return;
    send_all(c, "HTTP/1.1 100 Continue\r\n\r\n");
    std::string body;
    if (!r.read_exact(5, &body)) return;
    send_all(c, Backend::ok("got " + body));
  });
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  c.send("PUT /e HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  Message interim = c.response();
  ASSERT_TRUE(interim.ok);
  EXPECT_EQ(interim.status(), 100);
  c.send("12345");
  Message r = c.response();
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.body, "got 12345");
}

TEST(Engine, TunnelsAnUpgradedConnection) {
  RawBackend backend([](int c, Reader& r) {
    std::string head;
    if (!r.read_until("\r\n\r\n", &head)) return;
    if (head.find("Upgrade: websocket") == std::string::npos ||
        head.find("Connection: Upgrade") == std::string::npos) {
      send_all(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    send_all(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nhi");
    // Echo until the peer closes.
    while (true) {
      if (r.pending().empty() && !r.fill()) return;
      std::string data = r.pending();
      r.pending().clear();
      send_all(c, "echo:" + data);
    }
  });
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  Message r = c.request(
      "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", true);
  ASSERT_EQ(r.status(), 101) << r.raw_head;
  EXPECT_EQ(r.header("upgrade"), "websocket");
  std::string greeting;
  ASSERT_TRUE(c.reader().read_exact(2, &greeting));
  EXPECT_EQ(greeting, "hi");
  c.send("ping");
  std::string echoed;
  ASSERT_TRUE(c.reader().read_exact(9, &echoed));
  EXPECT_EQ(echoed, "echo:ping");
}

TEST(Engine, ResponsesWithoutBody) {
  Backend backend([](const Message& m, int, Reader&) {
    if (m.start_line.rfind("HEAD", 0) == 0) return std::string("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n");
    return std::string("HTTP/1.1 204 No Content\r\n\r\n");
  });
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  Message r = c.request("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", true);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.header("content-length"), "42");
  r = c.request("DELETE / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(r.status(), 204);
  r = c.request("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n", true);
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(backend.accepted(), 1);
}

TEST(Engine, Http10ClientsCloseUnlessKeepAlive) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  {
    Client c(f.port);
    Message r = c.request("GET / HTTP/1.0\r\n\r\n");
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
  }
  {
    Client c(f.port);
    Message r = c.request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(r.header("connection"), "keep-alive");
    r = c.request("GET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_EQ(r.status(), 200);
  }
  {
    Client c(f.port);
    Message r = c.request("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
  }
}

TEST(Engine, ReportsMetrics) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port(), "web-1")});
  Client c(f.port);
  for (int i = 0; i < 3; ++i) c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  c.request("GET /local HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string m = f.engine->metrics_text();
  std::string labels = "route=\"test-route\",service=\"web\",instance=\"web-1\"";
  EXPECT_NE(m.find("caravan_proxy_requests_total{" + labels + ",code=\"2xx\"} 3"), std::string::npos) << m;
  EXPECT_NE(m.find("caravan_proxy_request_duration_seconds_count{" + labels + "} 3"), std::string::npos);
  EXPECT_NE(m.find("caravan_proxy_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3"),
            std::string::npos);
  EXPECT_NE(m.find("caravan_proxy_upstream_active_requests{" + labels + "} 0"), std::string::npos);
  EXPECT_NE(m.find("caravan_proxy_client_connections 1"), std::string::npos);
  EXPECT_NE(m.find("caravan_proxy_local_responses_total{code=\"4xx\"} 1"), std::string::npos);
  EXPECT_NE(m.find("# TYPE caravan_proxy_request_duration_seconds histogram"), std::string::npos);
}

TEST(Engine, WritesAJsonAccessLog) {
  Backend backend(echo_handler());
  auto dir = TempDir::create("caravan-engine-test");
  ASSERT_TRUE(dir.has_value());
  EngineOptions options;
  options.access_log_path = dir->path() + "/access.log";
  {
    Fixture f({endpoint(backend.port())}, options);
    Client c(f.port);
    c.request("GET /logged?q=1 HTTP/1.1\r\nHost: h\r\n\r\n");
  }  // stop flushes
  std::ifstream in(options.access_log_path);
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("\"method\":\"GET\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"target\":\"/logged?q=1\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"status\":200"), std::string::npos) << line;
  EXPECT_NE(line.find("\"route\":\"test-route\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"upstream\":\"127.0.0.1:" + std::to_string(backend.port())), std::string::npos);
  EXPECT_NE(line.find("\"client_ip\":\"127.0.0.1\""), std::string::npos);
  EXPECT_NE(line.find("\"time\":\"20"), std::string::npos);
}

TEST(Engine, StartNamesTheAddressInUse) {
  Fixture first({endpoint(1)});
  EngineOptions options;
  ListenerOptions l;
  l.address = "127.0.0.1";
  l.port = first.port;
  options.listeners.push_back(l);
  // A plain socket without SO_REUSEPORT holds another port.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  listen(fd, 1);
  socklen_t len = sizeof(a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  options.listeners[0].port = ntohs(a.sin_port);
  Engine engine(options, first.director);
  Status s = engine.start();
  ::close(fd);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), "cannot listen on 127.0.0.1:" + std::to_string(ntohs(a.sin_port)) +
                             ": address already in use");
}

TEST(Engine, StopLetsARequestInFlightFinish) {
  Backend backend([](const Message&, int, Reader&) {
    std::this_thread::sleep_for(200ms);  // a slow upstream, part of the scenario
    return Backend::ok("late");
  });
  auto director = std::make_shared<FakeDirector>(std::vector<Endpoint>{endpoint(backend.port())});
  EngineOptions options;
  options.listeners.push_back(ListenerOptions{"127.0.0.1", 0, {}});
  options.threads = 1;
  Engine engine(options, director);
  ASSERT_TRUE(engine.start().is_ok());
  Client busy(engine.bound_ports()[0]);
  Client idle(engine.bound_ports()[0]);
  ASSERT_EQ(idle.request("GET /local HTTP/1.1\r\nHost: h\r\n\r\n").status(), 404);
  busy.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_TRUE(wait_for([&] { return backend.request_count() == 1; }));
  std::thread stopper([&] { engine.stop(std::chrono::steady_clock::now() + 5s); });
  Message r = busy.response();
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.body, "late");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(idle.closed_by_peer());
  stopper.join();
  EXPECT_LT(connect_loopback(engine.bound_ports()[0]), 0);
}

TEST(Engine, TimesOutSlowHeadsAndIdleConnections) {
  Backend backend(echo_handler());
  EngineOptions options;
  options.request_header_timeout = 200ms;
  options.idle_timeout = 300ms;
  Fixture f({endpoint(backend.port())}, options);
  {
    Client c(f.port);
    c.send("GET / HTTP/1.1\r\nHost: h\r\n");  // never finished
    Message r = c.response();
    EXPECT_EQ(r.status(), 408);
    EXPECT_TRUE(c.closed_by_peer());
  }
  {
    Client c(f.port);
    EXPECT_EQ(c.request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").status(), 200);
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  }
}

TEST(Engine, AStalledRequestBodyIsTheClientsFault) {
  Backend backend(echo_handler());
  EngineOptions options;
  options.upstream_response_timeout = 300ms;
  Fixture f({endpoint(backend.port())}, options);
  Client c(f.port);
  c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
  Message r = c.response();
  EXPECT_EQ(r.status(), 408);
  auto outcomes = f.director->outcomes();
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].second.kind, Outcome::Kind::kResponse);
  EXPECT_EQ(outcomes[0].second.status, 408);
}

TEST(Engine, UpstreamClosingWithoutLengthEndsTheClientConnection) {
  Backend backend([](const Message&, int fd, Reader&) {
    send_all(fd, "HTTP/1.0 200 OK\r\n\r\nuntil close");
    return std::string("\x01close");
  });
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string raw = c.reader().read_to_eof();
  EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
  EXPECT_EQ(raw.substr(raw.size() - 11), "until close");
}

TEST(Engine, QuotesIpv6ClientsInForwarded) {
  Backend backend(echo_handler());
  EngineOptions options;
  options.listeners.push_back(ListenerOptions{"::1", 0, {}});
  Fixture f({endpoint(backend.port())}, options);
  int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(f.port);
  a.sin6_addr = in6addr_loopback;
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  send_all(fd, "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n");
  Reader r(fd);
  Message m = read_message(r, true);
  ::close(fd);
  EXPECT_EQ(m.status(), 200);
  Message seen = backend.requests().at(0);
  EXPECT_EQ(seen.header("x-forwarded-for"), "::1");
  EXPECT_EQ(seen.header("forwarded"), "for=\"[::1]\";proto=http;host=\"[::1]:80\"");
}

TEST(Engine, AnEarlyUpstreamAnswerEndsTheRequest) {
  RawBackend backend([](int c, Reader& r) {
    std::string head;
    if (!r.read_until("\r\n\r\n", &head)) return;
    send_all(c, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\n\r\nbig!");
  });
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  c.send("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n" +
         std::string(1000, 'x'));
  Message r = c.response();
  EXPECT_EQ(r.status(), 413);
  EXPECT_EQ(r.body, "big!");
  EXPECT_EQ(r.header("connection"), "close");
}

TEST(Engine, AnUpstreamStallingInItsBodyTimesOut) {
  RawBackend backend([](int c, Reader& r) {
    std::string head;
    if (!r.read_until("\r\n\r\n", &head)) return;
    send_all(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    r.read_to_eof();
  });
  EngineOptions options;
  options.upstream_response_timeout = 300ms;
  Fixture f({endpoint(backend.port())}, options);
  Client c(f.port);
  c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  std::string raw = c.reader().read_to_eof();
  EXPECT_EQ(raw.substr(raw.size() - 3), "abc");
  ASSERT_TRUE(wait_for([&] { return f.director->outcomes().size() == 1; }));
  EXPECT_EQ(f.director->outcomes()[0].second.kind, Outcome::Kind::kTimeout);
}

TEST(Engine, AClientLeavingMidRequestIsNotAnUpstreamFailure) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  {
    Client c(f.port);
    c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nabc");
    ASSERT_TRUE(wait_for([&] { return f.director->starts() == 1; }));
  }
  ASSERT_TRUE(wait_for([&] { return f.director->outcomes().size() == 1; }));
  EXPECT_EQ(f.director->outcomes()[0].second.kind, Outcome::Kind::kResponse);
  EXPECT_EQ(f.director->outcomes()[0].second.status, 499);
}

TEST(Engine, ARequestFollowedByTheClientsFinIsAnsweredAndClosed) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port())});
  Client c(f.port);
  c.send("GET /fin HTTP/1.1\r\nHost: h\r\n\r\n");
  ::shutdown(c.fd(), SHUT_WR);
  auto start = std::chrono::steady_clock::now();
  std::string raw = c.reader().read_to_eof();
  EXPECT_NE(raw.find("GET /fin HTTP/1.1|"), std::string::npos) << raw;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(Engine, ManyConcurrentClientsAllGetTheirOwnAnswers) {
  Backend backend(echo_handler());
  Fixture f({endpoint(backend.port(), "web-1")});
  constexpr int kClients = 40, kRequests = 25;
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      Client c(f.port);
      for (int j = 0; j < kRequests; ++j) {
        std::string path = "/" + std::to_string(i) + "/" + std::to_string(j);
        std::string body = j % 2 == 0 ? "" : "body-" + path;
        Message r = c.request("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body);
        if (r.ok && r.body == "POST " + path + " HTTP/1.1|" + body) good++;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), kClients * kRequests);
  std::string m = f.engine->metrics_text();
  EXPECT_NE(m.find("code=\"2xx\"} " + std::to_string(kClients * kRequests)), std::string::npos) << m;
}

}  // namespace
}  // namespace caravan::proxy
