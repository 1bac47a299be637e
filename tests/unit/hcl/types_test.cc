#include "hcl/types.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caravan::hcl {
namespace {

using ::testing::HasSubstr;

ExprPtr var(const std::string& name) { return make_expr(VariableExpr{name}, SourceRange{}); }

ExprPtr lit(Value v) { return make_expr(LiteralExpr{std::move(v)}, SourceRange{}); }

ExprPtr call(const std::string& name, std::vector<ExprPtr> args) {
  FunctionCallExpr c;
  c.name = name;
  c.args = std::move(args);
  return make_expr(std::move(c), SourceRange{});
}

ExprPtr call1(const std::string& name, ExprPtr arg) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(arg));
  return call(name, std::move(args));
}

ExprPtr call2(const std::string& name, ExprPtr a, ExprPtr b) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(a));
  args.push_back(std::move(b));
  return call(name, std::move(args));
}

ExprPtr tuple(std::vector<ExprPtr> items) {
  return make_expr(TupleExpr{std::move(items)}, SourceRange{});
}

ExprPtr object(std::vector<std::pair<std::string, ExprPtr>> attrs) {
  ObjectExpr o;
  for (auto& [name, value] : attrs) o.items.push_back({lit(Value::string(name)), std::move(value)});
  return make_expr(std::move(o), SourceRange{});
}

