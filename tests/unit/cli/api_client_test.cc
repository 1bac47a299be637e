// Agent address resolution and the wording of API and connection errors.
#include "cli/api_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

std::function<const char*(const char*)> env(std::map<std::string, std::string> values) {
  auto stored = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [stored](const char* name) -> const char* {
    auto it = stored->find(name);
    return it == stored->end() ? nullptr : it->second.c_str();
  };
}

TEST(ResolveAgentAddress, FlagThenCaravanAddrThenNomadAddrThenDefault) {
  EXPECT_EQ(resolve_agent_address("http://10.0.0.1:4646", env({{"CARAVAN_ADDR", "http://a:1"}})),
            "http://10.0.0.1:4646");
  EXPECT_EQ(resolve_agent_address(
                "", env({{"CARAVAN_ADDR", "http://a:1"}, {"NOMAD_ADDR", "http://b:2"}})),
            "http://a:1");
  EXPECT_EQ(resolve_agent_address("", env({{"NOMAD_ADDR", "http://b:2"}})), "http://b:2");
  EXPECT_EQ(resolve_agent_address("", env({})), "http://127.0.0.1:4646");
}

TEST(ResolveAgentAddress, AddsTheSchemeAndDropsATrailingSlash) {
  EXPECT_EQ(resolve_agent_address("127.0.0.1:5000", env({})), "http://127.0.0.1:5000");
  EXPECT_EQ(resolve_agent_address("http://h:1/", env({})), "http://h:1");
}

TEST(ResponseError, IsWordedAsNomadWordsIt) {
  http::Response response = http::error_response(404, "job not found");
  Status status = response_error(response);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "Unexpected response code: 404 (job not found)");
  http::Response plain = http::text_response(500, "boom\n");
  EXPECT_EQ(response_error(plain).message(), "Unexpected response code: 500 (boom)");
  EXPECT_EQ(api_error_text("querying job", status),
            "Error querying job: Unexpected response code: 404 (job not found)");
}

TEST(TransportError, NamesTheAddressAndTheFix) {
  Status refused =
      transport_error("http://127.0.0.1:4646",
                      unavailable("cannot connect to http://127.0.0.1:4646: connection refused"));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_THAT(refused.message(),
              HasSubstr("Error connecting to agent at http://127.0.0.1:4646: connection refused"));
  EXPECT_THAT(refused.message(), HasSubstr("caravan agent -dev"));
  // Printed alone, without the "Error querying ..." context.
  EXPECT_EQ(api_error_text("querying jobs", refused), refused.message());
}

TEST(ApiFlags, RoundTripAsArguments) {
  ApiFlags flags;
  flags.address = "http://h:1";
  flags.namespace_ = "prod";
  EXPECT_EQ(flags.as_args(), (std::vector<std::string>{"-address=http://h:1", "-namespace=prod"}));
}

TEST(UrlEscape, EncodesReservedCharacters) {
  EXPECT_EQ(url_escape("web api/1"), "web%20api%2F1");
  EXPECT_EQ(url_escape("a-b_c.d~e"), "a-b_c.d~e");
}

}  // namespace
}  // namespace caravan::cli
