#include "hcl/types.h"

#include <string_view>

#include "core/strings.h"
#include "hcl/convert.h"
#include "hcl/internal/function_args.h"

namespace caravan::hcl {

namespace {

const std::vector<std::string> kTypeKeywords = {"any", "bool", "number", "string"};
const std::vector<std::string> kTypeConstructors = {"list", "map", "object", "set", "tuple"};

constexpr const char* kInvalidType = "Invalid type specification";
constexpr const char* kTypeHelp =
    "A type specification is either a primitive type keyword (bool, number, string), "
    "\"any\", or a complex type constructor call, like list(string).";

std::shared_ptr<const TypeConstraint> share(TypeConstraint t) {
  return std::make_shared<const TypeConstraint>(std::move(t));
}

const Expression& unparen(const Expression& expr) {
  const Expression* e = &expr;
  while (const auto* p = e->as<ParenExpr>()) e = p->inner.get();
  return *e;
}

// The value of an expression made only of literals (for optional() defaults,
// which HCL evaluates without any variables in scope).
std::optional<Value> constant_value(const Expression& expr) {
  const Expression& e = unparen(expr);
  if (const auto* lit = e.as<LiteralExpr>()) return lit->value;
  if (const auto* tmpl = e.as<TemplateExpr>()) {
    std::string text;
    for (const TemplatePart& part : tmpl->parts) {
      const auto* literal = std::get_if<TemplateLiteral>(&part.node);
      if (literal == nullptr) return std::nullopt;
      text += literal->text;
    }
    return Value::string(std::move(text));
  }
  if (const auto* unary = e.as<UnaryExpr>()) {
    auto operand = constant_value(*unary->operand);
    if (!operand) return std::nullopt;
    if (unary->op == UnaryOp::kNegate && operand->is_number()) {
      return Value::number(-operand->as_number());
    }
    if (unary->op == UnaryOp::kNot && operand->is_bool())
      return Value::boolean(!operand->as_bool());
    return std::nullopt;
  }
  if (const auto* tuple = e.as<TupleExpr>()) {
    ValueList items;
    for (const ExprPtr& item : tuple->items) {
      auto v = constant_value(*item);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
    }
    return Value::list(std::move(items));
  }
  if (const auto* object = e.as<ObjectExpr>()) {
    ValueMap attrs;
    for (const ObjectItem& item : object->items) {
      auto key = constant_value(*item.key);
      if (!key && item.key->as<VariableExpr>() != nullptr) {
        key = Value::string(item.key->as<VariableExpr>()->name);
      }
      if (!key || !key->is_string()) return std::nullopt;
      auto v = constant_value(*item.value);
      if (!v) return std::nullopt;
      attrs.insert_or_assign(key->as_string(), std::move(*v));
    }
    return Value::object(std::move(attrs));
  }
  return std::nullopt;
}

// The attribute name of an object type's key: a bare identifier or a quoted string.
std::optional<std::string> attribute_name(const Expression& key) {
  if (const auto* var = key.as<VariableExpr>()) return var->name;
  auto v = constant_value(key);
  if (v && v->is_string()) return v->as_string();
  return std::nullopt;
}

std::optional<TypeConstraint> parse(const Expression& expr, Diagnostics& diags);

std::optional<TypeConstraint> parse_single_arg(const FunctionCallExpr& call, const Expression& expr,
                                               Diagnostics& diags) {
  if (call.args.size() != 1) {
    diags.error(expr.range, kInvalidType,
                "The " + call.name + " type constructor requires one argument specifying the " +
                    "element type, like " + call.name + "(string).");
    return std::nullopt;
  }
  auto element = parse(*call.args[0], diags);
  if (!element) return std::nullopt;
  TypeConstraint t;
  t.kind = call.name == "list"  ? TypeConstraint::Kind::kList
           : call.name == "set" ? TypeConstraint::Kind::kSet
                                : TypeConstraint::Kind::kMap;
  t.element = share(std::move(*element));
  return t;
}

std::optional<TypeConstraint> parse_tuple(const FunctionCallExpr& call, const Expression& expr,
                                          Diagnostics& diags) {
  const TupleExpr* items = call.args.size() == 1 ? unparen(*call.args[0]).as<TupleExpr>() : nullptr;
  if (items == nullptr) {
    diags.error(expr.range, kInvalidType,
                "The tuple type constructor requires one argument specifying the element types "
                "as a list, like tuple([string, number]).");
    return std::nullopt;
  }
  TypeConstraint t;
  t.kind = TypeConstraint::Kind::kTuple;
  bool ok = true;
  for (const ExprPtr& item : items->items) {
    auto element = parse(*item, diags);
    if (!element) {
      ok = false;
      continue;
    }
    t.elements.push_back(share(std::move(*element)));
  }
  if (!ok) return std::nullopt;
  return t;
}

std::optional<TypeConstraint::Attr> parse_attribute(const Expression& expr, Diagnostics& diags) {
  const Expression& e = unparen(expr);
  const auto* call = e.as<FunctionCallExpr>();
  if (call == nullptr || call->name != "optional") {
    auto type = parse(e, diags);
    if (!type) return std::nullopt;
    return TypeConstraint::Attr{share(std::move(*type)), false, std::nullopt};
  }
  if (call->args.empty() || call->args.size() > 2) {
    diags.error(e.range, kInvalidType,
                "The optional modifier requires the attribute type and optionally a default "
                "value, like optional(string) or optional(number, 80).");
    return std::nullopt;
  }
  auto type = parse(*call->args[0], diags);
  if (!type) return std::nullopt;
  TypeConstraint::Attr attr{share(std::move(*type)), true, std::nullopt};
  if (call->args.size() == 2) {
    auto value = constant_value(*call->args[1]);
    if (!value) {
      diags.error(call->args[1]->range, "Invalid default value for optional attribute",
                  "The default value of an optional attribute must be a constant: a literal, or "
                  "a list or object of literals.");
      return std::nullopt;
    }
    auto converted = convert_to_type(*value, *attr.type);
    if (!converted) {
      diags.error(call->args[1]->range, "Invalid default value for optional attribute",
                  "The default value does not match the attribute type " + attr.type->to_string() +
                      ": " + converted.error().message() + ".");
      return std::nullopt;
    }
    attr.default_value = std::move(converted).value();
  }
  return attr;
}

std::optional<TypeConstraint> parse_object(const FunctionCallExpr& call, const Expression& expr,
                                           Diagnostics& diags) {
  const ObjectExpr* items =
      call.args.size() == 1 ? unparen(*call.args[0]).as<ObjectExpr>() : nullptr;
  if (items == nullptr) {
    diags.error(expr.range, kInvalidType,
                "The object type constructor requires one argument specifying the attribute "
                "types as a map, like object({ name = string, port = number }).");
    return std::nullopt;
  }
  TypeConstraint t;
  t.kind = TypeConstraint::Kind::kObject;
  bool ok = true;
  for (const ObjectItem& item : items->items) {
    auto name = attribute_name(unparen(*item.key));
    if (!name) {
      diags.error(item.key->range, "Invalid attribute name",
                  "An object type attribute name must be an identifier or a quoted string.");
      ok = false;
      continue;
    }
    auto attr = parse_attribute(*item.value, diags);
    if (!attr) {
      ok = false;
      continue;
    }
    t.attributes.insert_or_assign(*name, std::move(*attr));
  }
  if (!ok) return std::nullopt;
  return t;
}

std::optional<TypeConstraint> parse(const Expression& expr, Diagnostics& diags) {
  const Expression& e = unparen(expr);
  if (const auto* var = e.as<VariableExpr>()) {
    TypeConstraint t;
    if (var->name == "any") {
      t.kind = TypeConstraint::Kind::kAny;
    } else if (var->name == "string") {
      t.kind = TypeConstraint::Kind::kString;
    } else if (var->name == "number") {
      t.kind = TypeConstraint::Kind::kNumber;
    } else if (var->name == "bool") {
      t.kind = TypeConstraint::Kind::kBool;
    } else if (var->name == "list" || var->name == "set" || var->name == "map") {
      diags.error(e.range, kInvalidType,
                  "The " + var->name + " type constructor requires one argument specifying the " +
                      "element type, like " + var->name + "(string).");
      return std::nullopt;
    } else if (var->name == "object" || var->name == "tuple") {
      diags.error(e.range, kInvalidType,
                  "The " + var->name + " type constructor requires one argument, like " +
                      (var->name == "object" ? "object({ name = string })." : "tuple([string])."));
      return std::nullopt;
    } else {
      std::string detail = "The keyword \"" + var->name + "\" is not a valid type.";
      std::string suggestion = suggest_name(var->name, kTypeKeywords);
      if (!suggestion.empty()) detail += " Did you mean \"" + suggestion + "\"?";
      diags.error(e.range, kInvalidType, detail);
      return std::nullopt;
    }
    return t;
  }
  if (const auto* call = e.as<FunctionCallExpr>()) {
    if (call->name == "list" || call->name == "set" || call->name == "map") {
      return parse_single_arg(*call, e, diags);
    }
    if (call->name == "tuple") return parse_tuple(*call, e, diags);
    if (call->name == "object") return parse_object(*call, e, diags);
    if (call->name == "optional") {
      diags.error(e.range, kInvalidType,
                  "The optional modifier is allowed only for the attribute types of an object "
                  "type, like object({ port = optional(number) }).");
      return std::nullopt;
    }
    std::string detail = "Keyword \"" + call->name + "\" is not a valid type constructor.";
    std::string suggestion = suggest_name(call->name, kTypeConstructors);
    if (!suggestion.empty()) detail += " Did you mean \"" + suggestion + "\"?";
    diags.error(e.range, kInvalidType, detail);
    return std::nullopt;
  }
  diags.error(e.range, kInvalidType, kTypeHelp);
  return std::nullopt;
}

// ---- conversion -------------------------------------------------------------

Status at_path(const std::string& step, const Status& inner) {
  return invalid_argument(step + ": " + inner.message());
}

Status kind_required(const char* what, const Value& v) {
  return invalid_argument(std::string(what) + " is required, got " + v.type_name());
}

Result<Value> convert(const Value& v, const TypeConstraint& type);

Result<ValueList> convert_elements(const ValueList& items, const TypeConstraint& element) {
  ValueList out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    auto converted = convert(items[i], element);
    if (!converted) return at_path("element " + std::to_string(i), converted.error());
    out.push_back(std::move(converted).value());
  }
  if (element.kind == TypeConstraint::Kind::kAny) out = internal::unify_primitives(std::move(out));
  return out;
}

Result<Value> convert_object(const ValueMap& attrs, const TypeConstraint& type) {
  ValueMap out;
  for (const auto& [name, attr] : type.attributes) {
    auto it = attrs.find(name);
    if (it == attrs.end() || it->second.is_null()) {
      if (it == attrs.end() && !attr.optional) {
        return invalid_argument("attribute \"" + name + "\" is required");
      }
      out.insert_or_assign(name, attr.default_value.value_or(Value::null()));
      continue;
    }
    auto converted = convert(it->second, *attr.type);
    if (!converted) return at_path("attribute \"" + name + "\"", converted.error());
    out.insert_or_assign(name, std::move(converted).value());
  }
  return Value::object(std::move(out));
}

Result<Value> convert(const Value& v, const TypeConstraint& type) {
  if (v.is_null() || v.is_unknown()) return v;
  switch (type.kind) {
    case TypeConstraint::Kind::kAny:
      return v;
    case TypeConstraint::Kind::kString:
      return Value::string(CARAVAN_TRY(convert_to_string(v)));
    case TypeConstraint::Kind::kNumber:
      return Value::number(CARAVAN_TRY(convert_to_number(v)));
    case TypeConstraint::Kind::kBool:
      return Value::boolean(CARAVAN_TRY(convert_to_bool(v)));
    case TypeConstraint::Kind::kList:
    case TypeConstraint::Kind::kSet: {
      bool set = type.kind == TypeConstraint::Kind::kSet;
      if (!v.is_list()) return kind_required(set ? "a set" : "a list", v);
      ValueList items = CARAVAN_TRY(convert_elements(v.as_list(), *type.element));
      if (set) items = internal::canonical_set(std::move(items));
      return Value::list(std::move(items));
    }
    case TypeConstraint::Kind::kMap: {
      if (!v.is_object()) return kind_required("a map", v);
      ValueMap out;
      ValueList values;
      for (const auto& [key, item] : v.as_object()) {
        auto converted = convert(item, *type.element);
        if (!converted) return at_path("element \"" + key + "\"", converted.error());
        values.push_back(std::move(converted).value());
      }
      if (type.element->kind == TypeConstraint::Kind::kAny) {
        values = internal::unify_primitives(std::move(values));
      }
      size_t i = 0;
      for (const auto& [key, item] : v.as_object()) out.insert_or_assign(key, values[i++]);
      return Value::object(std::move(out));
    }
    case TypeConstraint::Kind::kObject:
      if (!v.is_object()) return kind_required("an object", v);
      return convert_object(v.as_object(), type);
    case TypeConstraint::Kind::kTuple: {
      if (!v.is_list()) return kind_required("a tuple", v);
      const ValueList& items = v.as_list();
      if (items.size() != type.elements.size()) {
        return invalid_argument("a tuple of " + std::to_string(type.elements.size()) +
                                " elements is required, got " + std::to_string(items.size()) +
                                " elements");
      }
      ValueList out;
      for (size_t i = 0; i < items.size(); ++i) {
        auto converted = convert(items[i], *type.elements[i]);
        if (!converted) return at_path("element " + std::to_string(i), converted.error());
        out.push_back(std::move(converted).value());
      }
      return Value::list(std::move(out));
    }
  }
  return v;
}

}  // namespace

