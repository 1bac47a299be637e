#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "http/client.h"
#include "test_util.h"

namespace caravan::http {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::LoopbackServer;
using testing::RawConnection;
using testing::Signal;

Router basic_router() {
  Router router;
  router.add("GET", "/v1/jobs", [](const Request&, const RouteParams&) {
    return json_response(200, R"([{"ID":"web"}])");
  });
  router.add("POST", "/echo", [](const Request& request, const RouteParams&) {
    Response response = text_response(200, request.body);
    response.headers.set("X-Request-Content-Type",
                         std::string(request.headers.get("Content-Type").value_or("")));
    return response;
  });
  router.add("GET", "/whoami", [](const Request& request, const RouteParams&) {
    return text_response(200, request.remote_address);
  });
  router.add("GET", "/v1/job/:id/allocations", [](const Request& request, const RouteParams& p) {
    nlohmann::json j = {{"id", std::string(p.get("id"))},
                        {"path", request.path},
                        {"index", std::string(request.query("index").value_or(""))},
                        {"tags", request.query_all("tag")}};
    return json_response(200, j.dump());
  });
  router.add("GET", "/throw", [](const Request&, const RouteParams&) -> Response {
    throw std::runtime_error("boom");
  });
  return router;
}

TEST(Server, ServesGetAndPostJson) {
  LoopbackServer server(basic_router());
  Client client = server.client();
  auto jobs = client.get("/v1/jobs");
  ASSERT_TRUE(jobs) << jobs.error().message();
  EXPECT_EQ(jobs->status, 200);
  EXPECT_EQ(jobs->headers.get("Content-Type"), "application/json");
  EXPECT_EQ(jobs->body, R"([{"ID":"web"}])");

  auto echo = client.post("/echo", R"({"Job":{"ID":"web"}})");
  ASSERT_TRUE(echo) << echo.error().message();
  EXPECT_EQ(echo->status, 200);
  EXPECT_EQ(echo->body, R"({"Job":{"ID":"web"}})");
  EXPECT_EQ(echo->headers.get("X-Request-Content-Type"), "application/json");

  auto empty_post = client.post("/echo", "");
  ASSERT_TRUE(empty_post);
  EXPECT_EQ(empty_post->body, "");
}

TEST(Server, DecodesPathAndQuery) {
  LoopbackServer server(basic_router());
  Client client = server.client();
  auto response = client.get("/v1/job/my%20job/allocations?index=5&wait=30s&tag=a&tag=b%2Bc");
  ASSERT_TRUE(response);
  auto j = nlohmann::json::parse(response->body);
  EXPECT_EQ(j["id"], "my job");
  EXPECT_EQ(j["path"], "/v1/job/my job/allocations");
  EXPECT_EQ(j["index"], "5");
  EXPECT_EQ(j["tags"], nlohmann::json({"a", "b+c"}));
}

TEST(Server, KeepAliveReusesTheConnection) {
  LoopbackServer server(basic_router());
  Client client = server.client();
  auto first = client.get("/whoami");
  auto second = client.get("/whoami");
  auto third = client.post("/echo", "{}");
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, second->body);
  EXPECT_EQ(server.server().open_connections(), 1u);
}

TEST(Server, ClientReconnectsWhenTheServerClosedAnIdleConnection) {
  ServerOptions options;
  options.idle_timeout = 50ms;
  LoopbackServer server(basic_router(), options);
  Client client = server.client();
  auto first = client.get("/whoami");
  ASSERT_TRUE(first);
  ASSERT_TRUE(eventually([&] { return server.server().open_connections() == 0; }));
  auto second = client.get("/whoami");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_NE(first->body, second->body);
}

TEST(Server, AnswersUnknownPathWith404AndWrongMethodWith405) {
  LoopbackServer server(basic_router());
  Client client = server.client();
  auto missing = client.get("/v1/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->headers.get("Content-Type"), "application/json");
  EXPECT_NE(error_message(*missing).find("/v1/nope"), std::string::npos);

  auto wrong = client.del("/v1/jobs");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->headers.get("Allow"), "GET");
  // The connection survives both.
  auto ok = client.get("/v1/jobs");
  ASSERT_TRUE(ok);
  EXPECT_EQ(server.server().open_connections(), 1u);
}

TEST(Server, HandlerExceptionBecomes500) {
  LoopbackServer server(basic_router());
  Client client = server.client();
  auto response = client.get("/throw");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_NE(error_message(*response).find("boom"), std::string::npos);
}

