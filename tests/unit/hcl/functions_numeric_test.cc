#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

TEST(NumericFunctions, BasicArithmetic) {
  EXPECT_EQ(run("abs", {num(-12.4)}), "12.4");
  EXPECT_EQ(run("ceil", {num(5.1)}), "6");
  EXPECT_EQ(run("floor", {num(-1.5)}), "-2");
  EXPECT_EQ(run("log", {num(16), num(2)}), "4");
  EXPECT_EQ(run("pow", {num(3), num(2)}), "9");
  EXPECT_EQ(run("signum", {num(-13)}), "-1");
  EXPECT_EQ(run("signum", {num(0)}), "0");
  EXPECT_EQ(run("signum", {num(7)}), "1");
}

TEST(NumericFunctions, MaxAndMinAcceptNumericStrings) {
  EXPECT_EQ(run("max", {num(12), num(54), num(3)}), "54");
  EXPECT_EQ(run("min", {num(12), num(54), num(3)}), "3");
  EXPECT_EQ(run("max", {str("5"), num(2)}), "5");
  EXPECT_EQ(run("max", {str("a")}), "error: argument 1 must be a number, got string \"a\"");
}

TEST(NumericFunctions, ParseintSupportsBases2To62) {
  EXPECT_EQ(run("parseint", {str("100"), num(10)}), "100");
  EXPECT_EQ(run("parseint", {str("FF"), num(16)}), "255");
  EXPECT_EQ(run("parseint", {str("-10"), num(16)}), "-16");
  EXPECT_EQ(run("parseint", {str("1011111011101111"), num(2)}), "48879");
  EXPECT_EQ(run("parseint", {str("aA"), num(62)}), "656");
  EXPECT_EQ(run("parseint", {str("12"), num(2)}), "error: cannot parse \"12\" as a base 2 integer");
  EXPECT_THAT(run("parseint", {str("1"), num(1)}), HasSubstr("between 2 and 62"));
  EXPECT_THAT(run("parseint", {str(""), num(10)}), HasSubstr("cannot parse"));
}

}  // namespace
}  // namespace caravan::hcl::testing
