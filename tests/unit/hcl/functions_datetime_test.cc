#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(DatetimeFunctions, FormatdateMatchesDocumentedExamples) {
  EXPECT_EQ(text("formatdate", {str("DD MMM YYYY hh:mm ZZZ"), str("2018-01-02T23:12:01Z")}),
            "02 Jan 2018 23:12 UTC");
  EXPECT_EQ(text("formatdate", {str("EEEE, DD-MMM-YY hh:mm:ss ZZZ"), str("2018-01-02T23:12:01Z")}),
            "Tuesday, 02-Jan-18 23:12:01 UTC");
  EXPECT_EQ(
      text("formatdate", {str("EEE, DD MMM YYYY hh:mm:ss ZZZ"), str("2018-01-02T23:12:01-08:00")}),
      "Tue, 02 Jan 2018 23:12:01 -0800");
  EXPECT_EQ(text("formatdate", {str("MMM DD, YYYY"), str("2018-01-02T23:12:01Z")}), "Jan 02, 2018");
  EXPECT_EQ(text("formatdate", {str("HH:mmaa"), str("2018-01-02T23:12:01Z")}), "11:12pm");
}

TEST(DatetimeFunctions, FormatdateHandlesShortFormsOffsetsAndQuotes) {
  EXPECT_EQ(text("formatdate", {str("YYYY-MM-DD'T'hh:mm:ssZ"), str("2018-01-02T23:12:01+05:30")}),
            "2018-01-02T23:12:01+05:30");
  EXPECT_EQ(text("formatdate",
                 {str("M/D h:m:s H AA ZZZZZ ZZZZ Z MMMM"), str("2018-01-02T03:04:05.123Z")}),
            "1/2 3:4:5 3 AM +00:00 +0000 Z January");
  EXPECT_EQ(text("formatdate", {str("'o''clock' ''"), str("2018-01-02T03:04:05Z")}), "o'clock '");
}

TEST(DatetimeFunctions, FormatdateRejectsBadSpecsAndTimestamps) {
  EXPECT_THAT(text("formatdate", {str("YYY"), str("2018-01-02T03:04:05Z")}),
              HasSubstr("invalid date format verb \"YYY\""));
  EXPECT_THAT(text("formatdate", {str("DD"), str("2018-13-01T00:00:00Z")}),
              HasSubstr("is not a valid RFC 3339 timestamp"));
  EXPECT_THAT(text("formatdate", {str("'abc"), str("2018-01-02T03:04:05Z")}),
              HasSubstr("unterminated quoted literal"));
}

TEST(DatetimeFunctions, TimeaddKeepsTheOffset) {
  EXPECT_EQ(text("timeadd", {str("2017-11-22T00:00:00Z"), str("10m")}), "2017-11-22T00:10:00Z");
  EXPECT_EQ(text("timeadd", {str("2017-11-22T00:00:00-05:00"), str("-1h30m")}),
            "2017-11-21T22:30:00-05:00");
  EXPECT_EQ(text("timeadd", {str("2017-11-22T23:59:59.5Z"), str("500ms")}), "2017-11-23T00:00:00Z");
  EXPECT_THAT(text("timeadd", {str("x"), str("1h")}), HasSubstr("not a valid RFC 3339"));
  EXPECT_THAT(text("timeadd", {str("2017-11-22T00:00:00Z"), str("1 day")}),
              HasSubstr("argument 2 is not a valid duration"));
}

TEST(DatetimeFunctions, TimecmpComparesInstants) {
  EXPECT_EQ(run("timecmp", {str("2017-11-22T00:00:00Z"), str("2017-11-22T01:00:00+01:00")}), "0");
  EXPECT_EQ(run("timecmp", {str("2017-11-22T00:00:00Z"), str("2017-11-22T00:00:01Z")}), "-1");
  EXPECT_EQ(run("timecmp", {str("2017-11-22T00:00:00.5Z"), str("2017-11-22T00:00:00Z")}), "1");
}

TEST(DatetimeFunctions, TimestampIsUtcRfc3339) {
  EXPECT_THAT(text("timestamp", {}),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
}

}  // namespace
}  // namespace caravan::hcl::testing
