// The HTTP/1.1 codec: heads, framing, limits, chunked decoding.
#include "proxy/http1_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace caravan::proxy::http1 {
namespace {

TEST(Http1Request, ParsesAHeadAndItsFields) {
  HeadParser p;
  Head h;
  std::string buf = "GET /a?b=1 HTTP/1.1\r\nHost: x.example\r\nX-A:  v 1 \r\n\r\nrest";
  ASSERT_EQ(p.parse_request(buf, h), ParseResult::kDone);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.target, "/a?b=1");
  EXPECT_EQ(h.version_minor, 1);
  ASSERT_EQ(h.fields.size(), 2u);
  EXPECT_EQ(h.fields[1].name, "X-A");
  EXPECT_EQ(h.fields[1].value, "v 1");
  EXPECT_EQ(h.head_size, buf.size() - 4);
  EXPECT_EQ(h.body, BodyKind::kNone);
  EXPECT_TRUE(h.keep_alive());
}

TEST(Http1Request, ParsesIncrementallyByteByByte) {
  std::string buf = "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: x\r\n\r\n";
  buf = "POST / HTTP/1.1\nContent-Length: 5\n\nhello";
  HeadParser p;
  Head h;
  for (size_t n = 1; n < buf.size(); ++n) {
    ParseResult r = p.parse_request(std::string_view(buf).substr(0, n), h);
    if (n < 35) {
      ASSERT_EQ(r, ParseResult::kNeedMore) << n;
    } else {
      ASSERT_EQ(r, ParseResult::kDone) << n;
      EXPECT_EQ(h.body, BodyKind::kContentLength);
      EXPECT_EQ(h.content_length, 5u);
      EXPECT_EQ(h.head_size, 35u);
      break;
    }
  }
}

