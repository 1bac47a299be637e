#include "hcl/eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hcl/functions.h"
#include "hcl/parser.h"

namespace caravan::hcl {
namespace {

using ::testing::HasSubstr;

// A tiny function table for the tests: upper(s), add(a, b...), fail().
FunctionTable test_functions() {
  FunctionTable t;
  t.add("upper", FunctionSpec{1, 1, [](const std::vector<Value>& args) -> Result<Value> {
                                if (!args[0].is_string())
                                  return invalid_argument("a string is required");
                                std::string s = args[0].as_string();
                                std::transform(s.begin(), s.end(), s.begin(),
                                               [](unsigned char c) { return std::toupper(c); });
                                return Value::string(s);
                              }});
  t.add("add", FunctionSpec{1, -1, [](const std::vector<Value>& args) -> Result<Value> {
                              double sum = 0;
                              for (const Value& v : args) {
                                if (!v.is_number()) return invalid_argument("numbers only");
                                sum += v.as_number();
                              }
                              return Value::number(sum);
                            }});
  t.add("fail", FunctionSpec{0, 0, [](const std::vector<Value>&) -> Result<Value> {
                               return invalid_argument("it broke");
                             }});
  return t;
}

class EvalTest : public ::testing::Test {
 protected:
  EvalTest() : functions_(test_functions()) {
    ctx_.functions = &functions_;
    ctx_.variables["var"] = Value::object({
        {"name", Value::string("web")},
        {"count", Value::number(3)},
        {"enabled", Value::boolean(true)},
        {"ports", Value::list({Value::number(80), Value::number(443)})},
        {"tags", Value::object({{"env", Value::string("prod")}, {"team", Value::string("ops")}})},
        {"servers",
         Value::list({Value::object({{"id", Value::string("a")}, {"n", Value::number(1)}}),
                      Value::object({{"id", Value::string("b")}, {"n", Value::number(2)}})})},
        {"nothing", Value::null()},
        {"numstr", Value::string("5")},
    });
    ctx_.variables["local"] = Value::object({{"prefix", Value::string("p-")}});
  }

  Value eval(const std::string& src) {
    diags_ = Diagnostics();
    Diagnostics parse_diags;
    ExprPtr e = parse_expression(src, "t.hcl", parse_diags);
    EXPECT_FALSE(parse_diags.has_errors()) << parse_diags.format();
    return evaluate(*e, ctx_, diags_);
  }

  // Evaluates `src`, expecting success; returns the display string.
  std::string ok(const std::string& src) {
    Value v = eval(src);
    EXPECT_FALSE(diags_.has_errors()) << src << ": " << diags_.format();
    return to_display_string(v);
  }

  // Evaluates `src`, expecting exactly one error; returns "col: Summary; detail".
  std::string err(const std::string& src) {
    Value v = eval(src);
    EXPECT_TRUE(v.is_unknown()) << src;
    EXPECT_EQ(diags_.size(), 1u) << src << ": " << diags_.format();
    if (diags_.empty()) return "";
    const Diagnostic& d = diags_.items()[0];
    return std::to_string(d.subject.start.column) + ": " + d.summary + "; " + d.detail;
  }

