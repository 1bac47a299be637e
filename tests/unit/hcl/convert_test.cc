#include "hcl/convert.h"

#include <gtest/gtest.h>

namespace caravan::hcl {
namespace {

TEST(ConvertToString, FormatsNumbersAndBools) {
  EXPECT_EQ(convert_to_string(Value::number(3)).value(), "3");
  EXPECT_EQ(convert_to_string(Value::number(2.5)).value(), "2.5");
  EXPECT_EQ(convert_to_string(Value::boolean(true)).value(), "true");
  EXPECT_EQ(convert_to_string(Value::string("x")).value(), "x");
}

TEST(ConvertToString, RejectsNullAndCollections) {
  EXPECT_EQ(convert_to_string(Value::list({})).error().message(), "a string is required, got list");
  EXPECT_EQ(convert_to_string(Value::null()).error().message(), "a string is required, got null");
  EXPECT_EQ(convert_to_string(Value::object({})).error().code(), StatusCode::kInvalidArgument);
}

TEST(ConvertToNumber, ParsesWholeDecimalStringsOnly) {
  EXPECT_EQ(convert_to_number(Value::string("42")).value(), 42);
  EXPECT_EQ(convert_to_number(Value::string("-1.5e3")).value(), -1500);
  EXPECT_EQ(convert_to_number(Value::string(".5")).value(), 0.5);
  EXPECT_EQ(convert_to_number(Value::number(7)).value(), 7);
  EXPECT_EQ(convert_to_number(Value::string("abc")).error().message(),
            "a number is required, got string \"abc\"");
  for (const char* bad : {"", " 1", "1 ", "1.2.3", "0x10", "1e", "inf", "+", "."}) {
    EXPECT_FALSE(convert_to_number(Value::string(bad)).has_value()) << bad;
  }
  EXPECT_EQ(convert_to_number(Value::boolean(true)).error().message(),
            "a number is required, got bool");
}

TEST(ConvertToBool, AcceptsOnlyTrueAndFalse) {
  EXPECT_TRUE(convert_to_bool(Value::string("true")).value());
  EXPECT_FALSE(convert_to_bool(Value::string("false")).value());
  EXPECT_TRUE(convert_to_bool(Value::boolean(true)).value());
  EXPECT_EQ(convert_to_bool(Value::string("True")).error().message(),
            "a bool is required, got string \"True\"");
  EXPECT_EQ(convert_to_bool(Value::number(1)).error().message(), "a bool is required, got number");
}

}  // namespace
}  // namespace caravan::hcl
