#include "hcl/ast.h"

namespace caravan::hcl {

const Attribute* Body::find_attribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace caravan::hcl
