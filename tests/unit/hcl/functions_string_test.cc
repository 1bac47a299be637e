#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "unit/hcl/function_test_util.h"

namespace caravan::hcl::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(StringFunctions, ChompRemovesTrailingNewlinesOnly) {
  EXPECT_EQ(text("chomp", {str("hello\n\n")}), "hello");
  EXPECT_EQ(text("chomp", {str("hello\r\n")}), "hello");
  EXPECT_EQ(text("chomp", {str("a\nb ")}), "a\nb ");
}

TEST(StringFunctions, FormatHandlesCommonVerbs) {
  EXPECT_EQ(text("format", {str("Hello, %s!"), str("Ander")}), "Hello, Ander!");
  EXPECT_EQ(text("format", {str("There are %d lights"), num(4)}), "There are 4 lights");
  EXPECT_EQ(text("format", {str("%5.2f|%-5d|%05d"), num(3.14159), num(42), num(42)}),
            " 3.14|42   |00042");
  EXPECT_EQ(text("format", {str("%x %X %o %b %#x"), num(255), num(255), num(8), num(5), num(255)}),
            "ff FF 10 101 0xff");
  EXPECT_EQ(text("format", {str("%e"), num(1234.5678)}), "1.234568e+03");
  EXPECT_EQ(text("format", {str("%g %g %g"), num(1000000), num(123456), num(1.5)}),
            "1e+06 123456 1.5");
  EXPECT_EQ(text("format", {str("%t %%"), boolean(true)}), "true %");
  EXPECT_EQ(text("format", {str("%s %s"), num(1.5), boolean(false)}), "1.5 false");
  EXPECT_EQ(text("format", {str("%+d % d"), num(5), num(5)}), "+5  5");
}

TEST(StringFunctions, FormatQuotesAndRendersCollections) {
  EXPECT_EQ(text("format", {str("%q"), str("a\"b\n")}), "\"a\\\"b\\n\"");
  EXPECT_EQ(text("format", {str("%v"), list({num(1), str("a")})}), "[1,\"a\"]");
  EXPECT_EQ(text("format", {str("%#v %v"), str("a"), null()}), "\"a\" null");
  EXPECT_EQ(text("format", {str("%.3s|%6s|%-6s|"), str("abcdef"), str("ab"), str("ab")}),
            "abc|    ab|ab    |");
}

TEST(StringFunctions, FormatSupportsExplicitArgumentIndexes) {
  EXPECT_EQ(text("format", {str("%[2]s %[1]s %s"), str("a"), str("b")}), "b a b");
}

TEST(StringFunctions, FormatReportsBadVerbsAndArgumentCounts) {
  EXPECT_EQ(text("format", {str("%d"), num(1.5)}),
            "error: invalid value for \"%d\" at offset 0: a whole number is required, got 1.5");
  EXPECT_THAT(text("format", {str("%s %s"), str("a")}),
              HasSubstr("not enough arguments for \"%s\" at offset 3"));
  EXPECT_EQ(text("format", {str("%s"), str("a"), str("b")}),
            "error: too many arguments; only 1 used by format string");
  EXPECT_THAT(text("format", {str("%z"), num(1)}), HasSubstr("unsupported format verb %z"));
  EXPECT_THAT(text("format", {str("100%")}), HasSubstr("incomplete verb at offset 3"));
  EXPECT_THAT(text("format", {str("%s"), list({})}), HasSubstr("a string is required, got list"));
}

TEST(StringFunctions, FormatlistIteratesListsAndRepeatsScalars) {
  EXPECT_EQ(run("formatlist", {str("%s=%d"), list({str("a"), str("b")}), list({num(1), num(2)})}),
            "[\"a=1\", \"b=2\"]");
  EXPECT_EQ(run("formatlist", {str("%s-%s"), str("p"), list({str("a"), str("b")})}),
            "[\"p-a\", \"p-b\"]");
  EXPECT_THAT(run("formatlist", {str("%s%s"), list({str("a")}), list({str("b"), str("c")})}),
              HasSubstr("all lists must have the same length"));
}

TEST(StringFunctions, IndentPadsAllButTheFirstLine) {
  EXPECT_EQ(text("indent", {num(2), str("a\nb\n")}), "a\n  b\n  ");
  EXPECT_THAT(text("indent", {num(-1), str("a")}), HasSubstr("argument 1 must not be negative"));
  EXPECT_THAT(text("indent", {num(1e12), str("a")}), HasSubstr("argument 1 must be at most"));
}

TEST(StringFunctions, JoinConcatenatesListsWithSeparator) {
  EXPECT_EQ(text("join", {str(", "), list({str("a"), str("b")}), list({str("c")})}), "a, b, c");
  EXPECT_EQ(text("join", {str(","), list({num(1), boolean(true)})}), "1,true");
  EXPECT_EQ(text("join", {str(","), str("x")}), "error: argument 2 must be a list, got string");
  EXPECT_THAT(text("join", {str(","), list({null()})}), HasSubstr("element 0 is null"));
}

TEST(StringFunctions, CaseFunctionsHandleUnicode) {
  EXPECT_EQ(text("lower", {str("HELLO Ünïcode ΣΑΣ")}), "hello ünïcode σασ");
  EXPECT_EQ(text("upper", {str("hello ä ж")}), "HELLO Ä Ж");
  EXPECT_EQ(text("title", {str("hello world-foo_bar ärger")}), "Hello World-Foo_bar Ärger");
  EXPECT_EQ(text("upper", {num(5)}), "5");
}

TEST(StringFunctions, SplitFollowsGoSemantics) {
  EXPECT_EQ(run("split", {str(","), str("foo,bar,baz")}), "[\"foo\", \"bar\", \"baz\"]");
  EXPECT_EQ(run("split", {str(","), str("")}), "[\"\"]");
  EXPECT_EQ(run("split", {str(""), str("añb")}), "[\"a\", \"ñ\", \"b\"]");
}

