// One call per standard function, kept in a table, and a check that every
// registered function appears in it: adding a function without a test fails.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

struct Case {
  const char* name;
  ValueList args;
  // run()'s output; a leading "re:" makes the rest a regular expression.
  std::string expected;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      // strings
      {"chomp", {str("x\n")}, "\"x\""},
      {"endswith", {str("abc"), str("c")}, "true"},
      {"format", {str("%s-%03d"), str("web"), num(7)}, "\"web-007\""},
      {"formatlist", {str("%s!"), list({str("a")})}, "[\"a!\"]"},
      {"indent", {num(1), str("a\nb")}, "\"a\\n b\""},
      {"join", {str("-"), list({str("a"), str("b")})}, "\"a-b\""},
      {"lower", {str("AB")}, "\"ab\""},
      {"regex", {str("[0-9]+"), str("ab12")}, "\"12\""},
      {"regex_replace", {str("a1"), str("[0-9]"), str("#")}, "\"a#\""},
      {"regexall", {str("[0-9]"), str("a1b2")}, "[\"1\", \"2\"]"},
      {"replace", {str("a-b"), str("-"), str("+")}, "\"a+b\""},
      {"split", {str("-"), str("a-b")}, "[\"a\", \"b\"]"},
      {"startswith", {str("abc"), str("a")}, "true"},
      {"strcontains", {str("abc"), str("d")}, "false"},
      {"strrev", {str("ab")}, "\"ba\""},
      {"substr", {str("abc"), num(1), num(1)}, "\"b\""},
      {"title", {str("ab cd")}, "\"Ab Cd\""},
      {"trim", {str("xax"), str("x")}, "\"a\""},
      {"trimprefix", {str("xa"), str("x")}, "\"a\""},
      {"trimspace", {str(" a ")}, "\"a\""},
      {"trimsuffix", {str("ax"), str("x")}, "\"a\""},
      {"upper", {str("ab")}, "\"AB\""},
      // collections
      {"alltrue", {list({boolean(true)})}, "true"},
      {"anytrue", {list({boolean(false)})}, "false"},
      {"chunklist", {list({num(1), num(2)}), num(1)}, "[[1], [2]]"},
      {"coalesce", {null(), str("a")}, "\"a\""},
      {"coalescelist", {list({}), list({num(1)})}, "[1]"},
      {"compact", {list({str(""), str("a")})}, "[\"a\"]"},
      {"concat", {list({num(1)}), list({num(2)})}, "[1, 2]"},
      {"contains", {list({num(1)}), num(1)}, "true"},
      {"distinct", {list({num(1), num(1)})}, "[1]"},
      {"element", {list({num(1), num(2)}), num(3)}, "2"},
      {"flatten", {list({list({num(1)}), num(2)})}, "[1, 2]"},
      {"index", {list({str("a"), str("b")}), str("b")}, "1"},
      {"keys", {obj({{"b", num(1)}, {"a", num(2)}})}, "[\"a\", \"b\"]"},
      {"length", {list({num(1)})}, "1"},
      {"list", {num(1)}, "[1]"},
      {"lookup", {obj({{"a", num(1)}}), str("b"), num(0)}, "0"},
      {"map", {str("a"), num(1)}, "{ a = 1 }"},
      {"matchkeys", {list({num(1), num(2)}), list({str("x"), str("y")}), list({str("y")})}, "[2]"},
      {"merge", {obj({{"a", num(1)}}), obj({{"a", num(2)}})}, "{ a = 2 }"},
      {"one", {list({num(1)})}, "1"},
      {"range", {num(2)}, "[0, 1]"},
      {"reverse", {list({num(1), num(2)})}, "[2, 1]"},
      {"setintersection", {list({num(1), num(2)}), list({num(2)})}, "[2]"},
      {"setproduct", {list({num(1)}), list({num(2)})}, "[[1, 2]]"},
      {"setsubtract", {list({num(1), num(2)}), list({num(2)})}, "[1]"},
      {"setunion", {list({num(2)}), list({num(1)})}, "[1, 2]"},
      {"slice", {list({num(1), num(2)}), num(0), num(1)}, "[1]"},
      {"sort", {list({str("b"), str("a")})}, "[\"a\", \"b\"]"},
      {"sum", {list({num(1), num(2)})}, "3"},
      {"transpose", {obj({{"a", list({str("x")})}})}, "{ x = [\"a\"] }"},
      {"values", {obj({{"a", num(1)}})}, "[1]"},
      {"zipmap", {list({str("a")}), list({num(1)})}, "{ a = 1 }"},
      // conversion
      {"tobool", {str("true")}, "true"},
      {"tolist", {list({num(1)})}, "[1]"},
      {"tomap", {obj({{"a", num(1)}})}, "{ a = 1 }"},
      {"tonumber", {str("1")}, "1"},
      {"toset", {list({num(1), num(1)})}, "[1]"},
      {"tostring", {num(1)}, "\"1\""},
      // numeric
      {"abs", {num(-1)}, "1"},
      {"ceil", {num(1.2)}, "2"},
      {"floor", {num(1.8)}, "1"},
      {"log", {num(8), num(2)}, "3"},
      {"max", {num(1), num(2)}, "2"},
      {"min", {num(1), num(2)}, "1"},
      {"parseint", {str("ff"), num(16)}, "255"},
      {"pow", {num(2), num(3)}, "8"},
      {"signum", {num(-2)}, "-1"},
      // encoding
      {"base64decode", {str("YQ==")}, "\"a\""},
      {"base64encode", {str("a")}, "\"YQ==\""},
      {"base64gzip", {str("")}, "\"H4sIAAAAAAAA/wEAAP//AAAAAAAAAAA=\""},
      {"csvdecode", {str("a\n1")}, "[{ a = \"1\" }]"},
      {"jsondecode", {str("[1]")}, "[1]"},
      {"jsonencode", {list({num(1)})}, "\"[1]\""},
      {"textdecodebase64", {str("YQ=="), str("UTF-8")}, "\"a\""},
      {"textencodebase64", {str("a"), str("UTF-8")}, "\"YQ==\""},
      {"urlencode", {str("a b")}, "\"a+b\""},
      // crypto and ids
      {"base64sha256", {str("")}, "\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\""},
      {"base64sha512",
       {str("")},
       "\"z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/"
       "SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\""},
      {"md5", {str("")}, "\"d41d8cd98f00b204e9800998ecf8427e\""},
      {"sha1", {str("")}, "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\""},
      {"sha256", {str("")}, "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\""},
      {"sha512",
       {str("")},
       "\"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d28"
       "77e"
       "ec2f63b931bd47417a81a538327af927da3e\""},
      {"uuidv4", {}, "re:\"[0-9a-f-]{36}\""},
      {"uuidv5", {str("dns"), str("www.terraform.io")}, "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\""},
      // files
      {"abspath", {str("/x/./y")}, "\"/x/y\""},
      {"basename", {str("a/b")}, "\"b\""},
      {"dirname", {str("a/b")}, "\"a\""},
      {"file", {str("sub/a.txt")}, "\"a\\n\""},
      {"filebase64", {str("sub/a.txt")}, "\"YQo=\""},
      {"filebase64sha256", {str("sub/a.txt")}, "\"h0KPxSKAPTEGXnvOPPA/5HUJZjHl4Hu9eg/eYMTPJcc=\""},
      {"filebase64sha512",
       {str("sub/a.txt")},
       "\"FisLMvAkgtWsoKfJPdA86sOs1+QQpfGPP7mQ/"
       "JWK4N9vMiM7kYMer5nKWBqMTd+ci6MVrEgtttTqAcx4hKY1vg==\""},
      {"fileexists", {str("sub/a.txt")}, "true"},
      {"filemd5", {str("sub/a.txt")}, "\"60b725f10c9c85c70d97880dfe8191b3\""},
      {"fileset", {str("sub"), str("*.conf")}, "[\"b.conf\"]"},
      {"filesha1", {str("sub/a.txt")}, "\"3f786850e387550fdab836ed7e6dc881de23001b\""},
      {"filesha256",
       {str("sub/a.txt")},
       "\"87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7\""},
      {"filesha512",
       {str("sub/a.txt")},
       "\"162b0b32f02482d5aca0a7c93dd03ceac3acd7e410a5f18f3fb990fc958ae0df6f32233b91831eaf99ca581a8"
       "c4dd"
       "f9c8ba315ac482db6d4ea01cc7884a635be\""},
      {"pathexpand", {str("/a")}, "\"/a\""},
      // date and time
      {"formatdate", {str("YYYY"), str("2020-05-06T07:08:09Z")}, "\"2020\""},
      {"timeadd", {str("2020-01-01T00:00:00Z"), str("1h")}, "\"2020-01-01T01:00:00Z\""},
      {"timecmp", {str("2020-01-01T00:00:00Z"), str("2020-01-01T00:00:00Z")}, "0"},
      {"timestamp", {}, "re:\"[0-9T:-]+Z\""},
      // network
      {"cidrhost", {str("10.0.0.0/8"), num(1)}, "\"10.0.0.1\""},
      {"cidrnetmask", {str("10.0.0.0/8")}, "\"255.0.0.0\""},
      {"cidrsubnet", {str("10.0.0.0/8"), num(8), num(1)}, "\"10.1.0.0/16\""},
      {"cidrsubnets", {str("10.0.0.0/8"), num(8)}, "[\"10.0.0.0/16\"]"},
  };
  return kCases;
}

