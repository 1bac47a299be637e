#include "hcl/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace caravan::hcl {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<File> parse_ok(const std::string& src) {
  Diagnostics diags;
  auto file = parse_file(src, "test.hcl", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format(&src);
  return file;
}

ExprPtr expr_ok(const std::string& src) {
  Diagnostics diags;
  ExprPtr e = parse_expression(src, "expr", diags);
  EXPECT_FALSE(diags.has_errors()) << diags.format();
  EXPECT_NE(e, nullptr);
  return e;
}

// The diagnostics of parsing `src` as a file, one "line:col: Summary" each.
std::vector<std::string> errors_of(const std::string& src) {
  Diagnostics diags;
  parse_file(src, "", diags);
  std::vector<std::string> out;
  for (const Diagnostic& d : diags) out.push_back(d.subject.to_string() + ": " + d.summary);
  return out;
}

// A compact rendering of an expression tree, to check its shape.
std::string show(const Expression& e);

std::string show_parts(const TemplateParts& parts) {
  std::string out;
  for (const TemplatePart& p : parts) {
    if (const auto* l = std::get_if<TemplateLiteral>(&p.node)) {
      out += "'" + l->text + "'";
    } else if (const auto* i = std::get_if<TemplateInterpolation>(&p.node)) {
      out += "${" + show(*i->expr) + "}";
    } else if (const auto* c = std::get_if<TemplateIf>(&p.node)) {
      out += "%if(" + show(*c->condition) + "){" + show_parts(c->then_parts) + "}else{" +
             show_parts(c->else_parts) + "}";
    } else if (const auto* f = std::get_if<TemplateFor>(&p.node)) {
      out += "%for(" + f->key_var + "," + f->value_var + " in " + show(*f->collection) + "){" +
             show_parts(f->body) + "}";
    }
  }
  return out;
}

const char* op_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "||";
    case BinaryOp::kAnd:
      return "&&";
    case BinaryOp::kEqual:
      return "==";
    case BinaryOp::kNotEqual:
      return "!=";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
  }
  return "?";
}

std::string show(const Expression& e) {
  if (const auto* n = e.as<LiteralExpr>()) return to_display_string(n->value);
  if (const auto* n = e.as<TemplateExpr>())
    return std::string("tmpl(") + show_parts(n->parts) + ")";
  if (const auto* n = e.as<VariableExpr>()) return n->name;
  if (const auto* n = e.as<GetAttrExpr>()) return show(*n->source) + "." + n->name;
  if (const auto* n = e.as<IndexExpr>()) return show(*n->source) + "[" + show(*n->key) + "]";
  if (e.as<SplatItemExpr>() != nullptr) return "@";
  if (const auto* n = e.as<SplatExpr>())
    return "splat(" + show(*n->source) + ", " + show(*n->each) + ")";
  if (const auto* n = e.as<FunctionCallExpr>()) {
    std::string out = n->name + "(";
    for (size_t i = 0; i < n->args.size(); ++i) {
      if (i > 0) out += ", ";
      out += show(*n->args[i]);
    }
    return out + (n->expand_final ? "...)" : ")");
  }
  if (const auto* n = e.as<ConditionalExpr>()) {
    return "(" + show(*n->condition) + " ? " + show(*n->if_true) + " : " + show(*n->if_false) + ")";
  }
  if (const auto* n = e.as<BinaryExpr>()) {
    return "(" + show(*n->lhs) + " " + op_name(n->op) + " " + show(*n->rhs) + ")";
  }
  if (const auto* n = e.as<UnaryExpr>()) {
    return std::string(n->op == UnaryOp::kNot ? "!" : "-") + show(*n->operand);
  }
  if (const auto* n = e.as<TupleExpr>()) {
    std::string out = "[";
    for (size_t i = 0; i < n->items.size(); ++i) {
      if (i > 0) out += ", ";
      out += show(*n->items[i]);
    }
    return out + "]";
  }
  if (const auto* n = e.as<ObjectExpr>()) {
    std::string out = "{";
    for (size_t i = 0; i < n->items.size(); ++i) {
      if (i > 0) out += ", ";
      out += show(*n->items[i].key) + "=" + show(*n->items[i].value);
    }
    return out + "}";
  }
  if (const auto* n = e.as<ForExpr>()) {
    std::string out =
        "for(" + n->key_var + "," + n->value_var + " in " + show(*n->collection) + ": ";
    if (n->key) out += show(*n->key) + " => ";
    out += show(*n->value);
    if (n->grouping) out += "...";
    if (n->condition) out += " if " + show(*n->condition);
    return out + ")";
  }
  if (const auto* n = e.as<ParenExpr>()) return "paren(" + show(*n->inner) + ")";
  return "?";
}

