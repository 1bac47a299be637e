#include "http/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace caravan::http {
namespace {

TEST(Headers, LookupIsCaseInsensitiveAndKeepsOrder) {
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("X-Tag", "a");
  headers.add("x-tag", "b");
  EXPECT_EQ(headers.get("content-type"), "application/json");
  EXPECT_EQ(headers.get("X-TAG"), "a");
  EXPECT_FALSE(headers.get("Missing").has_value());
  headers.set("X-Tag", "c");
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.get("x-tag"), "c");
  headers.remove("CONTENT-TYPE");
  EXPECT_FALSE(headers.has("Content-Type"));
}

TEST(Headers, HasTokenReadsCommaSeparatedLists) {
  Headers headers;
  headers.add("Connection", "keep-alive, Upgrade");
  headers.add("Connection", " Close ");
  EXPECT_TRUE(headers.has_token("connection", "upgrade"));
  EXPECT_TRUE(headers.has_token("Connection", "close"));
  EXPECT_FALSE(headers.has_token("Connection", "keep"));
}

TEST(Request, QueryHelpersReturnFirstAndAllValues) {
  Request request;
  request.query_params.emplace("tag", "a");
  request.query_params.emplace("index", "12");
  request.query_params.emplace("tag", "b");
  EXPECT_EQ(request.query("index"), "12");
  EXPECT_EQ(request.query("tag"), "a");
  EXPECT_FALSE(request.query("wait").has_value());
  EXPECT_TRUE(request.has_query("tag"));
  EXPECT_EQ(request.query_all("tag"), (std::vector<std::string>{"a", "b"}));
}

TEST(ErrorResponse, IsJsonWithTheMessage) {
  Response response = error_response(404, "job \"web\" not found");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.headers.get("Content-Type"), "application/json");
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["error"], "job \"web\" not found");
  EXPECT_EQ(error_message(response), "job \"web\" not found");
}

TEST(ErrorResponse, SurvivesInvalidUtf8) {
  Response response = error_response(400, "bad \xff byte");
  EXPECT_TRUE(nlohmann::json::accept(response.body));
}

TEST(ErrorResponse, MapsStatusCodes) {
  EXPECT_EQ(error_response(invalid_argument("x")).status, 400);
  EXPECT_EQ(error_response(not_found("x")).status, 404);
  EXPECT_EQ(error_response(Status(StatusCode::kAlreadyExists, "x")).status, 409);
  EXPECT_EQ(error_response(Status(StatusCode::kFailedPrecondition, "x")).status, 409);
  EXPECT_EQ(error_response(Status(StatusCode::kPermissionDenied, "x")).status, 403);
  EXPECT_EQ(error_response(Status(StatusCode::kUnavailable, "x")).status, 503);
  EXPECT_EQ(error_response(internal_error("x")).status, 500);
}

TEST(ErrorMessage, ReadsNomadPlainTextErrors) {
  Response nomad = text_response(500, "rpc error: eval broker disabled\n");
  EXPECT_EQ(error_message(nomad), "rpc error: eval broker disabled");
  Response empty;
  empty.status = 502;
  EXPECT_EQ(error_message(empty), "HTTP 502");
  Response other_json = json_response(400, R"({"message": "x"})");
  EXPECT_EQ(error_message(other_json), R"({"message": "x"})");
}

TEST(StreamResponse, CarriesTheBodyFunction) {
  Response response = stream_response(200, "text/plain", [](BodyWriter&) {});
  EXPECT_TRUE(static_cast<bool>(response.stream));
  EXPECT_EQ(response.headers.get("Content-Type"), "text/plain");
}

}  // namespace
}  // namespace caravan::http