TEST(FunctionCoverage, EveryRegisteredFunctionHasATableCase) {
  std::set<std::string> covered;
  for (const Case& c : cases()) covered.insert(c.name);
  for (const std::string& name : function_table().names()) {
    EXPECT_TRUE(covered.count(name) == 1)
        << "function \"" << name << "\" has no case in functions_coverage_test.cc";
  }
}

TEST(FunctionCoverage, EveryTableCaseNamesARegisteredFunction) {
  for (const Case& c : cases()) {
    EXPECT_NE(function_table().find(c.name), nullptr) << c.name << " is not registered";
  }
}

TEST(FunctionCoverage, EveryTableCaseGivesTheExpectedResult) {
  for (const Case& c : cases()) {
    std::string got = run(c.name, c.args);
    if (c.expected.rfind("re:", 0) == 0) {
      EXPECT_THAT(got, ::testing::MatchesRegex(c.expected.substr(3))) << c.name;
    } else {
      EXPECT_EQ(got, c.expected) << c.name;
    }
  }
}

TEST(FunctionCoverage, ArityLimitsAreConsistent) {
  for (const std::string& name : function_table().names()) {
    const FunctionSpec* spec = function_table().find(name);
    ASSERT_NE(spec, nullptr);
    EXPECT_GE(spec->min_args, 0) << name;
    EXPECT_TRUE(spec->max_args == -1 || spec->max_args >= spec->min_args) << name;
    EXPECT_TRUE(static_cast<bool>(spec->impl)) << name;
  }
}

}  // namespace
}  // namespace caravan::hcl::testing