std::string TypeConstraint::to_string() const {
  switch (kind) {
    case Kind::kAny:
      return "any";
    case Kind::kString:
      return "string";
    case Kind::kNumber:
      return "number";
    case Kind::kBool:
      return "bool";
    case Kind::kList:
      return "list(" + element->to_string() + ")";
    case Kind::kSet:
      return "set(" + element->to_string() + ")";
    case Kind::kMap:
      return "map(" + element->to_string() + ")";
    case Kind::kTuple: {
      std::string out = "tuple([";
      for (size_t i = 0; i < elements.size(); ++i) {
        if (i > 0) out += ",";
        out += elements[i]->to_string();
      }
      return out + "])";
    }
    case Kind::kObject: {
      std::string out = "object({";
      bool first = true;
      for (const auto& [name, attr] : attributes) {
        if (!first) out += ",";
        first = false;
        out += name + "=";
        out += attr.optional ? "optional(" + attr.type->to_string() + ")" : attr.type->to_string();
      }
      return out + "})";
    }
  }
  return "any";
}

std::optional<TypeConstraint> parse_type_constraint(const Expression& expr, Diagnostics& diags) {
  return parse(expr, diags);
}

Result<Value> convert_to_type(const Value& v, const TypeConstraint& type) {
  return convert(v, type);
}

}  // namespace caravan::hcl