TEST(Server, AcceptsChunkedUpload) {
  LoopbackServer server(basic_router());
  RawConnection raw(server.port());
  ASSERT_TRUE(raw.connected());
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  raw.send("6;name=v\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
  std::string response = raw.read_response();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_TRUE(response.ends_with("\r\n\r\nhello world")) << response;
}

TEST(Server, AnswersPipelinedRequestsInOrder) {
  LoopbackServer server(basic_router());
  RawConnection raw(server.port());
  raw.send(
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
      "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo"
      "GET /v1/jobs HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.read_response().ends_with("one"));
  EXPECT_TRUE(raw.read_response().ends_with("two"));
  std::string last = raw.read_response();
  EXPECT_NE(last.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(last.ends_with(R"([{"ID":"web"}])"));
  raw.read_all();
  EXPECT_TRUE(raw.saw_eof());
}

TEST(Server, SendsContinueBeforeReadingAnExpectedBody) {
  LoopbackServer server(basic_router());
  RawConnection raw(server.port());
  raw.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(raw.read_response(), "HTTP/1.1 100 Continue\r\n\r\n");
  raw.send("body");
  EXPECT_TRUE(raw.read_response().ends_with("body"));
}

TEST(Server, Http10ConnectionClosesAfterTheResponse) {
  LoopbackServer server(basic_router());
  RawConnection raw(server.port());
  raw.send("GET /v1/jobs HTTP/1.0\r\n\r\n");
  std::string response = raw.read_all();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response;
  EXPECT_TRUE(raw.saw_eof());
}

TEST(Server, OversizedHeadersGet431) {
  LoopbackServer server(basic_router());
  RawConnection raw(server.port());
  raw.send("GET /v1/jobs HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\n\r\n");
  std::string response = raw.read_all();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 431 ")) << response.substr(0, 100);
  EXPECT_TRUE(raw.saw_eof());
}

TEST(Server, OversizedBodiesGet413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  LoopbackServer server(basic_router(), options);
  Client client = server.client();
  auto response = client.post("/echo", std::string(2000, 'x'));
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->status, 413);

  RawConnection raw(server.port());
  raw.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; ++i) {
    raw.send("200\r\n" + std::string(512, 'y') + "\r\n");
  }
  EXPECT_TRUE(raw.read_all().starts_with("HTTP/1.1 413 "));
}

TEST(Server, MalformedRequestsGet400AndClose) {
  LoopbackServer server(basic_router());
  for (std::string bad : {
           std::string("GARBAGE\r\n\r\n"),
           std::string("GET /v1/jobs HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
           std::string("POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: "
                       "chunked\r\n\r\n"),
           std::string("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
           std::string("GET /v1/%zz HTTP/1.1\r\n\r\n"),
           std::string("GET /v1/jobs?x=%g HTTP/1.1\r\n\r\n"),
           std::string("GET /v1/jobs HTTP/1.1\r\nBad Header\r\n\r\n"),
           std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),  // TLS hello
       }) {
    RawConnection raw(server.port());
    raw.send(bad);
    std::string response = raw.read_all();
    EXPECT_TRUE(response.starts_with("HTTP/1.1 400 ")) << bad << " → " << response;
    EXPECT_NE(response.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(raw.saw_eof());
  }
  RawConnection http2(server.port());
  http2.send("GET / HTTP/2.0\r\n\r\n");
  EXPECT_TRUE(http2.read_all().starts_with("HTTP/1.1 505 "));
}

TEST(Server, SurvivesRandomBytes) {
  LoopbackServer server(basic_router());
  std::mt19937 rng(42);
  for (int i = 0; i < 40; ++i) {
    std::string junk(static_cast<size_t>(rng() % 300), '\0');
    for (char& c : junk) {
      c = static_cast<char>(rng() % 256);
      if (rng() % 8 == 0) {
        c = "\r\n :/"[rng() % 5];
      }
    }
    RawConnection raw(server.port());
    raw.send(i % 2 ? "GET / HTTP/1.1\r\n" + junk + "\r\n\r\n" : junk + "\r\n\r\n");
    raw.close();  // sometimes before the server has answered
  }
  Client client = server.client();
  auto response = client.get("/v1/jobs");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(Server, IncompleteRequestTimesOutWith408) {
  ServerOptions options;
  options.request_timeout = 100ms;
  LoopbackServer server(basic_router(), options);
  RawConnection raw(server.port());
  raw.send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  EXPECT_TRUE(raw.read_all().starts_with("HTTP/1.1 408 "));
}

TEST(Server, BlockingHandlerDoesNotHoldUpOtherRequests) {
  Signal entered;
  Signal release;
  Router router = basic_router();
  router.add("GET", "/v1/blocking", [&](const Request& request, const RouteParams&) {
    entered.set();
    // A blocking query: wait for a change, the stop token, or the wait time.
    bool changed = release.wait(request.stop_token, 10s);
    return json_response(200, changed ? R"({"changed":true})" : R"({"changed":false})");
  });
  ServerOptions options;
  options.io_threads = 1;  // one I/O thread must still serve everyone
  LoopbackServer server(std::move(router), options);

  std::optional<Result<Response>> blocked;
  std::thread waiter([&] {
    Client client = server.client();
    blocked.emplace(client.get("/v1/blocking?index=5&wait=30s"));
  });
  ASSERT_TRUE(entered.wait());
  Client other = server.client();
  for (int i = 0; i < 5; ++i) {
    auto quick = other.get("/v1/jobs");
    ASSERT_TRUE(quick);
    EXPECT_EQ(quick->status, 200);
  }
  release.set();
  waiter.join();
  ASSERT_TRUE(blocked && blocked->has_value());
  EXPECT_EQ((*blocked)->body, R"({"changed":true})");
}

TEST(Server, BlockingHandlerSeesClientDisconnect) {
  Signal entered;
  Signal noticed;
  Router router;
  router.add("GET", "/v1/blocking", [&](const Request& request, const RouteParams&) {
    entered.set();
    Signal never;
    never.wait(request.stop_token, 10s);
    if (request.stop_token.stop_requested()) {
      noticed.set();
    }
    return json_response(200, "{}");
  });
  LoopbackServer server(std::move(router));
  RawConnection raw(server.port());
  raw.send("GET /v1/blocking?index=9 HTTP/1.1\r\n\r\n");
  ASSERT_TRUE(entered.wait());
  raw.close();
  EXPECT_TRUE(noticed.wait());
  EXPECT_TRUE(eventually([&] { return server.server().open_connections() == 0; }));
}

TEST(Server, StreamsChunksAsTheyAreWritten) {
  Signal first_received;
  Router router;
  router.add("GET", "/v1/client/fs/logs/:alloc", [&](const Request&, const RouteParams& params) {
    std::string alloc(params.get("alloc"));
    return stream_response(200, "text/plain", [&, alloc](BodyWriter& writer) {
      writer.write("line one from " + alloc + "\n");
      // Only continue once the client has seen the first chunk: proves the
      // body is not buffered until the end.
      if (!first_received.wait(writer.stop_token(), 10s)) {
        return;
      }
      writer.write("line two\n");
      writer.write("");  // ignored
      writer.write("line three\n");
    });
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  std::vector<std::string> pieces;
  auto response = client.get_stream("/v1/client/fs/logs/a1?follow=true", [&](std::string_view d) {
    pieces.emplace_back(d);
    first_received.set();
    return true;
  });
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers.get("Transfer-Encoding"), "chunked");
  ASSERT_GE(pieces.size(), 2u);
  EXPECT_EQ(pieces.front(), "line one from a1\n");
  std::string all;
  for (const auto& p : pieces) {
    all += p;
  }
  EXPECT_EQ(all, "line one from a1\nline two\nline three\n");
  // The connection stays usable after a complete stream.
  auto again = client.get_stream("/v1/client/fs/logs/a2", [](std::string_view) { return true; });
  ASSERT_TRUE(again);
  EXPECT_EQ(server.server().open_connections(), 1u);
}

TEST(Server, StreamNoticesTheClientLeaving) {
  Signal noticed;
  Router router;
  router.add("GET", "/v1/logs", [&](const Request&, const RouteParams&) {
    return stream_response(200, "text/plain", [&](BodyWriter& writer) {
      writer.write("first\n");
      // Follow mode: wait for new data, which never comes, until the client leaves.
      Signal no_more_data;
      no_more_data.wait(writer.stop_token(), 10s);
      if (writer.stop_token().stop_requested() && !writer.write("late\n")) {
        noticed.set();
      }
    });
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  std::string got;
  auto response = client.get_stream("/v1/logs", [&](std::string_view d) {
    got += d;
    return false;  // the user pressed Ctrl-C
  });
  ASSERT_TRUE(response);
  EXPECT_EQ(got, "first\n");
  EXPECT_TRUE(noticed.wait());
}

TEST(Server, StopWaitsForAnInFlightRequest) {
  Signal entered;
  Signal release;
  Router router;
  router.add("POST", "/v1/jobs", [&](const Request&, const RouteParams&) {
    entered.set();
    release.wait(10s);  // ignores the stop token: a write that must complete
    return json_response(200, R"({"EvalID":"e1"})");
  });
  LoopbackServer server(std::move(router));
  std::optional<Result<Response>> result;
  std::thread caller([&] {
    Client client = server.client();
    result.emplace(client.post("/v1/jobs", "{}"));
  });
  ASSERT_TRUE(entered.wait());
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server.server().stop(10s);
    stopped = true;
  });
  // New connections are refused once the acceptor is closed.
  ASSERT_TRUE(eventually([&] { return !RawConnection(server.port()).connected(); }));
  EXPECT_FALSE(stopped);
  release.set();
  caller.join();
  stopper.join();
  EXPECT_TRUE(stopped);
  ASSERT_TRUE(result && result->has_value()) << (*result).error().message();
  EXPECT_EQ((*result)->status, 200);
  EXPECT_EQ((*result)->headers.get("Connection"), "close");
}

TEST(Server, StopEndsBlockingQueriesAndStreamsEarly) {
  Signal entered_query;
  Signal entered_stream;
  Router router;
  router.add("GET", "/v1/blocking", [&](const Request& request, const RouteParams&) {
    entered_query.set();
    Signal never;
    never.wait(request.stop_token, 60s);
    return json_response(200, R"({"index":7})");
  });
  router.add("GET", "/v1/logs", [&](const Request&, const RouteParams&) {
    return stream_response(200, "text/plain", [&](BodyWriter& writer) {
      writer.write("x");
      entered_stream.set();
      Signal never;
      never.wait(writer.stop_token(), 60s);
    });
  });
  LoopbackServer server(std::move(router));
  std::optional<Result<Response>> query;
  std::optional<Result<Response>> stream;
  std::thread a([&] {
    Client client = server.client();
    query.emplace(client.get("/v1/blocking?index=6&wait=5m"));
  });
  std::thread b([&] {
    Client client = server.client();
    stream.emplace(client.get_stream("/v1/logs", [](std::string_view) { return true; }));
  });
  ASSERT_TRUE(entered_query.wait());
  ASSERT_TRUE(entered_stream.wait());
  auto start = std::chrono::steady_clock::now();
  server.server().stop(30s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  a.join();
  b.join();
  ASSERT_TRUE(query && query->has_value());
  EXPECT_EQ((*query)->body, R"({"index":7})");
  ASSERT_TRUE(stream && stream->has_value());  // ended cleanly with the last chunk
}

TEST(Server, StopClosesWhatIsLeftAfterTheDeadline) {
  Signal entered;
  Signal release;
  Router router;
  router.add("GET", "/v1/stuck", [&](const Request&, const RouteParams&) {
    entered.set();
    release.wait(10s);
    return json_response(200, "{}");
  });
  LoopbackServer server(std::move(router));
  std::optional<Result<Response>> result;
  std::thread caller([&] {
    Client client = server.client();
    result.emplace(client.get("/v1/stuck"));
  });
  ASSERT_TRUE(entered.wait());
  std::thread stopper([&] { server.server().stop(50ms); });
  caller.join();  // the forced close ends the request without a response
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->has_value());
  release.set();  // stop() still waits for the handler to return
  stopper.join();
}

TEST(Server, ReportsAPortInUse) {
  LoopbackServer first(basic_router());
  ServerOptions options;
  options.port = first.port();
  Server second(basic_router(), options);
  Status status = second.start();
  ASSERT_FALSE(status.is_ok());
  EXPECT_EQ(status.message(), "cannot listen on 127.0.0.1:" + std::to_string(first.port()) +
                                  ": address already in use");
  Server bad_address(basic_router(), ServerOptions{.address = "not-an-ip"});
  EXPECT_FALSE(bad_address.start().is_ok());
}

}  // namespace
}  // namespace caravan::http