  FunctionTable functions_;
  EvalContext ctx_;
  Diagnostics diags_;
};

TEST_F(EvalTest, Literals) {
  EXPECT_EQ(ok("1.5"), "1.5");
  EXPECT_EQ(ok("\"s\""), "\"s\"");
  EXPECT_EQ(ok("null"), "null");
  EXPECT_EQ(ok("[1, \"a\", true]"), "[1, \"a\", true]");
}

TEST_F(EvalTest, VariablesAndAttributes) {
  EXPECT_EQ(ok("var.name"), "\"web\"");
  EXPECT_EQ(ok("var.tags.env"), "\"prod\"");
  EXPECT_EQ(ok("var.tags[\"team\"]"), "\"ops\"");
  EXPECT_EQ(ok("var.ports[1]"), "443");
  EXPECT_EQ(ok("var.ports[\"0\"]"), "80");
  EXPECT_EQ(ok("var.ports.1"), "443");
  EXPECT_EQ(ok("var.servers[0].id"), "\"a\"");
}

TEST_F(EvalTest, UnknownVariableSuggestsName) {
  EXPECT_EQ(err("vars.name"),
            "1: Unknown variable; There is no variable named \"vars\". Did you mean \"var\"?");
  EXPECT_EQ(err("zzz"), "1: Unknown variable; There is no variable named \"zzz\".");
}

TEST_F(EvalTest, UnsupportedAttributeSuggestsName) {
  EXPECT_EQ(err("var.nme"),
            "5: Unsupported attribute; This object does not have an attribute named \"nme\". "
            "Did you mean \"name\"?");
  EXPECT_THAT(err("var.ports.x"), HasSubstr("Can't access attributes on a list"));
  EXPECT_THAT(err("var.name.x"), HasSubstr("primitive-typed value (string)"));
  EXPECT_THAT(err("var.nothing.x"), HasSubstr("Attempt to get attribute from null value"));
}

TEST_F(EvalTest, IndexErrors) {
  EXPECT_THAT(err("var.ports[2]"), HasSubstr("greater than or equal to the length"));
  EXPECT_THAT(err("var.ports[-1]"), HasSubstr("negative number"));
  EXPECT_THAT(err("var.ports[0.5]"), HasSubstr("whole number"));
  EXPECT_THAT(err("var.ports[\"x\"]"), HasSubstr("a number is required"));
  EXPECT_THAT(err("var.tags[\"nope\"]"), HasSubstr("no element with the key \"nope\""));
  EXPECT_THAT(err("var.nothing[0]"), HasSubstr("Attempt to index null value"));
  EXPECT_THAT(err("var.name[0]"), HasSubstr("does not have any indices"));
  EXPECT_EQ(err("var.ports[2]").substr(0, 3), "11:");
}

TEST_F(EvalTest, Arithmetic) {
  EXPECT_EQ(ok("1 + 2 * 3"), "7");
  EXPECT_EQ(ok("(1 + 2) * 3"), "9");
  EXPECT_EQ(ok("7 / 2"), "3.5");
  EXPECT_EQ(ok("7 % 3"), "1");
  EXPECT_EQ(ok("-7 % 3"), "-1");
  EXPECT_EQ(ok("-var.count"), "-3");
  EXPECT_EQ(ok("var.numstr + 1"), "6");
  EXPECT_EQ(ok("\"2\" * \"3\""), "6");
  EXPECT_EQ(ok("10 - 2 - 3"), "5");
}

TEST_F(EvalTest, ArithmeticErrors) {
  EXPECT_EQ(err("1 / 0"),
            "1: Operation failed; Error during operation \"/\": can't divide by zero.");
  EXPECT_THAT(err("1 % 0"), HasSubstr("can't divide by zero"));
  EXPECT_THAT(err("1 + \"x\""), HasSubstr("Unsuitable value for right operand"));
  EXPECT_THAT(err("null + 1"),
              HasSubstr("Unsuitable value for left operand: a number is required, got null."));
  EXPECT_THAT(err("[1] * 2"), HasSubstr("Invalid operand"));
}

TEST_F(EvalTest, ComparisonAndEquality) {
  EXPECT_EQ(ok("1 < 2"), "true");
  EXPECT_EQ(ok("2 <= 2"), "true");
  EXPECT_EQ(ok("3 > 4"), "false");
  EXPECT_EQ(ok("4 >= 5"), "false");
  EXPECT_EQ(ok("var.count == 3"), "true");
  EXPECT_EQ(ok("\"a\" != \"b\""), "true");
  EXPECT_EQ(ok("1 == \"1\""), "false");
  EXPECT_EQ(ok("[1, {a = 2}] == [1, {a = 2}]"), "true");
  EXPECT_EQ(ok("{a = 1} == {a = 1, b = 2}"), "false");
  EXPECT_EQ(ok("var.nothing == null"), "true");
}

TEST_F(EvalTest, LogicConvertsToBool) {
  EXPECT_EQ(ok("true && false"), "false");
  EXPECT_EQ(ok("false || true"), "true");
  EXPECT_EQ(ok("!var.enabled"), "false");
  EXPECT_EQ(ok("\"true\" && true"), "true");
  EXPECT_EQ(ok("var.nothing != null && var.nothing.x"), "false");
  EXPECT_THAT(err("1 && true"), HasSubstr("Invalid operand"));
  EXPECT_THAT(err("!null"), HasSubstr("null"));
}

TEST_F(EvalTest, ConditionalEvaluatesOnlyChosenBranch) {
  EXPECT_EQ(ok("var.enabled ? \"on\" : undefined_thing"), "\"on\"");
  EXPECT_EQ(ok("false ? 1 : [2]"), "[2]");
  EXPECT_EQ(ok("\"false\" ? 1 : 2"), "2");
  EXPECT_THAT(err("var.nothing ? 1 : 2"), HasSubstr("Incorrect condition type"));
  EXPECT_THAT(err("\"maybe\" ? 1 : 2"), HasSubstr("Incorrect condition type"));
}

TEST_F(EvalTest, TuplesAndObjects) {
  EXPECT_EQ(ok("[var.count, var.name]"), "[3, \"web\"]");
  EXPECT_EQ(ok("{ b = 2, a = 1 }"), "{ a = 1, b = 2 }");
  EXPECT_EQ(ok("{ (var.name) = 1, \"x-${var.count}\" = 2 }"), "{ web = 1, x-3 = 2 }");
  EXPECT_EQ(ok("{ 1 = \"one\", true = \"t\" }"), "{ 1 = \"one\", true = \"t\" }");
  EXPECT_THAT(err("{ (var.nothing) = 1 }"), HasSubstr("Can't use a null value as a key"));
  EXPECT_THAT(err("{ (var.ports) = 1 }"), HasSubstr("Incorrect key type"));
}

TEST_F(EvalTest, ForExpressions) {
  EXPECT_EQ(ok("[for p in var.ports : p + 1]"), "[81, 444]");
  EXPECT_EQ(ok("[for i, p in var.ports : i]"), "[0, 1]");
  EXPECT_EQ(ok("[for k, v in var.tags : \"${k}=${v}\"]"), "[\"env=prod\", \"team=ops\"]");
  EXPECT_EQ(ok("[for p in var.ports : p if p > 100]"), "[443]");
  EXPECT_EQ(ok("{for s in var.servers : s.id => s.n}"), "{ a = 1, b = 2 }");
  EXPECT_EQ(ok("{for k, v in var.tags : v => k}"), "{ ops = \"team\", prod = \"env\" }");
  EXPECT_EQ(ok("{for p in [1, 2, 3] : (p % 2 == 0 ? \"even\" : \"odd\") => p...}"),
            "{ even = [2], odd = [1, 3] }");
  EXPECT_EQ(ok("[for x in [] : x]"), "[]");
  // The iterator shadows and disappears afterwards.
  EXPECT_EQ(ok("[for var in [1] : var]"), "[1]");
}

TEST_F(EvalTest, ForExpressionErrors) {
  EXPECT_THAT(err("{for p in [1, 1] : \"k\" => p}"), HasSubstr("Duplicate object key"));
  EXPECT_THAT(err("[for x in var.name : x]"), HasSubstr("Iteration over non-iterable value"));
  EXPECT_THAT(err("[for x in var.nothing : x]"), HasSubstr("Iteration over null value"));
  EXPECT_THAT(err("[for x in [1] : x if 5]"), HasSubstr("Invalid 'for' condition"));
}

TEST_F(EvalTest, Splats) {
  EXPECT_EQ(ok("var.servers[*].id"), "[\"a\", \"b\"]");
  EXPECT_EQ(ok("var.servers.*.n"), "[1, 2]");
  EXPECT_EQ(ok("var.nothing[*]"), "[]");
  EXPECT_EQ(ok("var.name[*]"), "[\"web\"]");
  EXPECT_EQ(ok("var.tags[*].env"), "[\"prod\"]");
  EXPECT_EQ(ok("var.servers[*].n"), "[1, 2]");
  EXPECT_EQ(ok("[[1, 2], [3]][*][0]"), "[1, 3]");
  EXPECT_EQ(ok("var.servers.*.id[1]"), "\"b\"");
}

TEST_F(EvalTest, Templates) {
  EXPECT_EQ(ok("\"${var.name}-${var.count}\""), "\"web-3\"");
  EXPECT_EQ(ok("\"${var.enabled}\""), "true");  // single interpolation: unconverted
  EXPECT_EQ(ok("\"${var.ports}\""), "[80, 443]");
  EXPECT_EQ(ok("\"x${var.enabled}\""), "\"xtrue\"");
  EXPECT_EQ(ok("\"%{ if var.enabled }on%{ else }off%{ endif }\""), "\"on\"");
  EXPECT_EQ(ok("\"%{ for p in var.ports }${p};%{ endfor }\""), "\"80;443;\"");
  EXPECT_EQ(ok("\"%{ for k, v in var.tags }${k}=${v} %{ endfor }\""), "\"env=prod team=ops \"");
  EXPECT_EQ(ok("<<EOF\nname: ${var.name}\n%{ for p in var.ports ~}\n- ${p}\n%{ endfor ~}\nEOF\n"),
            "\"name: web\\n- 80\\n- 443\\n\"");
  EXPECT_EQ(ok("<<-EOF\n    a ${local.prefix}\n      b\n    EOF\n"), "\"a p-\\n  b\\n\"");
}

TEST_F(EvalTest, TemplateErrors) {
  EXPECT_THAT(err("\"a${var.nothing}\""), HasSubstr("Cannot include a null value"));
  EXPECT_THAT(err("\"a${var.ports}\""), HasSubstr("string required"));
  EXPECT_THAT(err("\"%{ if var.name }x%{ endif }\""), HasSubstr("Incorrect condition type"));
}

TEST_F(EvalTest, RuntimeReferencesAreKeptVerbatim) {
  EXPECT_EQ(ok("\"port ${NOMAD_PORT_http} on ${attr.unique.network.ip-address}\""),
            "\"port ${NOMAD_PORT_http} on ${attr.unique.network.ip-address}\"");
  EXPECT_EQ(ok("\"${env[\"HOME\"]}\""), "\"${env[\\\"HOME\\\"]}\"");
  EXPECT_EQ(ok("\"${meta.rack}\""), "\"${meta.rack}\"");
  EXPECT_EQ(ok("\"${ node.unique.name }/${var.name}\""), "\"${ node.unique.name }/web\"");
  EXPECT_EQ(ok("<<EOF\nhost=${attr.unique.hostname}\nEOF\n"),
            "\"host=${attr.unique.hostname}\\n\"");
  // Iterator variables bound inside the interpolation are not run-time references.
  EXPECT_EQ(ok("\"${upper([for k, v in var.tags : k][0])}\""), "\"ENV\"");
  EXPECT_EQ(ok("\"%{ for p in var.ports }${p}${NOMAD_X}%{ endfor }\""),
            "\"80${NOMAD_X}443${NOMAD_X}\"");
}

TEST_F(EvalTest, UndefinedVariablesOutsideTemplatesAreErrors) {
  EXPECT_THAT(err("NOMAD_PORT_http"), HasSubstr("Unknown variable"));
}

TEST_F(EvalTest, RuntimeReferencesAreErrorsWhenDisabled) {
  ctx_.keep_runtime_references = false;
  EXPECT_THAT(err("\"x ${attr.kernel.name}\""), HasSubstr("There is no variable named \"attr\""));
}

TEST_F(EvalTest, FunctionCalls) {
  EXPECT_EQ(ok("upper(var.name)"), "\"WEB\"");
  EXPECT_EQ(ok("add(1, 2, 3)"), "6");
  EXPECT_EQ(ok("add(1, var.ports...)"), "524");
  EXPECT_EQ(ok("add([1, 2]...)"), "3");
}

TEST_F(EvalTest, FunctionCallErrors) {
  EXPECT_EQ(err("uper(\"a\")"),
            "1: Call to unknown function; There is no function named \"uper\". Did you mean "
            "\"upper\"?");
  EXPECT_EQ(err("fail()"),
            "1: Error in function call; Call to function \"fail\" failed: it broke.");
  EXPECT_THAT(err("upper()"), HasSubstr("Not enough function arguments"));
  EXPECT_THAT(err("upper(\"a\", \"b\")"), HasSubstr("Too many function arguments"));
  EXPECT_THAT(err("add(var.name...)"), HasSubstr("Invalid expanding argument value"));
  EXPECT_THAT(err("upper(1 + [])"), HasSubstr("Invalid operand"));
}

TEST_F(EvalTest, TryReturnsFirstSuccess) {
  EXPECT_EQ(ok("try(var.missing, var.name)"), "\"web\"");
  EXPECT_EQ(ok("try(var.tags.env, \"dflt\")"), "\"prod\"");
  EXPECT_EQ(ok("try(var.ports[5], fail(), 7)"), "7");
  EXPECT_EQ(ok("try(NOMAD_ALLOC_ID, \"none\")"), "\"none\"");
  std::string e = err("try(var.missing, var.other)");
  EXPECT_THAT(e, HasSubstr("no expression succeeded"));
  EXPECT_THAT(e, HasSubstr("Unsupported attribute"));
}

TEST_F(EvalTest, CanReportsSuccess) {
  EXPECT_EQ(ok("can(var.name)"), "true");
  EXPECT_EQ(ok("can(var.nme)"), "false");
  EXPECT_EQ(ok("can(1 / 0)"), "false");
  EXPECT_THAT(err("can()"), HasSubstr("Not enough function arguments"));
}

TEST_F(EvalTest, UnknownValuesPropagateSilently) {
  ctx_.variables["u"] = Value::unknown();
  Value v = eval("u + 1");
  EXPECT_TRUE(v.is_unknown());
  EXPECT_TRUE(diags_.empty());
  EXPECT_TRUE(eval("u.x[0]").is_unknown());
  EXPECT_TRUE(eval("\"a${u}\"").is_unknown());
  EXPECT_TRUE(eval("upper(u)").is_unknown());
  EXPECT_TRUE(eval("u ? 1 : 2").is_unknown());
  EXPECT_TRUE(eval("[for x in u : x]").is_unknown());
  EXPECT_TRUE(eval("u == 1").is_unknown());
  EXPECT_TRUE(diags_.empty());
}

TEST_F(EvalTest, OneErrorDoesNotCascade) {
  Value v = eval("[missing + 1, upper(missing), \"${missing}\"]");
  EXPECT_EQ(diags_.size(), 2u) << diags_.format();  // the template keeps ${missing}
  EXPECT_TRUE(v.is_list());
}

TEST(EvalContext, LookupWalksParents) {
  EvalContext outer;
  outer.variables["a"] = Value::number(1);
  FunctionTable fns;
  outer.functions = &fns;
  EvalContext inner;
  inner.parent = &outer;
  inner.variables["b"] = Value::number(2);
  ASSERT_NE(inner.lookup("a"), nullptr);
  EXPECT_EQ(inner.lookup("a")->as_number(), 1);
  EXPECT_EQ(inner.lookup("b")->as_number(), 2);
  EXPECT_EQ(inner.lookup("c"), nullptr);
  EXPECT_EQ(inner.function_table(), &fns);
}

TEST(EvalFile, EvaluatesAttributesOfAParsedFile) {
  Diagnostics diags;
  auto file = parse_file("job \"x\" {\n  count = 1 + 2\n  name = \"n-${NOMAD_ALLOC_INDEX}\"\n}\n",
                         "job.hcl", diags);
  ASSERT_FALSE(diags.has_errors());
  EvalContext ctx;
  const Body& body = file->body.blocks[0].body;
  EXPECT_EQ(evaluate(*body.find_attribute("count")->expr, ctx, diags).as_number(), 3);
  EXPECT_EQ(evaluate(*body.find_attribute("name")->expr, ctx, diags).as_string(),
            "n-${NOMAD_ALLOC_INDEX}");
  EXPECT_TRUE(diags.empty());
}

}  // namespace
}  // namespace caravan::hcl