TEST(StringFunctions, StrrevKeepsCombiningMarksWithTheirLetter) {
  EXPECT_EQ(text("strrev", {str("hello")}), "olleh");
  EXPECT_EQ(text("strrev", {str("cafe\xcc\x81!")}),
            "!e\xcc\x81"
            "fac");
}

TEST(StringFunctions, SubstrCountsCharactersNotBytes) {
  EXPECT_EQ(text("substr", {str("hello world"), num(1), num(4)}), "ello");
  EXPECT_EQ(text("substr", {str("🤔🤷"), num(0), num(1)}), "🤔");
  EXPECT_EQ(text("substr", {str("hello world"), num(-5), num(-1)}), "world");
  EXPECT_EQ(text("substr", {str("hello"), num(10), num(2)}), "");
  EXPECT_EQ(text("substr", {str("hello"), num(1.5), num(1)}),
            "error: argument 2 must be a whole number, got 1.5");
}

TEST(StringFunctions, TrimFamilyRemovesCharactersAtTheEnds) {
  EXPECT_EQ(text("trim", {str("?!hello?!"), str("!?")}), "hello");
  EXPECT_EQ(text("trimprefix", {str("helloworld"), str("hello")}), "world");
  EXPECT_EQ(text("trimprefix", {str("helloworld"), str("world")}), "helloworld");
  EXPECT_EQ(text("trimsuffix", {str("helloworld"), str("world")}), "hello");
  EXPECT_EQ(text("trimspace", {str("  hello\n\t\xc2\xa0")}), "hello");
}

TEST(StringFunctions, PrefixSuffixAndContainsTests) {
  EXPECT_EQ(run("startswith", {str("hello world"), str("hello")}), "true");
  EXPECT_EQ(run("endswith", {str("hello world"), str("hello")}), "false");
  EXPECT_EQ(run("strcontains", {str("hello world"), str("lo w")}), "true");
  EXPECT_EQ(run("startswith", {null(), str("x")}), "error: argument 1 must be a string, got null");
}

TEST(RegexFunctions, RegexReturnsMatchListOrObject) {
  EXPECT_EQ(text("regex", {str("[a-z]+"), str("53453453.345345aaabbbccc23454")}), "aaabbbccc");
  EXPECT_EQ(run("regex", {str("(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)"), str("2019-02-01")}),
            "[\"2019\", \"02\", \"01\"]");
  EXPECT_EQ(run("regex", {str("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                          str("https://terraform.io/docs/")}),
            "{ authority = \"terraform.io\", scheme = \"https\" }");
  EXPECT_EQ(run("regex", {str("(a)|(b)"), str("b")}), "[null, \"b\"]");
}

TEST(RegexFunctions, RegexReportsNoMatchAndBadPatterns) {
  EXPECT_EQ(text("regex", {str("x"), str("abc")}),
            "error: pattern did not match any part of the given string");
  EXPECT_THAT(text("regex", {str("("), str("a")}),
              StartsWith("error: invalid regular expression pattern: missing )"));
  EXPECT_THAT(text("regex", {str("(?P<a>x)(y)"), str("xy")}),
              HasSubstr("named and unnamed capture groups cannot be mixed"));
}

TEST(RegexFunctions, RegexallFindsEveryMatch) {
  EXPECT_EQ(run("regexall", {str("[a-z]+"), str("1234abcd5678efgh9")}), "[\"abcd\", \"efgh\"]");
  EXPECT_EQ(run("regexall", {str("(\\w)=(\\d)"), str("a=1,b=2")}),
            "[[\"a\", \"1\"], [\"b\", \"2\"]]");
  EXPECT_EQ(run("regexall", {str("x"), str("abc")}), "[]");
  EXPECT_EQ(run("regexall", {str("x*"), str("abc")}), "[\"\", \"\", \"\", \"\"]");
  EXPECT_EQ(run("regexall", {str("a*"), str("baaac")}), "[\"\", \"aaa\", \"\"]");
}

TEST(RegexFunctions, RegexReplaceExpandsGoTemplates) {
  EXPECT_EQ(text("regex_replace", {str("hello world"), str("w.*d"), str("everybody")}),
            "hello everybody");
  EXPECT_EQ(text("regex_replace", {str("-ab-axxb-"), str("a(x*)b"), str("$1W")}), "---");
  EXPECT_EQ(text("regex_replace", {str("-ab-axxb-"), str("a(x*)b"), str("${1}W")}), "-W-xxW-");
  EXPECT_EQ(
      text("regex_replace", {str("k=v"), str("(?P<key>\\w)=(?P<val>\\w)"), str("$val=$key $$")}),
      "v=k $");
  EXPECT_EQ(text("regex_replace", {str("abc"), str("x*"), str("-")}), "-a-b-c-");
}

TEST(RegexFunctions, ReplaceHandlesPlainAndSlashDelimitedPatterns) {
  EXPECT_EQ(text("replace", {str("1 + 2 + 3"), str("+"), str("-")}), "1 - 2 - 3");
  EXPECT_EQ(text("replace", {str("hello world"), str("/w.*d/"), str("everybody")}),
            "hello everybody");
  EXPECT_EQ(text("replace", {str("a.b"), str("/(\\w)\\.(\\w)/"), str("$2.$1")}), "b.a");
  EXPECT_EQ(text("replace", {str("abc"), str(""), str("-")}), "-a-b-c-");
  EXPECT_EQ(text("replace", {str("a/b"), str("/"), str("|")}), "a|b");
}

}  // namespace
}  // namespace caravan::hcl::testing
