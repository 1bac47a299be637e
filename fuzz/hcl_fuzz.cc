// libFuzzer target for the HCL2 native syntax: parses the input as a file,
// evaluates every attribute (top level and nested blocks) against a small
// `var` object and the standard function library, and formats the input
// (checking that formatting is idempotent). Must never crash, hang or leak.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hcl/eval.h"
#include "hcl/format.h"
#include "hcl/functions.h"
#include "hcl/parser.h"

namespace {

using caravan::hcl::Body;
using caravan::hcl::Diagnostics;
using caravan::hcl::EvalContext;
using caravan::hcl::Value;

void evaluate_body(const Body& body, const EvalContext& ctx, Diagnostics& diags, int depth) {
  for (const auto& attr : body.attributes) {
    if (attr.expr) (void)caravan::hcl::evaluate(*attr.expr, ctx, diags);
  }
  if (depth > 64) return;
  for (const auto& block : body.blocks) evaluate_body(block.body, ctx, diags, depth + 1);
}

const EvalContext& fuzz_context() {
  static const caravan::hcl::FunctionTable functions =
      caravan::hcl::standard_functions("/nonexistent");
  static const EvalContext ctx = [] {
    EvalContext c;
    c.functions = &functions;
    c.variables["var"] = Value::object({
        {"name", Value::string("web")},
        {"count", Value::number(3)},
        {"enabled", Value::boolean(true)},
        {"ports", Value::list({Value::number(80), Value::number(443)})},
        {"tags", Value::object({{"env", Value::string("prod")}})},
        {"nothing", Value::null()},
    });
    return c;
  }();
  return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // keep iterations fast; size does not add coverage
  std::string source(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  auto file = caravan::hcl::parse_file(source, "fuzz.hcl", diags);
  evaluate_body(file->body, fuzz_context(), diags, 0);
  (void)diags.format(&file->source);

  Diagnostics fmt_diags;
  std::string formatted = caravan::hcl::format_source(source, "fuzz.hcl", fmt_diags);
  if (!fmt_diags.has_errors()) {
    Diagnostics again;
    if (caravan::hcl::format_source(formatted, "fuzz.hcl", again) != formatted) std::abort();
  }
  return 0;
}
