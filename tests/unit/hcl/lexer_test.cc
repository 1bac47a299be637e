#include "hcl/lexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace caravan::hcl {
namespace {

using ::testing::ElementsAre;

using K = TokenKind;

std::vector<TokenKind> kinds(std::string_view src) {
  std::vector<TokenKind> out;
  for (const Token& t : lex(src)) out.push_back(t.kind);
  return out;
}

std::vector<std::string> texts(std::string_view src) {
  std::vector<std::string> out;
  for (const Token& t : lex(src)) out.emplace_back(t.text);
  return out;
}

TEST(Lexer, ScansAttributeWithNewlineAndEof) {
  EXPECT_THAT(kinds("count = 3\n"),
              ElementsAre(K::kIdent, K::kAssign, K::kNumber, K::kNewline, K::kEof));
  EXPECT_THAT(texts("count = 3\n"), ElementsAre("count", "=", "3", "\n", ""));
}

TEST(Lexer, ScansEveryPunctuationAndOperator) {
  EXPECT_THAT(kinds("{ } [ ] ( ) , . ... : ? = => + - * / % ! && || == != < <= > >="),
              ElementsAre(K::kLBrace, K::kRBrace, K::kLBrack, K::kRBrack, K::kLParen, K::kRParen,
                          K::kComma, K::kDot, K::kEllipsis, K::kColon, K::kQuestion, K::kAssign,
                          K::kFatArrow, K::kPlus, K::kMinus, K::kStar, K::kSlash, K::kPercent,
                          K::kBang, K::kAnd, K::kOr, K::kEqualOp, K::kNotEqual, K::kLess,
                          K::kLessEqual, K::kGreater, K::kGreaterEqual, K::kEof));
}

TEST(Lexer, IdentifiersMayContainDashesAndUnicode) {
  EXPECT_THAT(texts("ip-address _x1 héllo"), ElementsAre("ip-address", "_x1", "héllo", ""));
  EXPECT_THAT(kinds("ip-address"), ElementsAre(K::kIdent, K::kEof));
}

TEST(Lexer, ScansNumbersWithFractionAndExponent) {
  EXPECT_THAT(texts("1 1.5 2e10 3E-2 4.25e+1"),
              ElementsAre("1", "1.5", "2e10", "3E-2", "4.25e+1", ""));
  // `1.` is a number then a dot; `1e` a number then an identifier.
  EXPECT_THAT(kinds("a.0.1"), ElementsAre(K::kIdent, K::kDot, K::kNumber, K::kEof));
  EXPECT_THAT(kinds("1e"), ElementsAre(K::kNumber, K::kIdent, K::kEof));
}

TEST(Lexer, ScansAllCommentForms) {
  EXPECT_THAT(kinds("# a\n// b\n/* c\n d */ x"),
              ElementsAre(K::kComment, K::kNewline, K::kComment, K::kNewline, K::kComment,
                          K::kIdent, K::kEof));
  EXPECT_THAT(texts("a # note  \n"), ElementsAre("a", "# note  ", "\n", ""));
}

TEST(Lexer, UnterminatedBlockCommentIsInvalid) {
  EXPECT_THAT(kinds("a /* never closed"), ElementsAre(K::kIdent, K::kInvalid, K::kEof));
}

TEST(Lexer, CrLfIsOneNewline) { EXPECT_THAT(texts("a\r\nb"), ElementsAre("a", "\r\n", "b", "")); }

TEST(Lexer, QuotedStringWithInterpolation) {
  EXPECT_THAT(kinds("\"a${b}c\""),
              ElementsAre(K::kOQuote, K::kQuotedLit, K::kTemplateInterp, K::kIdent,
                          K::kTemplateSeqEnd, K::kQuotedLit, K::kCQuote, K::kEof));
}

TEST(Lexer, TemplateDirectiveAndStripMarkers) {
  std::vector<Token> toks = lex("\"%{~ if x ~}y%{ endif }\"");
  ASSERT_EQ(toks[1].kind, K::kTemplateControl);
  EXPECT_TRUE(toks[1].flag);
  EXPECT_EQ(toks[1].text, "%{~");
  ASSERT_EQ(toks[4].kind, K::kTemplateSeqEnd);
  EXPECT_TRUE(toks[4].flag);
  EXPECT_EQ(toks[4].text, "~}");
  EXPECT_EQ(toks[5].kind, K::kQuotedLit);
  EXPECT_FALSE(toks[6].flag);
}

TEST(Lexer, EscapedTemplateIntroducersStayLiteral) {
  EXPECT_THAT(kinds("\"$${a} %%{b} \\\" done\""),
              ElementsAre(K::kOQuote, K::kQuotedLit, K::kCQuote, K::kEof));
}

TEST(Lexer, BracesInsideInterpolationNest) {
  EXPECT_THAT(kinds("\"${ {a = 1} }\""),
              ElementsAre(K::kOQuote, K::kTemplateInterp, K::kLBrace, K::kIdent, K::kAssign,
                          K::kNumber, K::kRBrace, K::kTemplateSeqEnd, K::kCQuote, K::kEof));
}

TEST(Lexer, NestedQuotedStringInsideInterpolation) {
  EXPECT_THAT(
      kinds("\"${f(\"x\")}\""),
      ElementsAre(K::kOQuote, K::kTemplateInterp, K::kIdent, K::kLParen, K::kOQuote, K::kQuotedLit,
                  K::kCQuote, K::kRParen, K::kTemplateSeqEnd, K::kCQuote, K::kEof));
}

TEST(Lexer, NewlineEndsAnUnterminatedQuotedString) {
  EXPECT_THAT(kinds("a = \"abc\nb = 1"),
              ElementsAre(K::kIdent, K::kAssign, K::kOQuote, K::kQuotedLit, K::kNewline, K::kIdent,
                          K::kAssign, K::kNumber, K::kEof));
}

TEST(Lexer, HeredocSplitsLinesAndFindsIndentedMarker) {
  std::vector<Token> toks = lex("x = <<EOF\nhello\n  ${name}\n  EOF\ny = 1\n");
  std::vector<TokenKind> ks;
  for (const Token& t : toks) ks.push_back(t.kind);
  EXPECT_THAT(ks, ElementsAre(K::kIdent, K::kAssign, K::kOHeredoc, K::kStringLit, K::kStringLit,
                              K::kTemplateInterp, K::kIdent, K::kTemplateSeqEnd, K::kStringLit,
                              K::kCHeredoc, K::kNewline, K::kIdent, K::kAssign, K::kNumber,
                              K::kNewline, K::kEof));
  EXPECT_EQ(toks[2].text, "<<EOF");
  EXPECT_FALSE(toks[2].flag);
  EXPECT_EQ(toks[3].text, "hello\n");
  EXPECT_EQ(toks[4].text, "  ");
  EXPECT_EQ(toks[8].text, "\n");
  EXPECT_EQ(toks[9].text, "  EOF");
}

TEST(Lexer, FlushHeredocIntroducerSetsFlag) {
  std::vector<Token> toks = lex("x = <<-END\n  a\n  END\n");
  ASSERT_EQ(toks[2].kind, K::kOHeredoc);
  EXPECT_TRUE(toks[2].flag);
  EXPECT_EQ(toks[2].text, "<<-END");
}

TEST(Lexer, MarkerPrefixDoesNotEndHeredoc) {
  std::vector<Token> toks = lex("<<EOF\nEOFX\nEOF\n");
  EXPECT_EQ(toks[1].kind, K::kStringLit);
  EXPECT_EQ(toks[1].text, "EOFX\n");
  EXPECT_EQ(toks[2].kind, K::kCHeredoc);
}

TEST(Lexer, LessLessWithoutMarkerIsTwoLessTokens) {
  EXPECT_THAT(kinds("a << b"), ElementsAre(K::kIdent, K::kLess, K::kLess, K::kIdent, K::kEof));
}

TEST(Lexer, InvalidCharactersBecomeInvalidTokens) {
  std::vector<Token> toks = lex("a = @ & | ~ \xff");
  EXPECT_EQ(toks[2].kind, K::kInvalid);
  EXPECT_EQ(toks[3].kind, K::kInvalid);
  EXPECT_EQ(toks[4].kind, K::kInvalid);
  EXPECT_EQ(toks[5].kind, K::kInvalid);
  EXPECT_EQ(toks[6].kind, K::kInvalid);
  EXPECT_EQ(toks[6].text, "\xff");
}

TEST(Lexer, PositionsCountCodePointsAndBytes) {
  std::vector<Token> toks = lex("é = 1\n  b = \"ü\"");
  EXPECT_EQ(toks[0].start, (SourcePos{1, 1, 0}));
  EXPECT_EQ(toks[1].start, (SourcePos{1, 3, 3}));  // é is two bytes, one column
  EXPECT_EQ(toks[2].start, (SourcePos{1, 5, 5}));
  EXPECT_EQ(toks[4].start, (SourcePos{2, 3, 9}));
  EXPECT_EQ(toks[7].start.column, 8);  // closing quote after "ü"
}

TEST(Lexer, DepthTracksNesting) {
  std::vector<Token> toks = lex("a { b = [1] }");
  EXPECT_EQ(toks[0].depth, 0);
  EXPECT_EQ(toks[1].depth, 0);  // {
  EXPECT_EQ(toks[2].depth, 1);  // b
  EXPECT_EQ(toks[4].depth, 1);  // [
  EXPECT_EQ(toks[5].depth, 2);  // 1
  EXPECT_EQ(toks[6].depth, 1);  // ]
  EXPECT_EQ(toks[7].depth, 0);  // }
}

TEST(Lexer, DecodesQuotedEscapes) {
  Diagnostics diags;
  std::vector<Token> toks = lex(R"("a\n\t\r\"\\ \u00e9 \U0001F600 $${x} %%{y}")");
  std::string s = decode_quoted_literal(toks[1], nullptr, diags);
  EXPECT_EQ(s, "a\n\t\r\"\\ \xc3\xa9 \xf0\x9f\x98\x80 ${x} %{y}");
  EXPECT_TRUE(diags.empty());
}

TEST(Lexer, ReportsBadEscapeAtItsBackslash) {
  Diagnostics diags;
  std::vector<Token> toks = lex(R"(x = "ab\qc")");
  auto name = std::make_shared<const std::string>("f.hcl");
  decode_quoted_literal(toks[3], name, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "Invalid escape sequence");
  EXPECT_EQ(diags.items()[0].subject.to_string(), "f.hcl:1:8");
}

TEST(Lexer, ReportsShortUnicodeEscape) {
  Diagnostics diags;
  std::vector<Token> toks = lex(R"("\u12")");
  decode_quoted_literal(toks[1], nullptr, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_THAT(diags.items()[0].detail, ::testing::HasSubstr("four hexadecimal"));
}

TEST(Lexer, HeredocLiteralOnlyUnescapesIntroducers) {
  EXPECT_EQ(decode_heredoc_literal("a\\n $${b} %%{c}"), "a\\n ${b} %{c}");
}

}  // namespace
}  // namespace caravan::hcl