TypeConstraint parse_ok(const Expression& expr) {
  Diagnostics diags;
  auto t = parse_type_constraint(expr, diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format();
  EXPECT_TRUE(t.has_value());
  return t.value_or(TypeConstraint{});
}

std::string parse_error(const Expression& expr) {
  Diagnostics diags;
  auto t = parse_type_constraint(expr, diags);
  EXPECT_FALSE(t.has_value());
  if (diags.empty()) return "(no diagnostics)";
  return diags.items()[0].summary + "; " + diags.items()[0].detail;
}

// A port-mapping object type: object({ name = string, port = optional(number, 80) }).
TypeConstraint service_type() {
  std::vector<std::pair<std::string, ExprPtr>> attrs;
  attrs.emplace_back("name", var("string"));
  attrs.emplace_back("port", call2("optional", var("number"), lit(Value::number(80))));
  return parse_ok(*call1("object", object(std::move(attrs))));
}

TEST(ParseTypeConstraint, ReadsPrimitiveKeywords) {
  EXPECT_EQ(parse_ok(*var("string")).kind, TypeConstraint::Kind::kString);
  EXPECT_EQ(parse_ok(*var("number")).kind, TypeConstraint::Kind::kNumber);
  EXPECT_EQ(parse_ok(*var("bool")).kind, TypeConstraint::Kind::kBool);
  EXPECT_EQ(parse_ok(*var("any")).kind, TypeConstraint::Kind::kAny);
}

TEST(ParseTypeConstraint, ReadsCollectionConstructors) {
  EXPECT_EQ(parse_ok(*call1("list", var("string"))).to_string(), "list(string)");
  EXPECT_EQ(parse_ok(*call1("set", var("bool"))).to_string(), "set(bool)");
  EXPECT_EQ(parse_ok(*call1("map", call1("list", var("number")))).to_string(), "map(list(number))");
  std::vector<ExprPtr> items;
  items.push_back(var("string"));
  items.push_back(var("number"));
  EXPECT_EQ(parse_ok(*call1("tuple", tuple(std::move(items)))).to_string(),
            "tuple([string,number])");
}

TEST(ParseTypeConstraint, ReadsObjectsWithOptionalAttributes) {
  TypeConstraint t = service_type();
  EXPECT_EQ(t.to_string(), "object({name=string,port=optional(number)})");
  ASSERT_EQ(t.attributes.count("port"), 1u);
  EXPECT_TRUE(t.attributes.at("port").optional);
  EXPECT_EQ(t.attributes.at("port").default_value, Value::number(80));
  EXPECT_FALSE(t.attributes.at("name").optional);
}

TEST(ParseTypeConstraint, SuggestsKeywordForTypos) {
  EXPECT_EQ(parse_error(*var("strin")),
            "Invalid type specification; The keyword \"strin\" is not a valid type. Did you mean "
            "\"string\"?");
  EXPECT_EQ(parse_error(*call1("lst", var("string"))),
            "Invalid type specification; Keyword \"lst\" is not a valid type constructor. Did you "
            "mean \"list\"?");
}

TEST(ParseTypeConstraint, RejectsMalformedSpecifications) {
  EXPECT_THAT(parse_error(*var("list")), HasSubstr("requires one argument"));
  EXPECT_THAT(parse_error(*call("map", {})), HasSubstr("requires one argument"));
  EXPECT_THAT(parse_error(*lit(Value::string("string"))),
              HasSubstr("either a primitive type keyword"));
  EXPECT_THAT(parse_error(*call1("tuple", var("string"))), HasSubstr("tuple([string, number])"));
  EXPECT_THAT(parse_error(*call1("optional", var("string"))),
              HasSubstr("allowed only for the attribute types of an object"));
}

TEST(ParseTypeConstraint, RejectsBadOptionalDefaults) {
  std::vector<std::pair<std::string, ExprPtr>> not_constant;
  not_constant.emplace_back("port", call2("optional", var("number"), var("var")));
  EXPECT_THAT(parse_error(*call1("object", object(std::move(not_constant)))),
              HasSubstr("must be a constant"));
  std::vector<std::pair<std::string, ExprPtr>> wrong_type;
  wrong_type.emplace_back("port", call2("optional", var("number"), lit(Value::string("abc"))));
  EXPECT_THAT(parse_error(*call1("object", object(std::move(wrong_type)))),
              HasSubstr("does not match the attribute type number: a number is required"));
}

TEST(ConvertToType, ConvertsPrimitives) {
  EXPECT_EQ(convert_to_type(Value::string("8080"), parse_ok(*var("number"))).value(),
            Value::number(8080));
  EXPECT_EQ(convert_to_type(Value::number(1), parse_ok(*var("string"))).value(),
            Value::string("1"));
  EXPECT_EQ(convert_to_type(Value::string("yes"), parse_ok(*var("bool"))).error().message(),
            "a bool is required, got string \"yes\"");
  EXPECT_TRUE(convert_to_type(Value::null(), parse_ok(*var("number"))).value().is_null());
}

TEST(ConvertToType, ConvertsListElementsAndNamesTheFailingOne) {
  TypeConstraint t = parse_ok(*call1("list", var("number")));
  EXPECT_EQ(convert_to_type(Value::list({Value::string("1"), Value::number(2)}), t).value(),
            Value::list({Value::number(1), Value::number(2)}));
  EXPECT_EQ(
      convert_to_type(Value::list({Value::number(1), Value::number(2), Value::string("x")}), t)
          .error()
          .message(),
      "element 2: a number is required, got string \"x\"");
  EXPECT_EQ(convert_to_type(Value::string("x"), t).error().message(),
            "a list is required, got string");
}

TEST(ConvertToType, SetsAreDeduplicatedAndSorted) {
  TypeConstraint t = parse_ok(*call1("set", var("string")));
  EXPECT_EQ(to_display_string(
                convert_to_type(
                    Value::list({Value::string("b"), Value::string("a"), Value::string("b")}), t)
                    .value()),
            "[\"a\", \"b\"]");
}

TEST(ConvertToType, MapsConvertEveryValue) {
  TypeConstraint t = parse_ok(*call1("map", var("string")));
  Value v = Value::object({{"a", Value::number(1)}, {"b", Value::boolean(true)}});
  EXPECT_EQ(to_display_string(convert_to_type(v, t).value()), "{ a = \"1\", b = \"true\" }");
  EXPECT_EQ(convert_to_type(Value::object({{"a", Value::list({})}}), t).error().message(),
            "element \"a\": a string is required, got list");
}

TEST(ConvertToType, ObjectsRequireAttributesAndApplyDefaults) {
  TypeConstraint t = service_type();
  EXPECT_EQ(to_display_string(
                convert_to_type(
                    Value::object({{"name", Value::string("web")}, {"extra", Value::number(1)}}), t)
                    .value()),
            "{ name = \"web\", port = 80 }");
  EXPECT_EQ(to_display_string(convert_to_type(Value::object({{"name", Value::string("web")},
                                                             {"port", Value::string("8080")}}),
                                              t)
                                  .value()),
            "{ name = \"web\", port = 8080 }");
  EXPECT_EQ(convert_to_type(Value::object({{"port", Value::number(1)}}), t).error().message(),
            "attribute \"name\" is required");
  EXPECT_EQ(convert_to_type(
                Value::object({{"name", Value::string("web")}, {"port", Value::string("http")}}), t)
                .error()
                .message(),
            "attribute \"port\": a number is required, got string \"http\"");
}

TEST(ConvertToType, TuplesCheckLengthAndElementTypes) {
  std::vector<ExprPtr> items;
  items.push_back(var("string"));
  items.push_back(var("number"));
  TypeConstraint t = parse_ok(*call1("tuple", tuple(std::move(items))));
  EXPECT_EQ(convert_to_type(Value::list({Value::number(1), Value::string("2")}), t).value(),
            Value::list({Value::string("1"), Value::number(2)}));
  EXPECT_EQ(convert_to_type(Value::list({Value::number(1)}), t).error().message(),
            "a tuple of 2 elements is required, got 1 elements");
}

TEST(ConvertToType, AnyKeepsValuesButUnifiesListElements) {
  Value mixed = Value::list({Value::string("a"), Value::number(1)});
  EXPECT_EQ(convert_to_type(mixed, parse_ok(*var("any"))).value(), mixed);
  EXPECT_EQ(to_display_string(convert_to_type(mixed, parse_ok(*call1("list", var("any")))).value()),
            "[\"a\", \"1\"]");
}

}  // namespace
}  // namespace caravan::hcl