std::string shape(const std::string& src) {
  ExprPtr e = expr_ok(src);
  return e ? show(*e) : "";
}

// ---- structure ----------------------------------------------------------------

TEST(Parser, ParsesAttributesAndBlocksWithLabels) {
  auto file = parse_ok(
      "job \"web\" {\n"
      "  datacenters = [\"dc1\"]\n"
      "  group cache {\n"
      "    count = 2\n"
      "  }\n"
      "}\n"
      "top = true\n");
  ASSERT_EQ(file->body.blocks.size(), 1u);
  const Block& job = file->body.blocks[0];
  EXPECT_EQ(job.type, "job");
  EXPECT_EQ(job.labels, std::vector<std::string>{"web"});
  ASSERT_EQ(job.body.blocks.size(), 1u);
  EXPECT_EQ(job.body.blocks[0].labels, std::vector<std::string>{"cache"});
  ASSERT_NE(job.body.find_attribute("datacenters"), nullptr);
  EXPECT_EQ(job.body.blocks[0].body.attributes[0].name, "count");
  ASSERT_EQ(file->body.attributes.size(), 1u);
  EXPECT_EQ(file->body.attributes[0].name, "top");
}

TEST(Parser, RecordsRangesWithFileName) {
  auto file = parse_ok("a {\n  b = 12\n}\n");
  const Block& a = file->body.blocks[0];
  EXPECT_EQ(a.type_range.to_string(), "test.hcl:1:1");
  const Attribute& b = a.body.attributes[0];
  EXPECT_EQ(b.name_range.to_string(), "test.hcl:2:3");
  EXPECT_EQ(b.expr->range.start.column, 7);
  EXPECT_EQ(b.expr->range.end.column, 9);
  EXPECT_EQ(b.range.end.column, 9);
  EXPECT_EQ(a.range.end.line, 3);
}

TEST(Parser, ParsesSingleLineAndEmptyBlocks) {
  auto file = parse_ok("a { b = 1 }\nc {}\nd \"x\" \"y\" { e = \"f\" }\n");
  ASSERT_EQ(file->body.blocks.size(), 3u);
  EXPECT_EQ(file->body.blocks[0].body.attributes[0].name, "b");
  EXPECT_TRUE(file->body.blocks[1].body.attributes.empty());
  EXPECT_EQ(file->body.blocks[2].labels, (std::vector<std::string>{"x", "y"}));
}

TEST(Parser, CommentsAreIgnored) {
  auto file = parse_ok("# one\na = 1 // two\n/* three\n */ b = 2\n");
  EXPECT_EQ(file->body.attributes.size(), 2u);
}

TEST(Parser, LastLineNeedsNoNewline) {
  auto file = parse_ok("a = 1");
  EXPECT_EQ(file->body.attributes.size(), 1u);
}

TEST(Parser, ReportsRedefinedAttribute) {
  Diagnostics diags;
  auto file = parse_file("a = 1\nb = 2\na = 3\n", "f.hcl", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "Attribute redefined");
  EXPECT_EQ(diags.items()[0].subject.to_string(), "f.hcl:3:1");
  EXPECT_THAT(diags.items()[0].detail, HasSubstr("already set at f.hcl:1:1"));
  EXPECT_EQ(file->body.attributes.size(), 2u);
}

// ---- expressions ----------------------------------------------------------------

TEST(Parser, ParsesLiterals) {
  EXPECT_EQ(shape("42"), "42");
  EXPECT_EQ(shape("1.5e2"), "150");
  EXPECT_EQ(shape("-3"), "-3");
  EXPECT_EQ(shape("true"), "true");
  EXPECT_EQ(shape("null"), "null");
  EXPECT_EQ(shape("\"plain\""), "\"plain\"");
  EXPECT_EQ(shape("\"\""), "\"\"");
}

