#include "hcl/eval.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <optional>
#include <type_traits>

#include "core/strings.h"
#include "hcl/convert.h"
#include "hcl/functions.h"

namespace caravan::hcl {

const Value* EvalContext::lookup(std::string_view name) const {
  for (const EvalContext* c = this; c != nullptr; c = c->parent) {
    auto it = c->variables.find(name);
    if (it != c->variables.end()) return &it->second;
  }
  return nullptr;
}

const FunctionTable* EvalContext::function_table() const {
  for (const EvalContext* c = this; c != nullptr; c = c->parent) {
    if (c->functions != nullptr) return c->functions;
  }
  return nullptr;
}

namespace {

// "...: a number is required." from a conversion Status.
std::string with_period(std::string s) {
  if (!s.empty() && s.back() != '.' && s.back() != '?' && s.back() != '!') s += '.';
  return s;
}

const char* operator_symbol(BinaryOp op) {
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

// A child scope binding for-expression / template-for iterator variables.
EvalContext child_scope(const EvalContext& parent) {
  EvalContext child;
  child.parent = &parent;
  child.keep_runtime_references = parent.keep_runtime_references;
  return child;
}

// Whether `expr` refers to a root variable that no scope defines (names bound
// inside the expression itself, by for-expressions, excepted): such an
// interpolation is a run-time reference Nomad resolves on the client.
class UndefinedRootFinder {
 public:
  explicit UndefinedRootFinder(const EvalContext& ctx) : ctx_(ctx) {}

  bool expr(const Expression& e) {
    if (const auto* v = e.as<VariableExpr>()) {
      for (std::string_view b : bound_) {
        if (b == v->name) return false;
      }
      return ctx_.lookup(v->name) == nullptr;
    }
    if (const auto* n = e.as<GetAttrExpr>()) return expr(*n->source);
    if (const auto* n = e.as<IndexExpr>()) return expr(*n->source) || expr(*n->key);
    if (const auto* n = e.as<SplatExpr>()) return expr(*n->source) || expr(*n->each);
    if (const auto* n = e.as<FunctionCallExpr>()) {
      for (const ExprPtr& a : n->args) {
        if (expr(*a)) return true;
      }
      return false;
    }
    if (const auto* n = e.as<ConditionalExpr>()) {
      return expr(*n->condition) || expr(*n->if_true) || expr(*n->if_false);
    }
    if (const auto* n = e.as<BinaryExpr>()) return expr(*n->lhs) || expr(*n->rhs);
    if (const auto* n = e.as<UnaryExpr>()) return expr(*n->operand);
    if (const auto* n = e.as<ParenExpr>()) return expr(*n->inner);
    if (const auto* n = e.as<TupleExpr>()) {
      for (const ExprPtr& a : n->items) {
        if (expr(*a)) return true;
      }
      return false;
    }
    if (const auto* n = e.as<ObjectExpr>()) {
      for (const ObjectItem& item : n->items) {
        if (expr(*item.key) || expr(*item.value)) return true;
      }
      return false;
    }
    if (const auto* n = e.as<ForExpr>()) {
      if (expr(*n->collection)) return true;
      size_t mark = bound_.size();
      if (!n->key_var.empty()) bound_.push_back(n->key_var);
      bound_.push_back(n->value_var);
      bool found =
          (n->key && expr(*n->key)) || expr(*n->value) || (n->condition && expr(*n->condition));
      bound_.resize(mark);
      return found;
    }
    if (const auto* n = e.as<TemplateExpr>()) return parts(n->parts);
    return false;
  }

 private:
  bool parts(const TemplateParts& ps) {
    for (const TemplatePart& p : ps) {
      if (const auto* i = std::get_if<TemplateInterpolation>(&p.node)) {
        if (expr(*i->expr)) return true;
      } else if (const auto* c = std::get_if<TemplateIf>(&p.node)) {
        if (expr(*c->condition) || parts(c->then_parts) || parts(c->else_parts)) return true;
      } else if (const auto* f = std::get_if<TemplateFor>(&p.node)) {
        if (expr(*f->collection)) return true;
        size_t mark = bound_.size();
        if (!f->key_var.empty()) bound_.push_back(f->key_var);
        bound_.push_back(f->value_var);
        bool found = parts(f->body);
        bound_.resize(mark);
        if (found) return true;
      }
    }
    return false;
  }

  const EvalContext& ctx_;
  std::vector<std::string_view> bound_;
};

// The evaluator switches on variant indexes; keep them in step with ast.h.
using Node = decltype(Expression::node);
static_assert(std::is_same_v<std::variant_alternative_t<0, Node>, LiteralExpr>);
static_assert(std::is_same_v<std::variant_alternative_t<5, Node>, SplatItemExpr>);
static_assert(std::is_same_v<std::variant_alternative_t<9, Node>, BinaryExpr>);
static_assert(std::is_same_v<std::variant_alternative_t<14, Node>, ParenExpr>);
static_assert(std::variant_size_v<Node> == 15);
using PartNode = decltype(TemplatePart::node);
static_assert(std::is_same_v<std::variant_alternative_t<3, PartNode>, TemplateFor>);

class Evaluator {
 public:
  explicit Evaluator(Diagnostics& diags) : diags_(&diags) {}

  Value eval(const Expression& e, const EvalContext& ctx) {
    switch (e.node.index()) {
      case 0:
        return std::get<LiteralExpr>(e.node).value;
      case 1:
        return eval_template(std::get<TemplateExpr>(e.node), e, ctx);
      case 2:
        return eval_variable(std::get<VariableExpr>(e.node), e, ctx);
      case 3:
        return eval_get_attr(std::get<GetAttrExpr>(e.node), e, ctx);
      case 4:
        return eval_index(std::get<IndexExpr>(e.node), e, ctx);
      case 5:
        return splat_items_.empty() ? Value::unknown() : splat_items_.back();
      case 6:
        return eval_splat(std::get<SplatExpr>(e.node), ctx);
      case 7:
        return eval_call(std::get<FunctionCallExpr>(e.node), e, ctx);
      case 8:
        return eval_conditional(std::get<ConditionalExpr>(e.node), ctx);
      case 9:
        return eval_binary(std::get<BinaryExpr>(e.node), e, ctx);
      case 10:
        return eval_unary(std::get<UnaryExpr>(e.node), e, ctx);
      case 11:
        return eval_tuple(std::get<TupleExpr>(e.node), ctx);
      case 12:
        return eval_object(std::get<ObjectExpr>(e.node), ctx);
      case 13:
        return eval_for(std::get<ForExpr>(e.node), e, ctx);
      case 14:
        return eval(*std::get<ParenExpr>(e.node).inner, ctx);
      default:
        return Value::unknown();
    }
  }

 private:
  Value fail(const SourceRange& where, std::string summary, std::string detail) {
    diags_->error(where, std::move(summary), std::move(detail));
    return Value::unknown();
  }

  // ---- references -----------------------------------------------------------

  Value eval_variable(const VariableExpr& v, const Expression& e, const EvalContext& ctx) {
    if (const Value* found = ctx.lookup(v.name)) return *found;
    std::vector<std::string> names;
    for (const EvalContext* c = &ctx; c != nullptr; c = c->parent) {
      for (const auto& [name, value] : c->variables) names.push_back(name);
    }
    std::string detail = fmt::format("There is no variable named \"{}\".", v.name);
    std::string suggestion = suggest_name(v.name, names);
    if (!suggestion.empty()) detail += fmt::format(" Did you mean \"{}\"?", suggestion);
    return fail(e.range, "Unknown variable", std::move(detail));
  }

  Value eval_get_attr(const GetAttrExpr& g, const Expression& e, const EvalContext& ctx) {
    Value source = eval(*g.source, ctx);
    const SourceRange& where = g.name_range.filename ? g.name_range : e.range;
    switch (source.kind()) {
      case ValueKind::kUnknown:
        return source;
      case ValueKind::kNull:
        return fail(where, "Attempt to get attribute from null value",
                    "This value is null, so it does not have any attributes.");
      case ValueKind::kObject: {
        const ValueMap& attrs = source.as_object();
        auto it = attrs.find(g.name);
        if (it != attrs.end()) return it->second;
        std::vector<std::string> keys;
        keys.reserve(attrs.size());
        for (const auto& [k, v] : attrs) keys.push_back(k);
        std::string detail =
            fmt::format("This object does not have an attribute named \"{}\".", g.name);
        std::string suggestion = suggest_name(g.name, keys);
        if (!suggestion.empty()) detail += fmt::format(" Did you mean \"{}\"?", suggestion);
        return fail(where, "Unsupported attribute", std::move(detail));
      }
      case ValueKind::kList:
        return fail(where, "Unsupported attribute",
                    "Can't access attributes on a list of objects. Did you mean to access an "
                    "attribute for a specific element of the list, or across all elements of the "
                    "list (with [*])?");
      default:
        return fail(where, "Unsupported attribute",
                    fmt::format("Can't access attributes on a primitive-typed value ({}).",
                                source.type_name()));
    }
  }

  Value eval_index(const IndexExpr& ix, const Expression& e, const EvalContext& ctx) {
    Value source = eval(*ix.source, ctx);
    Value key = eval(*ix.key, ctx);
    if (source.is_unknown() || key.is_unknown()) return Value::unknown();
    static constexpr const char* kBadKey = "Invalid index";
    if (source.is_null()) {
      return fail(e.range, "Attempt to index null value",
                  "This value is null, so it does not have any indices.");
    }
    if (key.is_null()) {
      return fail(ix.key->range, kBadKey, "Can't use a null value as an indexing key.");
    }
    if (source.is_list()) {
      Result<double> n = convert_to_number(key);
      if (!n) {
        return fail(ix.key->range, kBadKey,
                    "The given key does not identify an element in this collection value: a "
                    "number is required.");
      }
      double d = *n;
      if (std::floor(d) != d || !std::isfinite(d)) {
        return fail(ix.key->range, kBadKey,
                    "The given key does not identify an element in this collection value: a "
                    "whole number is required.");
      }
      if (d < 0) {
        return fail(ix.key->range, kBadKey,
                    "The given key does not identify an element in this collection value: a "
                    "negative number is not a valid index for a sequence.");
      }
      const ValueList& items = source.as_list();
      if (d >= static_cast<double>(items.size())) {
        return fail(ix.key->range, kBadKey,
                    fmt::format("The given key does not identify an element in this collection "
                                "value: the given index is greater than or equal to the length "
                                "of the collection ({}).",
                                items.size()));
      }
      return items[static_cast<size_t>(d)];
    }
    if (source.is_object()) {
      Result<std::string> k = convert_to_string(key);
      if (!k) {
        return fail(ix.key->range, kBadKey,
                    "The given key does not identify an element in this collection value: a "
                    "string is required.");
      }
      const ValueMap& attrs = source.as_object();
      auto it = attrs.find(*k);
      if (it == attrs.end()) {
        return fail(ix.key->range, kBadKey,
                    fmt::format("The given key does not identify an element in this collection "
                                "value: there is no element with the key \"{}\".",
                                *k));
      }
      return it->second;
    }
    return fail(
        e.range, kBadKey,
        fmt::format("This value does not have any indices (it is a {}).", source.type_name()));
  }

  Value eval_splat(const SplatExpr& s, const EvalContext& ctx) {
    Value source = eval(*s.source, ctx);
    if (source.is_unknown()) return source;
    if (source.is_null()) return Value::list({});
    ValueList out;
    auto apply = [&](const Value& item) {
      splat_items_.push_back(item);
      out.push_back(eval(*s.each, ctx));
      splat_items_.pop_back();
    };
    if (source.is_list()) {
      out.reserve(source.as_list().size());
      for (const Value& item : source.as_list()) apply(item);
    } else {
      apply(source);
    }
    return Value::list(std::move(out));
  }

  // ---- function calls -------------------------------------------------------

  Value eval_call(const FunctionCallExpr& call, const Expression& e, const EvalContext& ctx) {
    if (call.name == "try") return eval_try(call, e, ctx);
    if (call.name == "can") return eval_can(call, e, ctx);
    const FunctionTable* table = ctx.function_table();
    const FunctionSpec* spec = table != nullptr ? table->find(call.name) : nullptr;
    if (spec == nullptr) {
      std::string detail = fmt::format("There is no function named \"{}\".", call.name);
      if (table != nullptr) {
        std::vector<std::string> names = table->names();
        names.emplace_back("try");
        names.emplace_back("can");
        std::string suggestion = suggest_name(call.name, names);
        if (!suggestion.empty()) detail += fmt::format(" Did you mean \"{}\"?", suggestion);
      }
      return fail(call.name_range, "Call to unknown function", std::move(detail));
    }
    std::vector<Value> args;
    args.reserve(call.args.size());
    bool known = true;
    for (size_t i = 0; i < call.args.size(); ++i) {
      Value v = eval(*call.args[i], ctx);
      if (call.expand_final && i + 1 == call.args.size()) {
        if (v.is_unknown()) {
          known = false;
          break;
        }
        if (!v.is_list()) {
          return fail(call.args[i]->range, "Invalid expanding argument value",
                      "The expanding argument (indicated by ...) must be of a tuple, list, or "
                      "set type.");
        }
        for (const Value& item : v.as_list()) {
          if (!item.is_wholly_known()) known = false;
          args.push_back(item);
        }
        break;
      }
      if (!v.is_wholly_known()) known = false;
      args.push_back(std::move(v));
    }
    int n = static_cast<int>(args.size());
    if (n < spec->min_args) {
      return fail(e.range, "Not enough function arguments",
                  fmt::format("Function \"{}\" expects {} {} argument(s); {} given.", call.name,
                              spec->min_args == spec->max_args ? "exactly" : "at least",
                              spec->min_args, n));
    }
    if (spec->max_args >= 0 && n > spec->max_args) {
      return fail(
          e.range, "Too many function arguments",
          fmt::format("Function \"{}\" expects {} {} argument(s); {} given.", call.name,
                      spec->min_args == spec->max_args ? "exactly" : "at most", spec->max_args, n));
    }
    if (!known) return Value::unknown();
    Result<Value> result = spec->impl(args);
    if (!result) {
      return fail(e.range, "Error in function call",
                  with_period(fmt::format("Call to function \"{}\" failed: {}", call.name,
                                          result.error().message())));
    }
    return std::move(result).value();
  }

  // Evaluates `e` into a private diagnostics list.
  Value eval_quietly(const Expression& e, const EvalContext& ctx, Diagnostics& into) {
    Diagnostics* saved = diags_;
    diags_ = &into;
    Value v = eval(e, ctx);
    diags_ = saved;
    return v;
  }

  Value eval_try(const FunctionCallExpr& call, const Expression& e, const EvalContext& ctx) {
    if (call.args.empty()) {
      return fail(e.range, "Not enough function arguments",
                  "Function \"try\" expects at least one argument.");
    }
    std::string failures;
    for (const ExprPtr& arg : call.args) {
      Diagnostics local;
      Value v = eval_quietly(*arg, ctx, local);
      if (!local.has_errors()) {
        diags_->append(local);  // warnings
        return v;
      }
      for (const Diagnostic& d : local) {
        if (d.severity != Severity::kError) continue;
        failures += fmt::format("\n- {} (at {})", d.summary, d.subject.to_string());
        if (!d.detail.empty()) failures += "\n  " + d.detail;
      }
    }
    return fail(e.range, "Error in function call",
                fmt::format("Call to function \"try\" failed: no expression succeeded:{}\n\nAt "
                            "least one expression must produce a successful result.",
                            failures));
  }

  Value eval_can(const FunctionCallExpr& call, const Expression& e, const EvalContext& ctx) {
    if (call.args.size() != 1) {
      return fail(
          e.range,
          call.args.empty() ? "Not enough function arguments" : "Too many function arguments",
          "Function \"can\" expects exactly one argument.");
    }
    Diagnostics local;
    Value v = eval_quietly(*call.args[0], ctx, local);
    if (local.has_errors()) return Value::boolean(false);
    if (!v.is_wholly_known()) return Value::unknown();
    return Value::boolean(true);
  }

  // ---- operators ------------------------------------------------------------

  // A bool for a condition or logical operand; nullopt after a diagnostic (or
  // silently for unknown, with `unknown` set).
  std::optional<bool> to_bool(const Value& v, const SourceRange& where, const char* summary,
                              const std::string& what, bool& unknown) {
    if (v.is_unknown()) {
      unknown = true;
      return std::nullopt;
    }
    if (v.is_null()) {
      fail(where, summary, fmt::format("The {} is null; it must be either true or false.", what));
      return std::nullopt;
    }
    Result<bool> b = convert_to_bool(v);
    if (!b) {
      fail(where, summary,
           with_period(fmt::format("The {} must be a bool: {}", what, b.error().message())));
      return std::nullopt;
    }
    return *b;
  }

  std::optional<double> to_number(const Value& v, const SourceRange& where, const char* side,
                                  bool& unknown) {
    if (v.is_unknown()) {
      unknown = true;
      return std::nullopt;
    }
    Result<double> n = convert_to_number(v);
    if (!n) {
      std::string msg = v.is_null() ? "a number is required, got null" : n.error().message();
      fail(where, "Invalid operand",
           with_period(fmt::format("Unsuitable value for {} operand: {}", side, msg)));
      return std::nullopt;
    }
    return *n;
  }

  Value eval_conditional(const ConditionalExpr& c, const EvalContext& ctx) {
    Value cond = eval(*c.condition, ctx);
    bool unknown = false;
    std::optional<bool> b =
        to_bool(cond, c.condition->range, "Incorrect condition type", "condition", unknown);
    if (!b) return Value::unknown();
    return *b ? eval(*c.if_true, ctx) : eval(*c.if_false, ctx);
  }

  Value eval_binary(const BinaryExpr& b, const Expression& e, const EvalContext& ctx) {
    bool unknown = false;
    if (b.op == BinaryOp::kOr || b.op == BinaryOp::kAnd) {
      // Short-circuits: `var.x != null && var.x.y` does not fail when x is null.
      Value lhs = eval(*b.lhs, ctx);
      std::optional<bool> l =
          to_bool(lhs, b.lhs->range, "Invalid operand", "left operand", unknown);
      if (!l) return Value::unknown();
      if (b.op == BinaryOp::kOr && *l) return Value::boolean(true);
      if (b.op == BinaryOp::kAnd && !*l) return Value::boolean(false);
      Value rhs = eval(*b.rhs, ctx);
      std::optional<bool> r =
          to_bool(rhs, b.rhs->range, "Invalid operand", "right operand", unknown);
      if (!r) return Value::unknown();
      return Value::boolean(*r);
    }
    Value lhs = eval(*b.lhs, ctx);
    Value rhs = eval(*b.rhs, ctx);
    if (b.op == BinaryOp::kEqual || b.op == BinaryOp::kNotEqual) {
      if (!lhs.is_wholly_known() || !rhs.is_wholly_known()) return Value::unknown();
      bool eq = lhs == rhs;
      return Value::boolean(b.op == BinaryOp::kEqual ? eq : !eq);
    }
    std::optional<double> l = to_number(lhs, b.lhs->range, "left", unknown);
    std::optional<double> r = to_number(rhs, b.rhs->range, "right", unknown);
    if (!l || !r) return Value::unknown();
    double x = *l;
    double y = *r;
    switch (b.op) {
      case BinaryOp::kLess:
        return Value::boolean(x < y);
      case BinaryOp::kLessEqual:
        return Value::boolean(x <= y);
      case BinaryOp::kGreater:
        return Value::boolean(x > y);
      case BinaryOp::kGreaterEqual:
        return Value::boolean(x >= y);
      case BinaryOp::kAdd:
        return arithmetic_result(x + y, e);
      case BinaryOp::kSubtract:
        return arithmetic_result(x - y, e);
      case BinaryOp::kMultiply:
        return arithmetic_result(x * y, e);
      case BinaryOp::kDivide:
      case BinaryOp::kModulo:
        if (y == 0) {
          return fail(e.range, "Operation failed",
                      fmt::format("Error during operation \"{}\": can't divide by zero.",
                                  operator_symbol(b.op)));
        }
        return arithmetic_result(b.op == BinaryOp::kDivide ? x / y : std::fmod(x, y), e);
      default:
        return Value::unknown();
    }
  }

  Value arithmetic_result(double n, const Expression& e) {
    if (!std::isfinite(n)) {
      return fail(e.range, "Operation failed",
                  "Error during operation: the result is too large to represent as a number.");
    }
    return Value::number(n);
  }

  Value eval_unary(const UnaryExpr& u, const Expression&, const EvalContext& ctx) {
    Value v = eval(*u.operand, ctx);
    bool unknown = false;
    if (u.op == UnaryOp::kNot) {
      std::optional<bool> b = to_bool(v, u.operand->range, "Invalid operand", "operand", unknown);
      if (!b) return Value::unknown();
      return Value::boolean(!*b);
    }
    std::optional<double> n = to_number(v, u.operand->range, "the", unknown);
    if (!n) return Value::unknown();
    return Value::number(-*n);
  }

  // ---- collections ----------------------------------------------------------

  Value eval_tuple(const TupleExpr& t, const EvalContext& ctx) {
    ValueList items;
    items.reserve(t.items.size());
    for (const ExprPtr& item : t.items) items.push_back(eval(*item, ctx));
    return Value::list(std::move(items));
  }

  // An object key: strings as they are, numbers and bools converted.
  std::optional<std::string> object_key(const Value& key, const SourceRange& where, bool& unknown) {
    if (key.is_unknown()) {
      unknown = true;
      return std::nullopt;
    }
    if (key.is_null()) {
      fail(where, "Null value as key", "Can't use a null value as a key.");
      return std::nullopt;
    }
    Result<std::string> k = convert_to_string(key);
    if (!k) {
      fail(where, "Incorrect key type",
           with_period("Can't use this value as a key: " + k.error().message()));
      return std::nullopt;
    }
    return std::move(k).value();
  }

  Value eval_object(const ObjectExpr& o, const EvalContext& ctx) {
    ValueMap attrs;
    bool failed = false;
    for (const ObjectItem& item : o.items) {
      bool unknown = false;
      std::optional<std::string> key = object_key(eval(*item.key, ctx), item.key->range, unknown);
      Value value = eval(*item.value, ctx);
      if (!key) {
        failed = true;
        continue;
      }
      attrs.insert_or_assign(std::move(*key), std::move(value));
    }
    if (failed) return Value::unknown();
    return Value::object(std::move(attrs));
  }

  Value eval_for(const ForExpr& f, const Expression& e, const EvalContext& ctx) {
    Value coll = eval(*f.collection, ctx);
    if (coll.is_unknown()) return coll;
    if (coll.is_null()) {
      return fail(f.collection->range, "Iteration over null value",
                  "A null value cannot be used as the collection in a 'for' expression.");
    }
    if (!coll.is_list() && !coll.is_object()) {
      return fail(f.collection->range, "Iteration over non-iterable value",
                  fmt::format("A value of type {} cannot be used as the collection in a 'for' "
                              "expression.",
                              coll.type_name()));
    }
    EvalContext scope = child_scope(ctx);
    bool object = f.key != nullptr;
    ValueList list_out;
    ValueMap map_out;
    std::map<std::string, ValueList, std::less<>> groups;
    bool unknown = false;
    bool failed = false;
    auto visit = [&](const Value& k, const Value& v) {
      if (!f.key_var.empty()) scope.variables.insert_or_assign(f.key_var, k);
      scope.variables.insert_or_assign(f.value_var, v);
      if (f.condition) {
        Value c = eval(*f.condition, scope);
        std::optional<bool> keep =
            to_bool(c, f.condition->range, "Invalid 'for' condition", "condition", unknown);
        if (!keep) {
          if (!c.is_unknown()) failed = true;
          return;
        }
        if (!*keep) return;
      }
      if (!object) {
        list_out.push_back(eval(*f.value, scope));
        return;
      }
      Value key_value = eval(*f.key, scope);
      std::optional<std::string> key = object_key(key_value, f.key->range, unknown);
      Value value = eval(*f.value, scope);
      if (!key) {
        if (!key_value.is_unknown()) failed = true;
        return;
      }
      if (f.grouping) {
        groups[*key].push_back(std::move(value));
        return;
      }
      auto [it, inserted] = map_out.try_emplace(std::move(*key), std::move(value));
      if (!inserted) {
        fail(f.key->range, "Duplicate object key",
             fmt::format("Two different items produced the key \"{}\" in this 'for' expression. "
                         "If duplicates are expected, use the ellipsis (...) after the value "
                         "expression to enable grouping by key.",
                         it->first));
        failed = true;
      }
    };
    if (coll.is_list()) {
      const ValueList& items = coll.as_list();
      for (size_t i = 0; i < items.size() && !failed; ++i) {
        visit(Value::number(static_cast<double>(i)), items[i]);
      }
    } else {
      for (const auto& [k, v] : coll.as_object()) {
        if (failed) break;
        visit(Value::string(k), v);
      }
    }
    (void)e;
    if (failed || unknown) return Value::unknown();
    if (!object) return Value::list(std::move(list_out));
    if (f.grouping) {
      for (auto& [k, vs] : groups) map_out.emplace(k, Value::list(std::move(vs)));
    }
    return Value::object(std::move(map_out));
  }

  // ---- templates ------------------------------------------------------------

  Value eval_template(const TemplateExpr& t, const Expression&, const EvalContext& ctx) {
    if (t.parts.size() == 1) {
      if (const auto* interp = std::get_if<TemplateInterpolation>(&t.parts[0].node)) {
        if (is_runtime_reference(*interp, ctx)) return Value::string(interp->source);
        return eval(*interp->expr, ctx);
      }
    }
    std::string out;
    bool ok = render(t.parts, ctx, out);
    return ok ? Value::string(std::move(out)) : Value::unknown();
  }

  bool is_runtime_reference(const TemplateInterpolation& interp, const EvalContext& ctx) {
    if (!ctx.keep_runtime_references) return false;
    return UndefinedRootFinder(ctx).expr(*interp.expr);
  }

  // Appends the rendering of `parts` to `out`; false when it is unknown or failed.
  bool render(const TemplateParts& parts, const EvalContext& ctx, std::string& out) {
    bool ok = true;
    for (const TemplatePart& part : parts) {
      switch (part.node.index()) {
        case 0:
          out += std::get<TemplateLiteral>(part.node).text;
          break;
        case 1: {
          const auto& interp = std::get<TemplateInterpolation>(part.node);
          if (is_runtime_reference(interp, ctx)) {
            out += interp.source;
            break;
          }
          Value v = eval(*interp.expr, ctx);
          if (!append_value(v, part.range, out)) ok = false;
          break;
        }
        case 2: {
          const auto& cond = std::get<TemplateIf>(part.node);
          Value c = eval(*cond.condition, ctx);
          bool unknown = false;
          std::optional<bool> b =
              to_bool(c, cond.condition->range, "Incorrect condition type", "condition", unknown);
          if (!b) {
            ok = false;
            break;
          }
          if (!render(*b ? cond.then_parts : cond.else_parts, ctx, out)) ok = false;
          break;
        }
        case 3:
          if (!render_for(std::get<TemplateFor>(part.node), ctx, out)) ok = false;
          break;
        default:
          break;
      }
    }
    return ok;
  }

  bool render_for(const TemplateFor& f, const EvalContext& ctx, std::string& out) {
    Value coll = eval(*f.collection, ctx);
    if (coll.is_unknown()) return false;
    if (!coll.is_list() && !coll.is_object()) {
      fail(f.collection->range,
           coll.is_null() ? "Iteration over null value" : "Iteration over non-iterable value",
           fmt::format("A value of type {} cannot be used as the collection in a 'for' "
                       "directive.",
                       coll.type_name()));
      return false;
    }
    EvalContext scope = child_scope(ctx);
    bool ok = true;
    auto visit = [&](const Value& k, const Value& v) {
      if (!f.key_var.empty()) scope.variables.insert_or_assign(f.key_var, k);
      scope.variables.insert_or_assign(f.value_var, v);
      if (!render(f.body, scope, out)) ok = false;
    };
    if (coll.is_list()) {
      const ValueList& items = coll.as_list();
      for (size_t i = 0; i < items.size(); ++i)
        visit(Value::number(static_cast<double>(i)), items[i]);
    } else {
      for (const auto& [k, v] : coll.as_object()) visit(Value::string(k), v);
    }
    return ok;
  }

  bool append_value(const Value& v, const SourceRange& where, std::string& out) {
    if (v.is_unknown()) return false;
    if (v.is_null()) {
      fail(where, "Invalid template interpolation value",
           "The expression result is null. Cannot include a null value in a string template.");
      return false;
    }
    Result<std::string> s = convert_to_string(v);
    if (!s) {
      fail(where, "Invalid template interpolation value",
           fmt::format("Cannot include the given value in a string template: string required, "
                       "got {}.",
                       v.type_name()));
      return false;
    }
    out += *s;
    return true;
  }

  Diagnostics* diags_;
  std::vector<Value> splat_items_;
};

}  // namespace

Value evaluate(const Expression& expr, const EvalContext& ctx, Diagnostics& diags) {
  return Evaluator(diags).eval(expr, ctx);
}

}  // namespace caravan::hcl
