#include "http/internal/http1.h"

#include <gtest/gtest.h>

#include "http/internal/url.h"

namespace caravan::http::internal {
namespace {

TEST(ParseRequestHead, ReadsLineAndFields) {
  std::string text = "GET /v1/jobs?prefix=a HTTP/1.1\r\nHost: x\r\nX-Pad:   v a l  \r\n\r\n";
  ASSERT_EQ(find_head_end(text), text.size());
  auto head = parse_request_head(text);
  ASSERT_TRUE(head) << head.error().message();
  EXPECT_EQ(head->method, "GET");
  EXPECT_EQ(head->target, "/v1/jobs?prefix=a");
  EXPECT_EQ(head->version_minor, 1);
  EXPECT_EQ(head->headers.get("x-pad"), "v a l");
}

TEST(ParseRequestHead, RejectsMalformedInput) {
  for (std::string bad : std::vector<std::string>{
           "GARBAGE\r\n\r\n",
           "GET /\r\n\r\n",
           "GET / HTTP/1.1 extra\r\n\r\n",
           "GET  / HTTP/1.1\r\n\r\n",
           "GET http://x/ HTTP/1.1\r\n\r\n",
           "GET / HTTP/x.1\r\n\r\n",
           "G(T / HTTP/1.1\r\n\r\n",
           "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
           "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
           "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
           "GET / HTTP/1.1\nA: b\r\n\r\n",
           std::string("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 26),
           "GET /a\x7f HTTP/1.1\r\n\r\n",
       }) {
    EXPECT_FALSE(parse_request_head(bad)) << bad;
  }
}

TEST(CouldStartRequest, RejectsNonHttpEarly) {
  EXPECT_TRUE(could_start_request(""));
  EXPECT_TRUE(could_start_request("GE"));
  EXPECT_TRUE(could_start_request("\r\nGET / HT"));
  EXPECT_FALSE(could_start_request("\x16\x03\x01"));
  EXPECT_FALSE(could_start_request("{\"Job\""));
}

TEST(ParseResponseHead, ReadsStatus) {
  auto head = parse_response_head("HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 404);
  EXPECT_EQ(head->reason, "Not Found");
  EXPECT_TRUE(parse_response_head("HTTP/1.0 200\r\n\r\n"));
  EXPECT_FALSE(parse_response_head("HTTP/1.1 2000 OK\r\n\r\n"));
  EXPECT_FALSE(parse_response_head("HTTP/2.0 200 OK\r\n\r\n"));
}

Headers fields(std::vector<std::pair<std::string, std::string>> list) {
  Headers headers;
  for (auto& [k, v] : list) {
    headers.add(k, v);
  }
  return headers;
}

TEST(RequestFraming, RecognizesLengthAndChunked) {
  EXPECT_EQ(request_framing({})->kind, BodyKind::kNone);
  auto length = request_framing(fields({{"Content-Length", "12"}}));
  ASSERT_TRUE(length);
  EXPECT_EQ(length->kind, BodyKind::kLength);
  EXPECT_EQ(length->length, 12u);
  EXPECT_EQ(request_framing(fields({{"Content-Length", "5, 5"}}))->length, 5u);
  EXPECT_EQ(request_framing(fields({{"Transfer-Encoding", "Chunked"}}))->kind, BodyKind::kChunked);
}

TEST(RequestFraming, RejectsSmugglingShapes) {
  EXPECT_FALSE(request_framing(fields({{"Content-Length", "1"}, {"Transfer-Encoding", "chunked"}})));
  EXPECT_FALSE(request_framing(fields({{"Content-Length", "1"}, {"Content-Length", "2"}})));
  EXPECT_FALSE(request_framing(fields({{"Content-Length", "-1"}})));
  EXPECT_FALSE(request_framing(fields({{"Content-Length", "1x"}})));
  EXPECT_FALSE(request_framing(fields({{"Content-Length", "99999999999999999999999"}})));
  EXPECT_FALSE(request_framing(fields({{"Transfer-Encoding", "gzip, chunked"}})));
  EXPECT_FALSE(request_framing(fields({{"Transfer-Encoding", "chunked, chunked"}})));
}

TEST(ResponseFraming, FollowsStatusAndMethod) {
  EXPECT_EQ(response_framing("HEAD", 200, fields({{"Content-Length", "5"}}))->kind,
            BodyKind::kNone);
  EXPECT_EQ(response_framing("GET", 204, {})->kind, BodyKind::kNone);
  EXPECT_EQ(response_framing("GET", 200, {})->kind, BodyKind::kUntilClose);
  EXPECT_EQ(response_framing("GET", 200, fields({{"Transfer-Encoding", "gzip, chunked"}}))->kind,
            BodyKind::kChunked);
}

TEST(ChunkedDecoder, DecodesWholeAndByteByByte) {
  const std::string wire =
      "5;ext=1\r\nhello\r\n6\r\n world\r\nA \r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT";
  ChunkedDecoder whole;
  std::string out;
  auto consumed = whole.feed(wire, out);
  ASSERT_TRUE(consumed);
  EXPECT_TRUE(whole.done());
  EXPECT_EQ(out, "hello world0123456789");
  EXPECT_EQ(wire.substr(*consumed), "NEXT");

  ChunkedDecoder bytes;
  std::string out2;
  size_t i = 0;
  while (!bytes.done()) {
    ASSERT_LT(i, wire.size());
    auto n = bytes.feed(std::string_view(wire).substr(i, 1), out2);
    ASSERT_TRUE(n);
    i += *n;
  }
  EXPECT_EQ(out2, out);
  EXPECT_EQ(i, *consumed);
}

TEST(ChunkedDecoder, RejectsMalformedFraming) {
  for (std::string bad : {"x\r\n", "5\r\nhelloXY", "5\nhello\r\n", "fffffffffffffffff\r\n",
                          "\r\n"}) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_FALSE(decoder.feed(bad, out)) << bad;
  }
}

TEST(Format, HeadsAndChunks) {
  Headers headers;
  headers.add("X-Evil", "a\r\nInjected: yes");
  std::string head = format_response_head(404, headers);
  EXPECT_EQ(head, "HTTP/1.1 404 Not Found\r\nX-Evil: a  Injected: yes\r\n\r\n");
  EXPECT_EQ(format_request_head("GET", "/v1/jobs", {}), "GET /v1/jobs HTTP/1.1\r\n\r\n");
  EXPECT_EQ(format_chunk("hello world, 26 bytes long"), "1a\r\nhello world, 26 bytes long\r\n");
}

TEST(Url, PercentDecoding) {
  EXPECT_EQ(*percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(*percent_decode("a%20b+c", true), "a b c");
  EXPECT_FALSE(percent_decode("bad%2", false));
  EXPECT_FALSE(percent_decode("bad%zz", false));
}

TEST(Url, QueryParsing) {
  auto params = parse_query("index=12&wait=30s&flag&tag=a%2Cb&tag=c&&");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->count("tag"), 2u);
  EXPECT_EQ(params->find("flag")->second, "");
  EXPECT_EQ(params->find("index")->second, "12");
  EXPECT_EQ(params->find("tag")->second, "a,b");
}

TEST(Url, HttpAddresses) {
  auto url = parse_http_url("http://127.0.0.1:4646/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 4646);
  EXPECT_EQ(url->base, "http://127.0.0.1:4646");
  auto v6 = parse_http_url("http://[::1]:80");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->base, "http://[::1]:80");
  EXPECT_EQ(parse_http_url("http://nomad.local")->port, 80);

  auto https = parse_http_url("https://127.0.0.1:4646");
  ASSERT_FALSE(https);
  EXPECT_NE(https.error().message().find("https"), std::string::npos);
  for (std::string bad : {"127.0.0.1:4646", "http://", "http://host:0", "http://host:99999",
                          "http://host:x", "http://host:4646/v1", "http://[::1"}) {
    EXPECT_FALSE(parse_http_url(bad)) << bad;
  }
}

}  // namespace
}  // namespace caravan::http::internal
