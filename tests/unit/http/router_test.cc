#include "http/router.h"

#include <gtest/gtest.h>

namespace caravan::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&, const RouteParams& params) {
    std::string body = name;
    for (std::string_view key : {"id", "alloc", "*", "rest"}) {
      if (params.has(key)) {
        body += " " + std::string(key) + "=" + std::string(params.get(key));
      }
    }
    return text_response(200, body);
  };
}

Router api_router() {
  Router router;
  router.add("GET", "/v1/jobs", named("list"));
  router.add("POST", "/v1/jobs", named("register"));
  router.add("GET", "/v1/job/:id", named("job"));
  router.add("DELETE", "/v1/job/:id", named("deregister"));
  router.add("GET", "/v1/job/:id/allocations", named("allocs"));
  router.add("GET", "/v1/jobs/parse", named("parse-get"));
  router.add("GET", "/v1/client/fs/logs/:alloc", named("logs"));
  router.add("GET", "/ui/*", named("ui"));
  router.add("GET", "/static/*rest", named("static"));
  router.add("GET", "/v1/acl/token/self", named("self"));
  router.add("GET", "/v1/acl/token/:id", named("token"));
  return router;
}

std::string run(const Router& router, std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.raw_path = path;
  request.path = path;
  Response response = router.dispatch(request);
  return std::to_string(response.status) + " " + response.body;
}

TEST(Router, MatchesLiteralsAndParams) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/v1/jobs"), "200 list");
  EXPECT_EQ(run(router, "POST", "/v1/jobs"), "200 register");
  EXPECT_EQ(run(router, "GET", "/v1/job/web"), "200 job id=web");
  EXPECT_EQ(run(router, "GET", "/v1/job/web/allocations"), "200 allocs id=web");
  EXPECT_EQ(run(router, "GET", "/v1/client/fs/logs/5e2a"), "200 logs alloc=5e2a");
}

TEST(Router, DecodesParams) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/v1/job/my%20job%2Fv2"), "200 job id=my job/v2");
}

TEST(Router, PrefersLiteralOverParam) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/v1/acl/token/self"), "200 self");
  EXPECT_EQ(run(router, "GET", "/v1/acl/token/abc"), "200 token id=abc");
}

TEST(Router, WildcardTakesTheRest) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/ui/jobs/web/overview"), "200 ui *=jobs/web/overview");
  EXPECT_EQ(run(router, "GET", "/ui"), "200 ui *=");
  EXPECT_EQ(run(router, "GET", "/static/css/a.css"), "200 static rest=css/a.css");
}

TEST(Router, IgnoresATrailingSlash) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/v1/jobs/"), "200 list");
}

TEST(Router, UnknownPathIs404) {
  Router router = api_router();
  EXPECT_EQ(run(router, "GET", "/v1/nope").substr(0, 3), "404");
  EXPECT_EQ(run(router, "GET", "/v1/job").substr(0, 3), "404");
  EXPECT_EQ(run(router, "GET", "/v1/job//allocations").substr(0, 3), "404");
  EXPECT_EQ(run(router, "GET", "/v1/job/web/allocations/x").substr(0, 3), "404");
  EXPECT_EQ(run(router, "GET", "/v1/job/bad%zz").substr(0, 3), "404");
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router router = api_router();
  Router::Match match = router.match("PUT", "/v1/job/web");
  EXPECT_EQ(match.kind, Router::Match::Kind::kMethodNotAllowed);
  EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET"}));
  Response response = Router::no_route_response(match, "PUT", "/v1/job/web");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.get("Allow"), "DELETE, GET");
  EXPECT_NE(error_message(response).find("PUT"), std::string::npos);
}

TEST(Router, MatchReturnsParamsWithoutRunning) {
  Router router = api_router();
  Router::Match match = router.match("GET", "/v1/job/api/allocations");
  ASSERT_EQ(match.kind, Router::Match::Kind::kFound);
  EXPECT_EQ(match.params.get("id"), "api");
  EXPECT_EQ(match.params.get("missing"), "");
  EXPECT_EQ(match.params.size(), 1u);
}

TEST(RouterDeathTest, DuplicateRouteIsAProgrammingError) {
  Router router;
  router.add("GET", "/v1/job/:id", named("a"));
  EXPECT_DEATH(router.add("GET", "/v1/job/:name", named("b")), "");
}

}  // namespace
}  // namespace caravan::http
