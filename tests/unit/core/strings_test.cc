#include "core/strings.h"

#include <gtest/gtest.h>

namespace caravan {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("count", "count"), 0u);
  EXPECT_EQ(edit_distance("cont", "count"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("jbo", "job"), 1u);
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);
}

TEST(SuggestName, OffersTheClosePlausibleCandidate) {
  std::vector<std::string> names = {"count", "network", "service", "task"};
  EXPECT_EQ(suggest_name("cont", names), "count");
  EXPECT_EQ(suggest_name("servce", names), "service");
  EXPECT_EQ(suggest_name("zzzzzz", names), "");
  EXPECT_EQ(suggest_name("tsak", names), "task");  // one swap of adjacent letters
  EXPECT_EQ(suggest_name("tzzk", names), "");      // two edits in four letters is too far
}

TEST(Split, KeepsEmptyFields) {
  EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(trim("  x y\n\t"), "x y");
}

}  // namespace
}  // namespace caravan
