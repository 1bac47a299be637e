#include "jobspec/internal/references.h"

#include <type_traits>
#include <variant>

namespace caravan::jobspec::internal {
namespace {

bool is_root(const hcl::Expression* e, std::string_view root) {
  const auto* v = e != nullptr ? e->as<hcl::VariableExpr>() : nullptr;
  return v != nullptr && v->name == root;
}

void walk(const hcl::Expression* expr, std::string_view root, std::vector<Reference>* out);

void walk_parts(const hcl::TemplateParts& parts, std::string_view root,
                std::vector<Reference>* out) {
  for (const hcl::TemplatePart& part : parts) {
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, hcl::TemplateInterpolation>) {
            walk(node.expr.get(), root, out);
          } else if constexpr (std::is_same_v<T, hcl::TemplateIf>) {
            walk(node.condition.get(), root, out);
            walk_parts(node.then_parts, root, out);
            walk_parts(node.else_parts, root, out);
          } else if constexpr (std::is_same_v<T, hcl::TemplateFor>) {
            walk(node.collection.get(), root, out);
            walk_parts(node.body, root, out);
          }
        },
        part.node);
  }
}

void walk(const hcl::Expression* expr, std::string_view root, std::vector<Reference>* out) {
  if (expr == nullptr) return;
  std::visit(
      [&](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, hcl::GetAttrExpr>) {
          if (is_root(node.source.get(), root)) {
            out->push_back({node.name, expr->range});
          } else {
            walk(node.source.get(), root, out);
          }
        } else if constexpr (std::is_same_v<T, hcl::IndexExpr>) {
          const auto* key =
              node.key != nullptr ? node.key->template as<hcl::LiteralExpr>() : nullptr;
          if (is_root(node.source.get(), root) && key != nullptr && key->value.is_string()) {
            out->push_back({key->value.as_string(), expr->range});
          } else {
            walk(node.source.get(), root, out);
          }
          walk(node.key.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::TemplateExpr>) {
          walk_parts(node.parts, root, out);
        } else if constexpr (std::is_same_v<T, hcl::SplatExpr>) {
          walk(node.source.get(), root, out);
          walk(node.each.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::FunctionCallExpr>) {
          for (const hcl::ExprPtr& arg : node.args) walk(arg.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::ConditionalExpr>) {
          walk(node.condition.get(), root, out);
          walk(node.if_true.get(), root, out);
          walk(node.if_false.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::BinaryExpr>) {
          walk(node.lhs.get(), root, out);
          walk(node.rhs.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::UnaryExpr>) {
          walk(node.operand.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::TupleExpr>) {
          for (const hcl::ExprPtr& item : node.items) walk(item.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::ObjectExpr>) {
          for (const hcl::ObjectItem& item : node.items) {
            walk(item.key.get(), root, out);
            walk(item.value.get(), root, out);
          }
        } else if constexpr (std::is_same_v<T, hcl::ForExpr>) {
          walk(node.collection.get(), root, out);
          walk(node.key.get(), root, out);
          walk(node.value.get(), root, out);
          walk(node.condition.get(), root, out);
        } else if constexpr (std::is_same_v<T, hcl::ParenExpr>) {
          walk(node.inner.get(), root, out);
        }
        // LiteralExpr, VariableExpr (a bare `local` needs every local; the
        // evaluator reports it), SplatItemExpr: nothing to collect.
      },
      expr->node);
}

}  // namespace

void collect_references(const hcl::Expression& expr, std::string_view root,
                        std::vector<Reference>* out) {
  walk(&expr, root, out);
}

}  // namespace caravan::jobspec::internal
