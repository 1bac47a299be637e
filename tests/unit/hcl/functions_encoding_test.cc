#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

TEST(EncodingFunctions, Base64RoundTrips) {
  EXPECT_EQ(text("base64encode", {str("Hello World")}), "SGVsbG8gV29ybGQ=");
  EXPECT_EQ(text("base64decode", {str("SGVsbG8gV29ybGQ=")}), "Hello World");
  EXPECT_EQ(text("base64decode", {str("SGVsbG8g\r\nV29ybGQ=\n")}), "Hello World");
  EXPECT_THAT(text("base64decode", {str("not base64!")}), HasSubstr("is not valid Base64"));
  EXPECT_THAT(text("base64decode", {str("/w==")}), HasSubstr("not valid UTF-8"));
}

TEST(EncodingFunctions, Base64gzipProducesAGzipStream) {
  // gzip header, one stored block holding "hi", CRC-32 and length (checked with Python's gzip).
  EXPECT_EQ(text("base64gzip", {str("hi")}), "H4sIAAAAAAAA/wECAP3/aGmsKpPYAgAAAA==");
}

TEST(EncodingFunctions, TextBase64SupportsUtf8Only) {
  EXPECT_EQ(text("textencodebase64", {str("Hello"), str("UTF-8")}), "SGVsbG8=");
  EXPECT_EQ(text("textdecodebase64", {str("SGVsbG8="), str("utf-8")}), "Hello");
  EXPECT_THAT(text("textencodebase64", {str("x"), str("UTF-16LE")}),
              HasSubstr("argument 2 names the encoding \"UTF-16LE\", which is not supported"));
}

TEST(EncodingFunctions, CsvdecodeReadsHeaderAndQuotedFields) {
  EXPECT_EQ(run("csvdecode", {str("a,b\n1,2\r\n\"x,y\",\"q\"\"\"\n")}),
            "[{ a = \"1\", b = \"2\" }, { a = \"x,y\", b = \"q\\\"\" }]");
  EXPECT_THAT(text("csvdecode", {str("a,b\n1\n")}),
              HasSubstr("line 2: expected 2 fields but found 1"));
  EXPECT_THAT(text("csvdecode", {str("a\n\"x")}), HasSubstr("not closed"));
  EXPECT_EQ(text("csvdecode", {str("")}), "error: the CSV text has no header line");
}

TEST(EncodingFunctions, JsondecodeBuildsValues) {
  EXPECT_EQ(run("jsondecode", {str("{\"a\":[1,2.5,true,null,\"x\"]}")}),
            "{ a = [1, 2.5, true, null, \"x\"] }");
  EXPECT_THAT(text("jsondecode", {str("{")}), HasSubstr("not valid JSON"));
}

TEST(EncodingFunctions, JsonencodeWritesGoStyleJson) {
  Value v = obj({{"a", list({num(1), num(2.5), str("<x>&")})},
                 {"b", null()},
                 {"c", num(1e21)},
                 {"d", num(0.0000001)}});
  EXPECT_EQ(text("jsonencode", {v}),
            "{\"a\":[1,2.5,\"\\u003cx\\u003e\\u0026\"],\"b\":null,\"c\":1000000000000000000000,"
            "\"d\":0.0000001}");
  EXPECT_EQ(text("jsonencode", {str("tab\there")}), "\"tab\\there\"");
}

TEST(EncodingFunctions, UrlencodeEscapesLikeQueryEscape) {
  EXPECT_EQ(text("urlencode", {str("Hello World?&=\xc3\xa9~")}), "Hello+World%3F%26%3D%C3%A9~");
}

}  // namespace
}  // namespace caravan::hcl::testing
