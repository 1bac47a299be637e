#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(CryptoFunctions, HexDigestsMatchKnownValues) {
  EXPECT_EQ(text("md5", {str("hello world")}), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(text("sha1", {str("hello world")}), "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed");
  EXPECT_EQ(text("sha256", {str("hello world")}),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  EXPECT_EQ(text("sha512", {str("hello world")}),
            "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34"
            "255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f");
}

TEST(CryptoFunctions, Base64DigestsMatchKnownValues) {
  EXPECT_EQ(text("base64sha256", {str("hello world")}),
            "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  EXPECT_EQ(
      text("base64sha512", {str("hello world")}),
      "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==");
  EXPECT_EQ(text("md5", {list({})}), "error: argument 1 must be a string, got list");
}

TEST(CryptoFunctions, Uuidv4IsRandomVersion4) {
  std::string a = text("uuidv4", {});
  std::string b = text("uuidv4", {});
  EXPECT_THAT(a,
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_NE(a, b);
}

TEST(CryptoFunctions, Uuidv5IsDeterministic) {
  EXPECT_EQ(text("uuidv5", {str("dns"), str("www.terraform.io")}),
            "a5008fae-b28c-5ba5-96cd-82b4c53552d6");
  EXPECT_EQ(text("uuidv5", {str("url"), str("https://www.terraform.io/")}),
            "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5");
  EXPECT_EQ(text("uuidv5", {str("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), str("www.terraform.io")}),
            "a5008fae-b28c-5ba5-96cd-82b4c53552d6");
  EXPECT_THAT(text("uuidv5", {str("bogus"), str("x")}), HasSubstr("or a UUID, got \"bogus\""));
}

}  // namespace
}  // namespace caravan::hcl::testing
