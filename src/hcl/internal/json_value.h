// JSON ⇄ HCL values for jsonencode/jsondecode and format's %v of collections.
// Encoding follows what Terraform/Nomad produce: compact, object keys sorted,
// numbers in plain decimal (integers without ".0"), and <, >, & escaped as
// \u003c, \u003e, \u0026 as Go's encoding/json does.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "hcl/value.h"

namespace caravan::hcl::internal {

// Errors for unknown values and for NaN or infinite numbers.
Result<std::string> json_encode(const Value& v);
// Errors name the byte offset of the syntax error.
Result<Value> json_decode(std::string_view text);

// A number in plain decimal notation with the fewest digits that read back as
// the same double (Go's big.Float Text('f', -1)): 1e21 → "1000000000000000000000".
std::string decimal_string(double n);

// Go's strconv.Quote: a double-quoted string with Go escapes for control
// characters; printable Unicode is kept as is.
std::string go_quote(std::string_view s);

}  // namespace caravan::hcl::internal
