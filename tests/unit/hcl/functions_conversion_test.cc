#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

TEST(ConversionFunctions, TostringConvertsPrimitivesAndKeepsNull) {
  EXPECT_EQ(run("tostring", {num(5)}), "\"5\"");
  EXPECT_EQ(run("tostring", {boolean(true)}), "\"true\"");
  EXPECT_EQ(run("tostring", {null()}), "null");
  EXPECT_EQ(run("tostring", {list({})}), "error: cannot convert list to string");
}

TEST(ConversionFunctions, TonumberAcceptsOnlyDecimalStrings) {
  EXPECT_EQ(run("tonumber", {str("42")}), "42");
  EXPECT_EQ(run("tonumber", {str("1.5e2")}), "150");
  EXPECT_EQ(run("tonumber", {null()}), "null");
  EXPECT_THAT(run("tonumber", {str("abc")}), HasSubstr("cannot convert \"abc\" to number"));
  EXPECT_THAT(run("tonumber", {str(" 1")}), HasSubstr("cannot convert"));
}

TEST(ConversionFunctions, TotboolAcceptsTrueAndFalseStrings) {
  EXPECT_EQ(run("tobool", {str("true")}), "true");
  EXPECT_EQ(run("tobool", {boolean(false)}), "false");
  EXPECT_THAT(run("tobool", {str("yes")}), HasSubstr("only \"true\" or \"false\""));
}

TEST(ConversionFunctions, TolistUnifiesMixedPrimitivesToStrings) {
  EXPECT_EQ(run("tolist", {list({str("a"), num(1), boolean(true)})}), "[\"a\", \"1\", \"true\"]");
  EXPECT_EQ(run("tolist", {list({num(2), num(1)})}), "[2, 1]");
  EXPECT_EQ(run("tolist", {obj({})}), "error: cannot convert object to list");
}

TEST(ConversionFunctions, TosetRemovesDuplicatesAndSorts) {
  EXPECT_EQ(run("toset", {list({str("c"), str("a"), str("c"), num(1)})}), "[\"1\", \"a\", \"c\"]");
  EXPECT_EQ(run("toset", {list({num(3), num(1), num(2), num(1)})}), "[1, 2, 3]");
  EXPECT_EQ(run("toset", {str("a")}), "error: cannot convert string \"a\" to set");
}

TEST(ConversionFunctions, TomapUnifiesValues) {
  EXPECT_EQ(run("tomap", {obj({{"a", num(1)}, {"b", str("x")}})}), "{ a = \"1\", b = \"x\" }");
  EXPECT_EQ(run("tomap", {list({num(1)})}), "error: cannot convert list to map");
}

}  // namespace
}  // namespace caravan::hcl::testing
