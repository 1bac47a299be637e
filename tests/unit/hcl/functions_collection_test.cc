#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;

Value strings(std::initializer_list<const char*> items) {
  ValueList out;
  for (const char* s : items) out.push_back(str(s));
  return list(std::move(out));
}

TEST(CollectionFunctions, AlltrueAndAnytrue) {
  EXPECT_EQ(run("alltrue", {list({boolean(true), str("true")})}), "true");
  EXPECT_EQ(run("alltrue", {list({boolean(true), boolean(false)})}), "false");
  EXPECT_EQ(run("alltrue", {list({})}), "true");
  EXPECT_EQ(run("anytrue", {list({boolean(false), boolean(true)})}), "true");
  EXPECT_EQ(run("anytrue", {list({})}), "false");
  EXPECT_THAT(run("alltrue", {strings({"x"})}), HasSubstr("element 0: a bool is required"));
}

TEST(CollectionFunctions, ChunklistSplitsIntoFixedSizes) {
  EXPECT_EQ(run("chunklist", {strings({"a", "b", "c", "d", "e"}), num(2)}),
            "[[\"a\", \"b\"], [\"c\", \"d\"], [\"e\"]]");
  EXPECT_THAT(run("chunklist", {strings({"a"}), num(-1)}), HasSubstr("must not be negative"));
}

TEST(CollectionFunctions, CoalesceSkipsNullAndEmptyStrings) {
  EXPECT_EQ(run("coalesce", {str(""), str("b"), str("c")}), "\"b\"");
  EXPECT_EQ(run("coalesce", {null(), num(1)}), "1");
  EXPECT_EQ(run("coalesce", {num(1), str("a")}), "\"1\"");
  EXPECT_EQ(run("coalesce", {null(), str("")}), "error: no non-null, non-empty-string arguments");
  EXPECT_THAT(run("coalesce", {list({num(1)}), str("a")}), HasSubstr("must have the same type"));
}

TEST(CollectionFunctions, CoalescelistReturnsFirstNonEmptyList) {
  EXPECT_EQ(run("coalescelist", {list({}), strings({"a"})}), "[\"a\"]");
  EXPECT_THAT(run("coalescelist", {list({}), list({})}), HasSubstr("no non-null, non-empty"));
}

