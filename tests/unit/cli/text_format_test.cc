// Tables, key = value blocks, RFC 3339 and relative times, short IDs and sizes as nomad prints
// them.
#include "cli/text_format.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace caravan::cli {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
// 2024-05-01T12:00:00Z
constexpr int64_t kNoon = 1714564800LL * kSecond;

class Utc : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST(FormatList, AlignsColumnsWithoutPaddingTheLastOne) {
  EXPECT_EQ(format_list({{"ID", "Type", "Status"}, {"example", "service", "running"}}),
            "ID       Type     Status\n"
            "example  service  running\n");
}

TEST(FormatList, PrintsEmptyCellsAsNone) {
  EXPECT_EQ(format_list({{"CPU", "Addresses"}, {"100 MHz", ""}}),
            "CPU      Addresses\n"
            "100 MHz  <none>\n");
  EXPECT_EQ(format_list({}), "");
}

TEST(FormatKv, AlignsTheEqualsSigns) {
  EXPECT_EQ(format_kv({{"ID", "web"}, {"Submit Date", "x"}, {"Description", ""}}),
            "ID          = web\n"
            "Submit Date = x\n"
            "Description = <none>\n");
}

TEST(FormatKv, EmptyPlaceholderCanBeBlank) {
  EXPECT_EQ(format_kv({{"Version", "1"}, {"Diff", ""}}, ""), "Version = 1\nDiff    =\n");
}

TEST_F(Utc, FormatTimeIsRfc3339) {
  EXPECT_EQ(format_time(kNoon), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_time(0), "");
  setenv("TZ", "CET-1", 1);
  tzset();
  EXPECT_EQ(format_time(kNoon), "2024-05-01T13:00:00+01:00");
}

TEST_F(Utc, ParsesRfc3339WithFractionsAndOffsets) {
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00Z"), kNoon);
  EXPECT_EQ(parse_rfc3339("2024-05-01T12:00:00.5Z"), kNoon + kSecond / 2);
  EXPECT_EQ(parse_rfc3339("2024-05-01T14:00:00+02:00"), kNoon);
  EXPECT_EQ(parse_rfc3339("2024-05-01"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("yesterday"), std::nullopt);
}

TEST_F(Utc, TaskTimesShowNotApplicableWhenUnset) {
  EXPECT_EQ(format_task_time("2024-05-01T12:00:00.123456789Z"), "2024-05-01T12:00:00Z");
  EXPECT_EQ(format_task_time("0001-01-01T00:00:00Z"), "N/A");
  EXPECT_EQ(format_task_time(""), "N/A");
}

TEST(PrettyTimeDiff, ShowsTheTwoLargestNonZeroUnits) {
  EXPECT_EQ(pretty_time_diff(kNoon - 130 * kSecond, kNoon), "2m10s ago");
  EXPECT_EQ(pretty_time_diff(kNoon - 5 * kSecond, kNoon), "5s ago");
  EXPECT_EQ(pretty_time_diff(kNoon - (3600 + 5) * kSecond, kNoon), "1h5s ago");
  EXPECT_EQ(pretty_time_diff(kNoon - (3 * 86400 + 4 * 3600 + 7) * kSecond, kNoon), "3d4h ago");
  EXPECT_EQ(pretty_time_diff(kNoon - 400LL * 86400 * kSecond, kNoon), "1y1mo ago");
  EXPECT_EQ(pretty_time_diff(kNoon - kSecond / 4, kNoon), "0s ago");
  EXPECT_EQ(pretty_time_diff(kNoon + 90 * kSecond, kNoon), "1m30s from now");
  EXPECT_EQ(pretty_time_diff(0, kNoon), "");
}

TEST(ShortId, TakesTheFirstEightCharacters) {
  EXPECT_EQ(short_id("8ba85cef-1234-5678-9abc-def012345678"), "8ba85cef");
  EXPECT_EQ(short_id("abc"), "abc");
  EXPECT_EQ(short_id("8ba85cef-1234", 36), "8ba85cef-1234");
}

TEST(FormatBytes, MatchesNomadsBinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_mib(300), "300 MiB");
  EXPECT_EQ(format_mib(1024), "1.0 GiB");
  EXPECT_EQ(format_mib(1536), "1.5 GiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
}

TEST(JsonReaders, TolerateMissingAndMistypedValues) {
  nlohmann::json j = {{"ID", "x"}, {"Count", 3}, {"Stop", true}, {"Null", nullptr}};
  EXPECT_EQ(json_string(j, "ID"), "x");
  EXPECT_EQ(json_string(j, "Count"), "");
  EXPECT_EQ(json_string(j, "Missing"), "");
  EXPECT_EQ(json_int(j, "Count"), 3);
  EXPECT_EQ(json_int(j, "ID"), 0);
  EXPECT_TRUE(json_bool(j, "Stop"));
  EXPECT_FALSE(json_bool(j, "Null"));
  EXPECT_EQ(json_text(j["Count"]), "3");
  EXPECT_EQ(json_text(j["ID"]), "x");
}

}  // namespace
}  // namespace caravan::cli