TEST(Parser, AppliesOperatorPrecedence) {
  EXPECT_EQ(shape("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(shape("a * b + c"), "((a * b) + c)");
  EXPECT_EQ(shape("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(shape("a / b % c"), "((a / b) % c)");
  EXPECT_EQ(shape("a + b < c"), "((a + b) < c)");
  EXPECT_EQ(shape("a < b == c > d"), "((a < b) == (c > d))");
  EXPECT_EQ(shape("a == b && c != d"), "((a == b) && (c != d))");
  EXPECT_EQ(shape("a && b || c && d"), "((a && b) || (c && d))");
  EXPECT_EQ(shape("!a && -b < c"), "(!a && (-b < c))");
  EXPECT_EQ(shape("a || b ? c : d"), "((a || b) ? c : d)");
  EXPECT_EQ(shape("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
  EXPECT_EQ(shape("(a + b) * c"), "(paren((a + b)) * c)");
  EXPECT_EQ(shape("a <= b"), "(a <= b)");
  EXPECT_EQ(shape("a >= b"), "(a >= b)");
}

TEST(Parser, ParsesTraversals) {
  EXPECT_EQ(shape("var.a.b"), "var.a.b");
  EXPECT_EQ(shape("attr.unique.network.ip-address"), "attr.unique.network.ip-address");
  EXPECT_EQ(shape("a[0][\"k\"]"), "a[0][\"k\"]");
  EXPECT_EQ(shape("a.0"), "a[0]");
  EXPECT_EQ(shape("a.0.1"), "a[0][1]");
  EXPECT_EQ(shape("a.b[1].c"), "a.b[1].c");
}

TEST(Parser, ParsesSplats) {
  EXPECT_EQ(shape("a[*].b"), "splat(a, @.b)");
  EXPECT_EQ(shape("a[*].b[0].c"), "splat(a, @.b[0].c)");
  EXPECT_EQ(shape("a.*.b"), "splat(a, @.b)");
  // The attribute-only splat stops at an index: it applies to the result.
  EXPECT_EQ(shape("a.*.b[0]"), "splat(a, @.b)[0]");
  EXPECT_EQ(shape("a[*]"), "splat(a, @)");
  EXPECT_EQ(shape("a[*].b[*].c"), "splat(splat(a, @.b), @.c)");
}

TEST(Parser, ParsesFunctionCalls) {
  EXPECT_EQ(shape("f()"), "f()");
  EXPECT_EQ(shape("f(1, \"a\")"), "f(1, \"a\")");
  EXPECT_EQ(shape("f(1, xs...)"), "f(1, xs...)");
  EXPECT_EQ(shape("f(\n  1,\n  2,\n)"), "f(1, 2)");
  EXPECT_EQ(shape("upper(a.b)"), "upper(a.b)");
}

TEST(Parser, ParsesTuplesAndObjects) {
  EXPECT_EQ(shape("[]"), "[]");
  EXPECT_EQ(shape("[1, 2,\n 3,]"), "[1, 2, 3]");
  EXPECT_EQ(shape("{}"), "{}");
  EXPECT_EQ(shape("{ a = 1, \"b\": 2 }"), "{\"a\"=1, \"b\"=2}");
  EXPECT_EQ(shape("{\n  a = 1\n  b = 2\n}"), "{\"a\"=1, \"b\"=2}");
  EXPECT_EQ(shape("{ (k) = 1, 2 = 3 }"), "{paren(k)=1, 2=3}");
  EXPECT_EQ(shape("{ a = { b = [1] } }"), "{\"a\"={\"b\"=[1]}}");
}

TEST(Parser, ParsesForExpressions) {
  EXPECT_EQ(shape("[for x in xs : x * 2]"), "for(,x in xs: (x * 2))");
  EXPECT_EQ(shape("[for i, x in xs : x if i > 0]"), "for(i,x in xs: x if (i > 0))");
  EXPECT_EQ(shape("{for k, v in m : k => v}"), "for(k,v in m: k => v)");
  EXPECT_EQ(shape("{for v in m : v.k => v...}"), "for(,v in m: v.k => v...)");
  EXPECT_EQ(shape("[\n  for x in xs :\n  x\n]"), "for(,x in xs: x)");
}

TEST(Parser, ParsesTemplates) {
  EXPECT_EQ(shape("\"a${b}c\""), "tmpl('a'${b}'c')");
  EXPECT_EQ(shape("\"${x}\""), "tmpl(${x})");
  EXPECT_EQ(shape("\"$${x}\""), "\"${x}\"");
  EXPECT_EQ(shape("\"%{if a}y%{else}n%{endif}\""), "tmpl(%if(a){'y'}else{'n'})");
  EXPECT_EQ(shape("\"%{for i, x in xs}${x},%{endfor}\""), "tmpl(%for(i,x in xs){${x}','})");
  EXPECT_EQ(shape("\"%{ if a }%{ if b }x%{ endif }%{ endif }\""),
            "tmpl(%if(a){%if(b){'x'}else{}}else{})");
  EXPECT_EQ(shape("\"${ f(\"${y}\") }\""), "tmpl(${f(tmpl(${y}))})");
}

TEST(Parser, RecordsInterpolationSource) {
  ExprPtr e = expr_ok("\"port ${ NOMAD_PORT_http } on ${attr.unique.network.ip-address}\"");
  const auto* t = e->as<TemplateExpr>();
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->parts.size(), 4u);
  EXPECT_EQ(std::get<TemplateInterpolation>(t->parts[1].node).source, "${ NOMAD_PORT_http }");
  EXPECT_EQ(std::get<TemplateInterpolation>(t->parts[3].node).source,
            "${attr.unique.network.ip-address}");
}

TEST(Parser, AppliesStripMarkers) {
  EXPECT_EQ(shape("\"a  ${~ x ~}  b\""), "tmpl('a'${x}'b')");
  EXPECT_EQ(shape("\"a ${~x} b\""), "tmpl('a'${x}' b')");
  EXPECT_EQ(shape("\"a ${x ~} b\""), "tmpl('a '${x}'b')");
}

TEST(Parser, StripMarkersInHeredoc) {
  EXPECT_EQ(shape("<<EOF\n%{ for x in xs ~}\n${x}\n%{ endfor ~}\nEOF\n"),
            "tmpl(%for(,x in xs){${x}'\n'})");
  EXPECT_EQ(shape("<<EOF\nA\n%{~ if c ~}\nB\n%{~ endif ~}\nC\nEOF\n"),
            "tmpl('A'%if(c){'B'}else{}'C\n')");
}

TEST(Parser, ParsesHeredocs) {
  EXPECT_EQ(shape("<<EOF\nhello\n  world\nEOF\n"), "\"hello\\n  world\\n\"");
  EXPECT_EQ(shape("<<EOF\nEOF\n"), "\"\"");
  EXPECT_EQ(shape("<<EOF\nno escapes \\n here $${x}\nEOF"), "\"no escapes \\\\n here ${x}\\n\"");
  EXPECT_EQ(shape("<<EOF\nhi ${name}!\nEOF\n"), "tmpl('hi '${name}'!\n')");
  ExprPtr e = expr_ok("<<EOF\n${x}\nEOF\n");
  ASSERT_NE(e->as<TemplateExpr>(), nullptr);
  EXPECT_TRUE(e->as<TemplateExpr>()->heredoc);
}

TEST(Parser, FlushHeredocRemovesCommonIndent) {
  EXPECT_EQ(shape("<<-EOF\n    a\n      b\n\n    c\n    EOF\n"), "\"a\\n  b\\n\\nc\\n\"");
  EXPECT_EQ(shape("<<-EOF\n\t\tx ${y}\n\t\tz\n\tEOF\n"), "tmpl('x '${y}'\nz\n')");
  // A line starting with an interpolation has no indentation to remove.
  EXPECT_EQ(shape("<<-EOF\n  a\n${b}\nEOF\n"), "tmpl('  a\n'${b}'\n')");
}

TEST(Parser, HeredocAsAttributeValue) {
  auto file = parse_ok("a = <<EOF\nx\nEOF\nb = 2\n");
  ASSERT_EQ(file->body.attributes.size(), 2u);
  EXPECT_EQ(show(*file->body.attributes[0].expr), "\"x\\n\"");
}

TEST(Parser, NewlinesInsideBracketsAreIgnored) {
  auto file = parse_ok("a = [\n  1,\n  2\n]\nb = f(\n  1\n)\nc = (\n  1 +\n  2\n)\n");
  EXPECT_EQ(show(*file->body.attributes[0].expr), "[1, 2]");
  EXPECT_EQ(show(*file->body.attributes[2].expr), "paren((1 + 2))");
}

// ---- diagnostics ----------------------------------------------------------------

TEST(ParserErrors, MissingNewlineAfterArgument) {
  EXPECT_THAT(errors_of("a = 1 b = 2\n"),
              ::testing::ElementsAre("1:7: Missing newline after argument"));
}

TEST(ParserErrors, ArgumentOrBlockRequired) {
  EXPECT_THAT(errors_of("a = 1\n= 2\nb = 3\n"),
              ::testing::ElementsAre("2:1: Argument or block definition required"));
  EXPECT_THAT(errors_of("foo bar\n"), ::testing::ElementsAre("1:8: Invalid block definition"));
  EXPECT_THAT(errors_of("a 1\n"),
              ::testing::ElementsAre("1:3: Argument or block definition required"));
}

TEST(ParserErrors, UnclosedBlockPointsAtItsBrace) {
  Diagnostics diags;
  parse_file("job \"x\" {\n  group \"g\" {\n  }\n", "f.hcl", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "Unclosed configuration block");
  EXPECT_EQ(diags.items()[0].subject.to_string(), "f.hcl:1:9");
  EXPECT_THAT(diags.items()[0].detail, HasSubstr("There is no closing brace for this block"));
}

TEST(ParserErrors, InvalidCharacter) {
  EXPECT_THAT(errors_of("a = 1\nb = @\n"), ::testing::ElementsAre("2:5: Invalid character"));
  EXPECT_THAT(errors_of("a = 1 & 2\n"), ::testing::ElementsAre("1:7: Invalid character"));
}

TEST(ParserErrors, InvalidControlCharacterIsShownByCode) {
  Diagnostics diags;
  parse_file(std::string("a = \x01\n"), "", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].detail, "The character \"\\x01\" is not used within the language.");
}

TEST(ParserErrors, MissingKeyValueSeparator) {
  EXPECT_THAT(errors_of("a = { b 1 }\n"),
              ::testing::ElementsAre("1:9: Missing key/value separator"));
}

TEST(ParserErrors, UnterminatedTemplateString) {
  // Like HCL, the error points where the closing quote was expected: the end of the line.
  EXPECT_THAT(errors_of("a = \"abc\nb = 1\n"),
              ::testing::ElementsAre("1:9: Unterminated template string"));
  EXPECT_THAT(errors_of("a = \"abc"), ::testing::ElementsAre("1:9: Unterminated template string"));
}

TEST(ParserErrors, UnterminatedHeredoc) {
  EXPECT_THAT(errors_of("a = <<EOF\nabc\n"), ::testing::ElementsAre("1:5: Unterminated heredoc"));
}

TEST(ParserErrors, MissingExpression) {
  EXPECT_THAT(errors_of("a =\nb = 2\n"), ::testing::ElementsAre("1:4: Invalid expression"));
  EXPECT_THAT(errors_of("a = [1, 2\n"), ::testing::ElementsAre("1:5: Unclosed tuple"));
  EXPECT_THAT(errors_of("a = (1\n"), ::testing::ElementsAre("2:1: Unbalanced parentheses"));
  EXPECT_THAT(errors_of("a = x[1\n"),
              ::testing::ElementsAre("2:1: Missing close bracket on index"));
  EXPECT_THAT(errors_of("a = f(1 2)\n"), ::testing::ElementsAre("1:9: Missing argument separator"));
  EXPECT_THAT(errors_of("a = x ? 1\n"),
              ::testing::ElementsAre("1:10: Missing false expression in conditional"));
  EXPECT_THAT(errors_of("a = x.\n"), ::testing::ElementsAre("1:7: Invalid attribute name"));
}

TEST(ParserErrors, TemplateDirectiveErrors) {
  EXPECT_THAT(errors_of("a = \"%{ if x }y\"\n"),
              ::testing::ElementsAre("1:6: Unterminated template directive"));
  EXPECT_THAT(errors_of("a = \"%{ endif }\"\n"),
              ::testing::ElementsAre("1:6: Unexpected \"endif\" directive"));
  EXPECT_THAT(errors_of("a = \"%{ while x }\"\n"),
              ::testing::ElementsAre("1:9: Invalid template directive"));
  EXPECT_THAT(errors_of("a = \"${x y}\"\n"),
              ::testing::ElementsAre("1:10: Extra characters after interpolation expression"));
}

TEST(ParserErrors, BadEscapeInString) {
  EXPECT_THAT(errors_of("a = \"x\\q\"\n"), ::testing::ElementsAre("1:7: Invalid escape sequence"));
}

TEST(ParserErrors, AmbiguousObjectKey) {
  EXPECT_THAT(errors_of("a = { b.c = 1 }\n"),
              ::testing::ElementsAre("1:7: Ambiguous attribute key"));
}

TEST(ParserErrors, ForExpressionErrors) {
  EXPECT_THAT(errors_of("a = [for x xs : x]\n"),
              ::testing::ElementsAre("1:12: Invalid 'for' expression"));
  EXPECT_THAT(errors_of("a = {for x in xs : x}\n"),
              ::testing::ElementsAre("1:21: Invalid 'for' expression"));
}

TEST(ParserErrors, SingleLineBlockWithNestedBlock) {
  EXPECT_THAT(errors_of("a { b {} }\n"),
              ::testing::ElementsAre("1:5: Invalid single-argument block definition"));
}

TEST(ParserErrors, RecoversAndReportsLaterErrors) {
  auto errs = errors_of(
      "a = 1 +\n"
      "b = 2\n"
      "c {\n"
      "  d = [1,\n"
      "       ]]\n"
      "  e = 3\n"
      "  f = )\n"
      "}\n"
      "g = 4\n"
      "g = 5\n");
  EXPECT_THAT(
      errs, ::testing::ElementsAre("1:8: Invalid expression", "5:9: Missing newline after argument",
                                   "7:7: Invalid expression", "10:1: Attribute redefined"));
}

TEST(ParserErrors, KeepsGoodPartsAfterErrors) {
  Diagnostics diags;
  auto file = parse_file("a = 1 +\nb = 2\nc {\n  x = $\n  y = 1\n}\n", "", diags);
  EXPECT_TRUE(diags.has_errors());
  EXPECT_NE(file->body.find_attribute("b"), nullptr);
  ASSERT_EQ(file->body.blocks.size(), 1u);
  EXPECT_NE(file->body.blocks[0].body.find_attribute("y"), nullptr);
}

TEST(ParserErrors, StandaloneExpressionMustBeWhole) {
  Diagnostics diags;
  parse_expression("1 2", "v", diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary, "Extra characters after expression");
  EXPECT_EQ(diags.items()[0].subject.to_string(), "v:1:3");
}

TEST(ParserErrors, DeepNestingIsRejectedNotCrashed) {
  for (std::string open : {"(", "[", "{a=", "!", "-", "\"${"}) {
    std::string src = "a = ";
    for (int i = 0; i < 100000; ++i) src += open;
    Diagnostics diags;
    auto file = parse_file(src, "", diags);
    EXPECT_TRUE(diags.has_errors()) << open;
  }
  std::string blocks;
  for (int i = 0; i < 5000; ++i) blocks += "b {\n";
  Diagnostics diags;
  parse_file(blocks, "", diags);
  EXPECT_THAT(diags.format(), HasSubstr("Nesting too deep"));
}

TEST(ParserErrors, LongOperatorChainsAreBounded) {
  std::string src = "a = 1";
  for (int i = 0; i < 100000; ++i) src += " + 1";
  Diagnostics diags;
  parse_file(src, "", diags);
  EXPECT_THAT(diags.format(), HasSubstr("Nesting too deep"));
  std::string ok = "a = 1";
  for (int i = 0; i < 100; ++i) ok += " + 1";
  parse_ok(ok);
}

TEST(ParserErrors, DeeplyNestedTemplateDirectivesAreBounded) {
  std::string src = "a = \"";
  for (int i = 0; i < 20000; ++i) src += "%{if x}";
  src += "\"";
  Diagnostics diags;
  parse_file(src, "", diags);
  EXPECT_TRUE(diags.has_errors());
}

}  // namespace
}  // namespace caravan::hcl