TEST(CollectionFunctions, CompactConcatContainsDistinct) {
  EXPECT_EQ(run("compact", {list({str("a"), str(""), null(), str("b")})}), "[\"a\", \"b\"]");
  EXPECT_EQ(run("concat", {strings({"a"}), strings({"b", "c"})}), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(run("concat", {strings({"a"}), str("b")}),
            "error: argument 2 must be a list, got string");
  EXPECT_EQ(run("contains", {strings({"a", "b"}), str("b")}), "true");
  EXPECT_EQ(run("contains", {strings({"a"}), str("c")}), "false");
  EXPECT_EQ(run("distinct", {strings({"a", "b", "a", "c", "b"})}), "[\"a\", \"b\", \"c\"]");
}

TEST(CollectionFunctions, ElementWrapsAround) {
  EXPECT_EQ(run("element", {strings({"a", "b", "c"}), num(1)}), "\"b\"");
  EXPECT_EQ(run("element", {strings({"a", "b", "c"}), num(3)}), "\"a\"");
  EXPECT_THAT(run("element", {list({}), num(0)}), HasSubstr("empty list"));
  EXPECT_THAT(run("element", {strings({"a"}), num(-1)}), HasSubstr("must not be negative"));
}

TEST(CollectionFunctions, FlattenAndIndex) {
  EXPECT_EQ(
      run("flatten", {list({strings({"a", "b"}), list({}), list({str("c"), strings({"d"})})})}),
      "[\"a\", \"b\", \"c\", \"d\"]");
  EXPECT_EQ(run("index", {strings({"a", "b", "c"}), str("b")}), "1");
  EXPECT_THAT(run("index", {strings({"a"}), str("z")}), HasSubstr("not found"));
}

TEST(CollectionFunctions, KeysAndValuesInKeyOrder) {
  Value m = obj({{"a", num(1)}, {"c", num(2)}, {"b", num(3)}});
  EXPECT_EQ(run("keys", {m}), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(run("values", {m}), "[1, 3, 2]");
  EXPECT_EQ(run("keys", {str("x")}), "error: argument 1 must be a map, got string");
}

TEST(CollectionFunctions, LengthCountsCodePointsElementsAndKeys) {
  EXPECT_EQ(run("length", {str("h\xc3\xa9llo")}), "5");
  EXPECT_EQ(run("length", {list({num(1), num(2)})}), "2");
  EXPECT_EQ(run("length", {obj({{"a", num(1)}})}), "1");
  EXPECT_EQ(run("length", {null()}), "error: argument 1 must be a string, list or map, got null");
}

TEST(CollectionFunctions, ListAndMapBuildCollections) {
  EXPECT_EQ(run("list", {num(1), str("a")}), "[1, \"a\"]");
  EXPECT_EQ(run("list", {}), "[]");
  EXPECT_EQ(run("map", {str("a"), str("b"), str("c"), num(1)}), "{ a = \"b\", c = 1 }");
  EXPECT_THAT(run("map", {str("a")}), HasSubstr("even number of arguments"));
}

TEST(CollectionFunctions, LookupUsesDefaultWhenKeyMissing) {
  Value m = obj({{"a", str("ay")}});
  EXPECT_EQ(run("lookup", {m, str("a")}), "\"ay\"");
  EXPECT_EQ(run("lookup", {m, str("c"), str("what?")}), "\"what?\"");
  EXPECT_THAT(run("lookup", {m, str("c")}), HasSubstr("the map has no key \"c\""));
}

TEST(CollectionFunctions, MatchkeysMergeOne) {
  EXPECT_EQ(run("matchkeys", {strings({"i-123", "i-abc", "i-def"}),
                              strings({"us-west", "us-east", "us-east"}), strings({"us-east"})}),
            "[\"i-abc\", \"i-def\"]");
  EXPECT_EQ(run("merge",
                {obj({{"a", str("b")}, {"c", str("d")}}), obj({{"e", str("f")}, {"c", str("z")}})}),
            "{ a = \"b\", c = \"z\", e = \"f\" }");
  EXPECT_EQ(run("merge", {null(), obj({{"a", num(1)}})}), "{ a = 1 }");
  EXPECT_EQ(run("merge", {list({})}), "error: argument 1 must be a map, got list");
  EXPECT_EQ(run("one", {list({})}), "null");
  EXPECT_EQ(run("one", {strings({"a"})}), "\"a\"");
  EXPECT_THAT(run("one", {strings({"a", "b"})}), HasSubstr("zero or one elements, got 2"));
}

TEST(CollectionFunctions, RangeCountsUpOrDown) {
  EXPECT_EQ(run("range", {num(3)}), "[0, 1, 2]");
  EXPECT_EQ(run("range", {num(1), num(4)}), "[1, 2, 3]");
  EXPECT_EQ(run("range", {num(1), num(8), num(2)}), "[1, 3, 5, 7]");
  EXPECT_EQ(run("range", {num(4), num(1)}), "[4, 3, 2]");
  EXPECT_EQ(run("range", {num(0), num(1), num(0.25)}), "[0, 0.25, 0.5, 0.75]");
  EXPECT_THAT(run("range", {num(1), num(4), num(-1)}), HasSubstr("must be positive"));
  EXPECT_THAT(run("range", {num(0), num(1), num(0)}), HasSubstr("must not be zero"));
  EXPECT_THAT(run("range", {num(0), num(2000)}), HasSubstr("more than 1024"));
}

TEST(CollectionFunctions, ReverseAndSlice) {
  EXPECT_EQ(run("reverse", {list({num(1), num(2), num(3)})}), "[3, 2, 1]");
  Value l = strings({"a", "b", "c", "d"});
  EXPECT_EQ(run("slice", {l, num(1), num(3)}), "[\"b\", \"c\"]");
  EXPECT_THAT(run("slice", {l, num(2), num(5)}), HasSubstr("must not be greater than the length"));
  EXPECT_THAT(run("slice", {l, num(3), num(1)}), HasSubstr("less than or equal to the end"));
}

TEST(CollectionFunctions, SetFunctionsReturnSortedDistinctElements) {
  EXPECT_EQ(run("setintersection", {strings({"a", "b"}), strings({"b", "c"}), strings({"b"})}),
            "[\"b\"]");
  EXPECT_EQ(
      run("setproduct", {strings({"dev", "prod"}), strings({"app1", "app2"})}),
      "[[\"dev\", \"app1\"], [\"dev\", \"app2\"], [\"prod\", \"app1\"], [\"prod\", \"app2\"]]");
  EXPECT_EQ(run("setproduct", {strings({"a"}), list({})}), "[]");
  EXPECT_EQ(run("setsubtract", {strings({"a", "b", "c"}), strings({"a", "c"})}), "[\"b\"]");
  EXPECT_EQ(run("setunion", {strings({"b", "a"}), strings({"c", "a"})}), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(run("setunion", {strings({"a"}), str("b")}),
            "error: argument 2 must be a list, got string");
}

TEST(CollectionFunctions, SortAndSum) {
  EXPECT_EQ(run("sort", {strings({"e", "d", "a", "x"})}), "[\"a\", \"d\", \"e\", \"x\"]");
  EXPECT_THAT(run("sort", {list({null()})}), HasSubstr("null values cannot be sorted"));
  EXPECT_EQ(run("sum", {list({num(10), num(13), num(6), num(4.5)})}), "33.5");
  EXPECT_EQ(run("sum", {list({})}), "error: cannot sum an empty list");
  EXPECT_THAT(run("sum", {strings({"a"})}), HasSubstr("element 0: a number is required"));
}

TEST(CollectionFunctions, TransposeAndZipmap) {
  EXPECT_EQ(run("transpose", {obj({{"a", strings({"1", "2"})}, {"b", strings({"2", "3"})}})}),
            "{ 1 = [\"a\"], 2 = [\"a\", \"b\"], 3 = [\"b\"] }");
  EXPECT_THAT(run("transpose", {obj({{"a", str("x")}})}), HasSubstr("must be a list of strings"));
  EXPECT_EQ(run("zipmap", {strings({"a", "b"}), list({num(1), num(2)})}), "{ a = 1, b = 2 }");
  EXPECT_THAT(run("zipmap", {strings({"a"}), list({})}), HasSubstr("does not match"));
}

}  // namespace
}  // namespace caravan::hcl::testing
