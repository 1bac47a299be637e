// RequestHead's accessors: path and query split, case-insensitive headers, host.
#include <gtest/gtest.h>

#include "proxy/director.h"

namespace caravan::proxy {
namespace {

RequestHead head(std::string target, std::vector<HeaderField> headers) {
  RequestHead h;
  h.method = "GET";
  h.target = std::move(target);
  h.headers = std::move(headers);
  return h;
}

TEST(RequestHead, SplitsPathAndQuery) {
  RequestHead h = head("/a/b?x=1&y=2", {});
  EXPECT_EQ(h.path(), "/a/b");
  EXPECT_EQ(h.query(), "x=1&y=2");
  RequestHead plain = head("/a", {});
  EXPECT_EQ(plain.path(), "/a");
  EXPECT_EQ(plain.query(), "");
}

TEST(RequestHead, HeadersAreCaseInsensitiveAndHostLosesItsPort) {
  RequestHead h = head("/", {{"HOST", "Api.Example.COM:8080"}, {"X-A", "1"}});
  EXPECT_EQ(h.header("host"), "Api.Example.COM:8080");
  EXPECT_TRUE(h.has_header("x-a"));
  EXPECT_FALSE(h.has_header("x-b"));
  EXPECT_EQ(h.header("x-b"), "");
  EXPECT_EQ(h.host(), "api.example.com");
  EXPECT_EQ(head("/", {{"Host", "[::1]:80"}}).host(), "[::1]");
  EXPECT_EQ(head("/", {}).host(), "");
}

}  // namespace
}  // namespace caravan::proxy
