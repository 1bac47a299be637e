// The tokens of HCL2's native syntax, as the lexer (hcl/lexer.h) produces them
// and the parser (hcl/parser.cc) and formatter (hcl/format.cc) consume them.
// The stream is complete: comments and newlines are tokens too, so the source
// can be rebuilt from it; token text is a view into the source it came from.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/source_range.h"

namespace caravan::hcl {

enum class TokenKind : uint8_t {
  kIdent,   // name, keyword (true, false, null, for, in, if, ...); may contain '-'
  kNumber,  // 12, 1.5, 1e3

  // Templates.
  kOQuote,           // `"` opening a quoted template
  kCQuote,           // `"` closing it
  kQuotedLit,        // literal text of a quoted template, escapes not yet decoded
  kOHeredoc,         // `<<EOF` or `<<-EOF` (text excludes the newline after the marker)
  kCHeredoc,         // the closing marker line (leading whitespace + marker, no newline)
  kStringLit,        // literal text of a heredoc: one line at most, newline included
  kTemplateInterp,   // `${` or `${~`
  kTemplateControl,  // `%{` or `%{~`
  kTemplateSeqEnd,   // `}` or `~}` closing an interpolation or directive

  // Brackets and punctuation.
  kLBrace,
  kRBrace,
  kLBrack,
  kRBrack,
  kLParen,
  kRParen,
  kComma,
  kDot,
  kEllipsis,
  kColon,
  kQuestion,
  kAssign,    // =
  kFatArrow,  // =>

  // Operators.
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kBang,
  kAnd,
  kOr,  // && ||
  kEqualOp,
  kNotEqual,  // == !=
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,

  kComment,  // `# ...` or `// ...` (no newline) or `/* ... */`
  kNewline,  // "\n" or "\r\n" outside template literals
  kEof,
  kInvalid,  // a character that starts no token, or broken UTF-8
};

// A short human name for messages: "identifier", "newline", `"{"`.
const char* token_kind_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEof;
  // For kTemplateInterp / kTemplateControl / kTemplateSeqEnd: a `~` strip marker.
  // For kOHeredoc: the `<<-` (flush) form.
  bool flag = false;
  // Bracket nesting (( [ { ${ %{ and quoted/heredoc templates) of the context the
  // token lives in: openers and closers carry the depth outside their pair.
  int depth = 0;
  std::string_view text;
  SourcePos start;
  SourcePos end;
};

}  // namespace caravan::hcl
