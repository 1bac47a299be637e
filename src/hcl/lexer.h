// The HCL2 native-syntax scanner: source text → the complete token stream
// (hcl/token.h), comments and newlines included, for the parser and the
// formatter. Scanning never fails: characters that start no token become
// kInvalid tokens, and unterminated strings or heredocs simply stop at the end
// of the input; the parser turns both into diagnostics. Also decodes the
// escapes of template literal text.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/token.h"

namespace caravan::hcl {

// Scans all of `source`. The last token is always kEof. Token text points into
// `source`, which must outlive the tokens.
std::vector<Token> lex(std::string_view source);

// Decodes the literal text of a quoted template (a kQuotedLit token): `\n \r \t
// \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{` to `${` / `%{`. A bad escape is an
// "Invalid escape sequence" error located at its backslash in `filename`.
std::string decode_quoted_literal(const Token& token,
                                  const std::shared_ptr<const std::string>& filename,
                                  Diagnostics& diags);

// Decodes heredoc literal text (kStringLit): only `$${` and `%%{` are escapes.
std::string decode_heredoc_literal(std::string_view text);

// Appends the UTF-8 encoding of `code_point` to `out`.
void append_utf8(std::string& out, char32_t code_point);

}  // namespace caravan::hcl
