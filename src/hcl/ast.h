// The syntax tree of an HCL2 native-syntax file, as the parser (hcl/parser.h)
// builds it and the evaluator (hcl/eval.h) and decoders (jobspec/) read it.
// A file is a Body: attributes (`name = expr`) and blocks (`type "label" { body }`).
// Expressions are a closed set of node kinds held in a variant; every node keeps
// its source range for diagnostics. Nodes own their children (unique_ptr) and are
// not copyable; the tree is immutable after parsing.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/source_range.h"
#include "hcl/value.h"

namespace caravan::hcl {

struct Expression;
using ExprPtr = std::unique_ptr<Expression>;

// ---- expression nodes -------------------------------------------------------

// A literal number, bool, null, or a string with no interpolation in it.
struct LiteralExpr {
  Value value;
};

// One piece of a string template ("a${b}c", heredocs, %{ if } / %{ for }).
// Strip markers (`~`) are applied by the parser to the neighbouring literals.
struct TemplatePart;
using TemplateParts = std::vector<TemplatePart>;

struct TemplateLiteral {
  std::string text;  // escapes already decoded; `$${` and `%%{` already unescaped
};
struct TemplateInterpolation {
  ExprPtr expr;
  // The exact source text of the interpolation, `${` to `}` inclusive. Kept so a
  // reference that can only be resolved at run time on the client
  // (`${NOMAD_PORT_http}`, `${attr.kernel.name}`) is left in the string untouched.
  std::string source;
};
struct TemplateIf {
  ExprPtr condition;
  TemplateParts then_parts;
  TemplateParts else_parts;
};
struct TemplateFor {
  std::string key_var;  // empty when only the value variable is named
  std::string value_var;
  ExprPtr collection;
  TemplateParts body;
};

struct TemplatePart {
  std::variant<TemplateLiteral, TemplateInterpolation, TemplateIf, TemplateFor> node;
  SourceRange range;
};

// A quoted string or heredoc containing interpolations or directives. A template
// that is a single interpolation ("${x}") evaluates to x's value unconverted, as
// in HCL; otherwise the result is a string.
struct TemplateExpr {
  TemplateParts parts;
  bool heredoc = false;
};

// A root variable reference: `var`, `local`, `NOMAD_PORT_http`, a for-expression
// iterator. Attribute and index steps after it are separate nodes.
struct VariableExpr {
  std::string name;
};

// `source.name`
struct GetAttrExpr {
  ExprPtr source;
  std::string name;
  SourceRange name_range;
};

// `source[key]` (also the legacy `source.0` form, with a number key).
struct IndexExpr {
  ExprPtr source;
  ExprPtr key;
};

// The item a splat applies its traversal to; appears only inside SplatExpr::each.
struct SplatItemExpr {};

// `source[*].a.b` (full splat) or `source.*.a` (attribute-only splat). `each` is
// the traversal applied to every element, rooted at a SplatItemExpr node. A
// non-list, non-null source is treated as a one-element list; null gives [].
struct SplatExpr {
  ExprPtr source;
  ExprPtr each;
};

// `name(args...)`; `expand_final` is true for `name(a, list...)`.
struct FunctionCallExpr {
  std::string name;
  SourceRange name_range;
  std::vector<ExprPtr> args;
  bool expand_final = false;
};

// `cond ? a : b`
struct ConditionalExpr {
  ExprPtr condition;
  ExprPtr if_true;
  ExprPtr if_false;
};

enum class BinaryOp {
  kOr, kAnd,                                   // || &&
  kEqual, kNotEqual,                           // == !=
  kLess, kLessEqual, kGreater, kGreaterEqual,  // < <= > >=
  kAdd, kSubtract,                             // + -
  kMultiply, kDivide, kModulo,                 // * / %
};

struct BinaryExpr {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
};

enum class UnaryOp { kNot, kNegate };

struct UnaryExpr {
  UnaryOp op;
  ExprPtr operand;
};

// `[a, b, c]`
struct TupleExpr {
  std::vector<ExprPtr> items;
};

// `{ key = value, "k2": v2, (expr) = v3 }`. A bare identifier key is stored as a
// LiteralExpr string (HCL treats `{ a = 1 }` as the key "a"); a parenthesised key
// is an expression evaluated to a string.
struct ObjectItem {
  ExprPtr key;
  ExprPtr value;
};
struct ObjectExpr {
  std::vector<ObjectItem> items;
};

// `[for k, v in coll : v if cond]` and `{for k, v in coll : k => v... if cond}`.
struct ForExpr {
  std::string key_var;  // empty when only one variable is named
  std::string value_var;
  ExprPtr collection;
  ExprPtr key;    // object form only (null for the tuple form)
  ExprPtr value;
  ExprPtr condition;  // may be null
  bool grouping = false;  // `...` after the value: group values with equal keys in lists
};

// `( expr )`: kept as a node so object keys and formatting can tell it apart.
struct ParenExpr {
  ExprPtr inner;
};

struct Expression {
  std::variant<LiteralExpr, TemplateExpr, VariableExpr, GetAttrExpr, IndexExpr, SplatItemExpr,
               SplatExpr, FunctionCallExpr, ConditionalExpr, BinaryExpr, UnaryExpr, TupleExpr,
               ObjectExpr, ForExpr, ParenExpr>
      node;
  SourceRange range;

  template <class T>
  const T* as() const {
    return std::get_if<T>(&node);
  }
};

// Helper to build a node: `make_expr(LiteralExpr{v}, range)`.
template <class Node>
ExprPtr make_expr(Node&& n, SourceRange range) {
  auto e = std::make_unique<Expression>();
  e->node = std::forward<Node>(n);
  e->range = std::move(range);
  return e;
}

// ---- structure --------------------------------------------------------------

struct Attribute {
  std::string name;
  ExprPtr expr;
  SourceRange name_range;
  SourceRange range;  // whole `name = expr`
};

struct Block;

struct Body {
  std::vector<Attribute> attributes;  // in source order; names are unique
  std::vector<Block> blocks;          // in source order
  SourceRange range;                  // between the braces (the whole file at top level)

  const Attribute* find_attribute(std::string_view name) const;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::vector<SourceRange> label_ranges;
  Body body;
  SourceRange type_range;
  SourceRange range;  // from the type to the closing brace
};

struct File {
  std::shared_ptr<const std::string> filename;
  std::string source;
  Body body;
};

}  // namespace caravan::hcl
