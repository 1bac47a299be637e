// RawJson: canonical text for free-form values, its builders and readers.
#include "model/raw_json.h"

#include <gtest/gtest.h>

namespace caravan::model {
namespace {

TEST(RawJson, ParseSortsKeysAndDropsWhitespace) {
  Result<RawJson> raw = RawJson::parse(R"({ "command": "sh",
      "args": ["-c", "x"] })");
  ASSERT_TRUE(raw.has_value()) << raw.error().to_string();
  EXPECT_EQ(raw->text(), R"({"args":["-c","x"],"command":"sh"})");
}

TEST(RawJson, DifferentSpellingsOfOneValueAreEqual) {
  Result<RawJson> a = RawJson::parse(R"({"b": 1.0, "a": [true, -0.0], "c": {"y": 2, "x": 1e2}})");
  Result<RawJson> b = RawJson::parse(R"({"a":[true,0],"b":1,"c":{"x":100,"y":2}})");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->text(), R"({"a":[true,0],"b":1,"c":{"x":100,"y":2}})");
}

TEST(RawJson, KeepsFractionsAndUnicode) {
  Result<RawJson> raw = RawJson::parse(R"({"ratio": 0.25, "name": "caf\u00e9"})");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->text(), "{\"name\":\"caf\xC3\xA9\",\"ratio\":0.25}");
}

TEST(RawJson, NullIsAbsent) {
  Result<RawJson> raw = RawJson::parse(" null ");
  ASSERT_TRUE(raw.has_value());
  EXPECT_FALSE(raw->has_value());
  EXPECT_EQ(*raw, RawJson());
  EXPECT_EQ(raw->text(), "");
}

TEST(RawJson, ParseErrorHasPosition) {
  Result<RawJson> raw = RawJson::parse("{\"a\": }");
  ASSERT_FALSE(raw.has_value());
  EXPECT_TRUE(raw.error().message().starts_with("invalid JSON: ")) << raw.error().message();
  ASSERT_TRUE(raw.error().where().has_value());
  EXPECT_EQ(raw.error().where()->start.column, 7);
}

TEST(RawJson, BuildersProduceCanonicalText) {
  RawJson built = RawJson::object({
      {"command", RawJson::string("sh")},
      {"args", RawJson::array({RawJson::string("-c"), RawJson::string("echo \"hi\"")})},
      {"count", RawJson::number(3.0)},
      {"ratio", RawJson::number(0.5)},
      {"big", RawJson::integer(-7)},
      {"on", RawJson::boolean(true)},
      {"none", RawJson()},
  });
  EXPECT_EQ(built.text(),
            R"({"args":["-c","echo \"hi\""],"big":-7,"command":"sh","count":3,"none":null,)"
            R"("on":true,"ratio":0.5})");
  Result<RawJson> parsed = RawJson::parse(built.text());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, built);
}

TEST(RawJson, ReadersReturnValuesOfTheRightType) {
  Result<RawJson> raw =
      RawJson::parse(R"({"args": ["-c", "x"], "n": 2, "f": 2.5, "on": false, "mixed": [1, "a"]})");
  ASSERT_TRUE(raw.has_value());
  EXPECT_TRUE(raw->is_object());
  EXPECT_EQ(raw->get("args").as_string_list(), (std::vector<std::string>{"-c", "x"}));
  EXPECT_EQ(raw->get("n").as_integer(), 2);
  EXPECT_EQ(raw->get("f").as_number(), 2.5);
  EXPECT_EQ(raw->get("f").as_integer(), std::nullopt);
  EXPECT_EQ(raw->get("on").as_bool(), false);
  EXPECT_EQ(raw->get("mixed").as_string_list(), std::nullopt);
  EXPECT_FALSE(raw->get("missing").has_value());
  EXPECT_EQ(raw->get("n").as_string(), std::nullopt);
  EXPECT_EQ(RawJson().get("x"), RawJson());

  auto members = raw->as_object();
  ASSERT_TRUE(members.has_value());
  EXPECT_EQ(members->size(), 5u);
  EXPECT_EQ(members->at("n"), RawJson::integer(2));
  auto items = raw->get("mixed").as_array();
  ASSERT_TRUE(items.has_value());
  EXPECT_EQ(*items, (std::vector<RawJson>{RawJson::integer(1), RawJson::string("a")}));
}

}  // namespace
}  // namespace caravan::model
