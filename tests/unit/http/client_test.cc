#include "http/client.h"

#include <gtest/gtest.h>

#include <thread>

#include "test_util.h"

namespace caravan::http {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::Signal;

TEST(Client, RejectsHttpsAndMalformedAddresses) {
  auto https = Client::create("https://127.0.0.1:4646");
  ASSERT_FALSE(https);
  EXPECT_EQ(https.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(https.error().message().find("https"), std::string::npos);
  auto bare = Client::create("127.0.0.1:4646");
  ASSERT_FALSE(bare);
  EXPECT_NE(bare.error().message().find("http://host:port"), std::string::npos);
}

TEST(Client, ConnectionRefusedNamesTheAddress) {
  uint16_t port = 0;
  {
    LoopbackServer server(Router{});
    port = server.port();
  }  // stopped: nothing listens there now
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  Client client = std::move(Client::create(url)).value();
  auto response = client.get("/v1/jobs");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.error().message(), "cannot connect to " + url + ": connection refused");
}

TEST(Client, RequestTimeoutNamesTheRequestAndAddress) {
  Signal release;
  Router router;
  router.add("GET", "/v1/slow", [&](const Request& request, const RouteParams&) {
    release.wait(request.stop_token, 10s);
    return json_response(200, "{}");
  });
  router.add("GET", "/v1/fast", [](const Request&, const RouteParams&) {
    return json_response(200, "{}");
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  RequestOptions options;
  options.timeout = 100ms;
  auto response = client.get("/v1/slow", options);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.error().message(),
            "GET /v1/slow on " + server.url() + ": timed out after 100ms");
  release.set();
  // The client recovers on a fresh connection.
  auto next = client.get("/v1/fast");
  ASSERT_TRUE(next) << next.error().message();
  EXPECT_EQ(next->status, 200);
}

TEST(Client, StreamIdleTimeout) {
  Router router;
  router.add("GET", "/v1/logs", [](const Request&, const RouteParams&) {
    return stream_response(200, "text/plain", [](BodyWriter& writer) {
      writer.write("only line\n");
      Signal never;
      never.wait(writer.stop_token(), 10s);
    });
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  RequestOptions options;
  options.stream_idle_timeout = 100ms;
  std::string got;
  auto response = client.get_stream(
      "/v1/logs",
      [&](std::string_view d) {
        got += d;
        return true;
      },
      options);
  ASSERT_FALSE(response);
  EXPECT_NE(response.error().message().find("no data for 100ms"), std::string::npos);
  EXPECT_EQ(got, "only line\n");
}

TEST(Client, StreamOfAnErrorCollectsTheBody) {
  Router router;
  router.add("GET", "/v1/client/fs/logs/:alloc", [](const Request&, const RouteParams& p) {
    return error_response(404, "alloc " + std::string(p.get("alloc")) + " not found");
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  bool called = false;
  auto response = client.get_stream("/v1/client/fs/logs/x", [&](std::string_view) {
    called = true;
    return true;
  });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_FALSE(called);
  EXPECT_EQ(error_message(*response), "alloc x not found");
}

TEST(Client, SendsCustomHeadersAndMethods) {
  Router router;
  router.add("PUT", "/v1/thing", [](const Request& request, const RouteParams&) {
    return text_response(200, std::string(request.headers.get("X-Nomad-Token").value_or("")) +
                                  "|" + std::string(request.headers.get("Host").value_or("")) +
                                  "|" + request.body);
  });
  router.add("DELETE", "/v1/thing", [](const Request&, const RouteParams&) {
    Response response;
    response.status = 204;
    return response;
  });
  LoopbackServer server(std::move(router));
  Client client = server.client();
  RequestOptions options;
  options.headers.add("X-Nomad-Token", "secret");
  auto put = client.put("/v1/thing", "{}", options);
  ASSERT_TRUE(put);
  EXPECT_EQ(put->body, "secret|127.0.0.1:" + std::to_string(server.port()) + "|{}");
  auto del = client.del("/v1/thing");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 204);
  EXPECT_EQ(client.address(), server.url());
  EXPECT_FALSE(client.get("no-slash"));
}

}  // namespace
}  // namespace caravan::http
