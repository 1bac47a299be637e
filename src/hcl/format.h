// Canonical formatting of HCL2 native syntax, as `hcl fmt` / `nomad fmt` do:
// 2-space indentation by bracket nesting, one space around `=` and binary
// operators, the `=` of consecutive single-line attributes aligned, trailing
// comments aligned, trailing whitespace removed, blank-line runs collapsed.
// Driven by the token stream (hcl/lexer.h), so comments are kept; string and
// heredoc contents are never changed.
#pragma once

#include <string>
#include <string_view>

#include "hcl/diagnostic.h"

namespace caravan::hcl {

// Returns `source` formatted. When it has syntax errors, returns it unchanged
// and adds the errors to `diags` (located in `filename`). Idempotent:
// format_source(format_source(x)) == format_source(x).
std::string format_source(std::string_view source, std::string filename, Diagnostics& diags);

}  // namespace caravan::hcl