TEST(Http1Request, RejectsMalformedHeads) {
  for (std::string bad : {
           "GET\r\n\r\n", "GET / HTTP/1.1 x\r\n\r\n", "GET / HTTP/2.0\r\n\r\n",
           "GET / HTTP/1.1\r\nNo-Colon\r\n\r\n", "GET / HTTP/1.1\r\nA : b\r\n\r\n",
           "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nA: b\x01\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n",
           "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
           "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "G@T / HTTP/1.1\r\n\r\n"}) {
    HeadParser p;
    Head h;
    EXPECT_EQ(p.parse_request(bad, h), ParseResult::kBad) << bad;
  }
}

TEST(Http1Request, EnforcesTheHeaderLimits) {
  HeadParser p(Limits{100, 3});
  Head h;
  EXPECT_EQ(p.parse_request("GET / HTTP/1.1\r\nX: " + std::string(200, 'a'), h), ParseResult::kTooLarge);
  p.reset();
  EXPECT_EQ(p.parse_request("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", h),
            ParseResult::kTooLarge);
  p.reset();
  EXPECT_EQ(p.parse_request("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", h), ParseResult::kDone);
}

TEST(Http1Request, ConnectionRulesAndHopByHopFields) {
  HeadParser p;
  Head h;
  ASSERT_EQ(p.parse_request("GET / HTTP/1.0\r\nConnection: Keep-Alive, X-Foo\r\nTE: trailers\r\n"
                            "Upgrade: ws\r\n\r\n", h),
            ParseResult::kDone);
  EXPECT_TRUE(h.keep_alive());
  EXPECT_TRUE(h.is_hop_by_hop("x-foo"));
  EXPECT_TRUE(h.is_hop_by_hop("TE"));
  EXPECT_TRUE(h.is_hop_by_hop("Keep-Alive"));
  EXPECT_TRUE(h.is_hop_by_hop("Proxy-Connection"));
  EXPECT_TRUE(h.is_hop_by_hop("Upgrade"));
  EXPECT_FALSE(h.is_hop_by_hop("Host"));
  EXPECT_FALSE(h.connection_upgrade);
  p.reset();
  ASSERT_EQ(p.parse_request("GET / HTTP/1.0\r\n\r\n", h), ParseResult::kDone);
  EXPECT_FALSE(h.keep_alive());
  p.reset();
  ASSERT_EQ(p.parse_request("GET / HTTP/1.1\r\nConnection: close\r\nExpect: 100-continue\r\n\r\n", h),
            ParseResult::kDone);
  EXPECT_FALSE(h.keep_alive());
  EXPECT_TRUE(h.expect_continue);
  EXPECT_TRUE(h.connection_tokens.empty());
}

TEST(Http1Response, FramingFollowsStatusMethodAndFields) {
  struct Case {
    std::string head;
    std::string method;
    BodyKind body;
  };
  for (const Case& c : std::vector<Case>{
           {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", "GET", BodyKind::kContentLength},
           {"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", "HEAD", BodyKind::kNone},
           {"HTTP/1.1 204 No Content\r\n\r\n", "GET", BodyKind::kNone},
           {"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", "GET", BodyKind::kNone},
           {"HTTP/1.1 100 Continue\r\n\r\n", "POST", BodyKind::kNone},
           {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "GET",
            BodyKind::kChunked},
           {"HTTP/1.1 200 OK\r\n\r\n", "GET", BodyKind::kUntilClose},
           {"HTTP/1.0 200\r\n\r\n", "GET", BodyKind::kUntilClose},
           {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", BodyKind::kNone},
       }) {
    HeadParser p;
    Head h;
    ASSERT_EQ(p.parse_response(c.head, c.method, h), ParseResult::kDone) << c.head;
    EXPECT_EQ(h.body, c.body) << c.head;
  }
  HeadParser p;
  Head h;
  EXPECT_EQ(p.parse_response("HTTP/1.1 2000 OK\r\n\r\n", "GET", h), ParseResult::kBad);
  EXPECT_EQ(p.parse_response("HTTX/1.1 200 OK\r\n\r\n", "GET", h), ParseResult::kBad);
}

std::string decode_all(const std::string& in, size_t piece, ChunkedDecoder::State* state,
                       size_t* consumed) {
  ChunkedDecoder d;
  std::string out;
  size_t off = 0;
  while (off < in.size() && d.state() == ChunkedDecoder::State::kRunning) {
    size_t end = std::min(in.size(), off + piece);
    while (off < end && d.state() == ChunkedDecoder::State::kRunning) {
      bool is_data;
      size_t n = d.feed(in.data() + off, end - off, &is_data);
      if (is_data) out.append(in, off, n);
      off += n;
      if (n == 0) break;
    }
  }
  *state = d.state();
  *consumed = off;
  return out;
}

TEST(Http1Chunked, DecodesWithExtensionsAndTrailersInAnySplit) {
  std::string body = "5;name=\"v\"\r\nhello\r\nA\r\n 0123456\r\n\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\nNEXT";
  for (size_t piece : {1, 2, 3, 7, 100}) {
    ChunkedDecoder::State state;
    size_t consumed;
    EXPECT_EQ(decode_all(body, piece, &state, &consumed), "hello 0123456\r\n") << piece;
    EXPECT_EQ(state, ChunkedDecoder::State::kDone);
    EXPECT_EQ(consumed, body.size() - 4);
  }
}

TEST(Http1Chunked, RejectsBadCoding) {
  for (std::string bad : {"x\r\n", "5\r\nhelloXX", "5\nhello\r\n", "0\r\n\n",
                          "fffffffffffffffff\r\n", "\r\n"}) {
    ChunkedDecoder::State state;
    size_t consumed;
    decode_all(bad, 100, &state, &consumed);
    EXPECT_EQ(state, ChunkedDecoder::State::kError) << bad;
  }
}

TEST(Http1, IdempotentMethodsAndReasons) {
  EXPECT_TRUE(is_idempotent("GET"));
  EXPECT_TRUE(is_idempotent("PUT"));
  EXPECT_FALSE(is_idempotent("POST"));
  EXPECT_FALSE(is_idempotent("PATCH"));
  EXPECT_EQ(http_reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_TRUE(iequals("Content-Length", "content-LENGTH"));
}

}  // namespace
}  // namespace caravan::proxy::http1
