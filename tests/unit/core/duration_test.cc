#include "core/duration.h"

#include <gtest/gtest.h>

namespace caravan {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(ParseDuration, AcceptsEveryGoUnit) {
  EXPECT_EQ(*parse_duration("10ns"), nanoseconds(10));
  EXPECT_EQ(*parse_duration("3us"), nanoseconds(3000));
  EXPECT_EQ(*parse_duration("3\xC2\xB5s"), nanoseconds(3000));
  EXPECT_EQ(*parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(*parse_duration("30s"), seconds(30));
  EXPECT_EQ(*parse_duration("5m"), minutes(5));
  EXPECT_EQ(*parse_duration("2h"), hours(2));
}

TEST(ParseDuration, AcceptsCompoundFractionalAndSigned) {
  EXPECT_EQ(*parse_duration("1h30m"), minutes(90));
  EXPECT_EQ(*parse_duration("1.5h"), minutes(90));
  EXPECT_EQ(*parse_duration("-2s"), seconds(-2));
  EXPECT_EQ(*parse_duration("+2s"), seconds(2));
  EXPECT_EQ(*parse_duration("0"), nanoseconds(0));
  EXPECT_EQ(*parse_duration("1m0.5s"), milliseconds(60500));
}

TEST(ParseDuration, RejectsMalformedTextWithTheReason) {
  auto missing_unit = parse_duration("10");
  ASSERT_FALSE(missing_unit);
  EXPECT_NE(missing_unit.error().message().find("missing unit"), std::string::npos);

  auto bad_unit = parse_duration("10 sec");
  ASSERT_FALSE(bad_unit);
  EXPECT_NE(bad_unit.error().message().find("\"10 sec\""), std::string::npos);

  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("s"));
  EXPECT_FALSE(parse_duration("1.2.3s"));
  EXPECT_FALSE(parse_duration("10d"));
}

TEST(FormatDuration, PrintsLikeGo) {
  EXPECT_EQ(format_duration(nanoseconds(0)), "0s");
  EXPECT_EQ(format_duration(nanoseconds(15)), "15ns");
  EXPECT_EQ(format_duration(nanoseconds(1500)), "1.5\xC2\xB5s");
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(seconds(10)), "10s");
  EXPECT_EQ(format_duration(minutes(90)), "1h30m0s");
  EXPECT_EQ(format_duration(milliseconds(60500)), "1m0.5s");
  EXPECT_EQ(format_duration(seconds(-5)), "-5s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  for (const char* text : {"1h2m3s", "45ms", "7\xC2\xB5s", "12ns", "2m30.25s"}) {
    EXPECT_EQ(format_duration(*parse_duration(text)), text);
  }
}

}  // namespace
}  // namespace caravan
