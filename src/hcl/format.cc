#include "hcl/format.h"

#include <vector>

#include "hcl/lexer.h"
#include "hcl/parser.h"

namespace caravan::hcl {
namespace {

constexpr int kIndentWidth = 2;

bool is_opener(TokenKind k) {
  return k == TokenKind::kLBrace || k == TokenKind::kLBrack || k == TokenKind::kLParen ||
         k == TokenKind::kTemplateInterp || k == TokenKind::kTemplateControl;
}

bool is_closer(TokenKind k) {
  return k == TokenKind::kRBrace || k == TokenKind::kRBrack || k == TokenKind::kRParen ||
         k == TokenKind::kTemplateSeqEnd;
}

int bracket_change(TokenKind k) { return is_opener(k) ? 1 : is_closer(k) ? -1 : 0; }

bool is_template_text(TokenKind k) {
  return k == TokenKind::kQuotedLit || k == TokenKind::kStringLit;
}

// Whether a `-` after `before` is a negation (no space after it) rather than
// a subtraction.
bool minus_is_negation(const Token* before) {
  if (before == nullptr) return true;
  switch (before->kind) {
    case TokenKind::kIdent:
    case TokenKind::kNumber:
    case TokenKind::kCQuote:
    case TokenKind::kCHeredoc:
    case TokenKind::kRParen:
    case TokenKind::kRBrack:
    case TokenKind::kRBrace:
      return false;  // the end of an operand: `a - 1`
    default:
      return true;  // after `=`, `(`, `,`, an operator...: `x * -1`
  }
}

// Whether one space separates `a` and `b` (with `before` the token before `a`
// on the same line, or null).
bool space_between(const Token* before, const Token& a, const Token& b) {
  TokenKind ak = a.kind;
  TokenKind bk = b.kind;
  if (bk == TokenKind::kComment || ak == TokenKind::kComment) return true;
  if (ak == TokenKind::kIdent && bk == TokenKind::kLParen) return false;
  if (ak == TokenKind::kDot || bk == TokenKind::kDot) return false;
  if (bk == TokenKind::kComma || bk == TokenKind::kEllipsis) return false;
  if (ak == TokenKind::kComma) return true;
  if (is_template_text(ak) || ak == TokenKind::kOQuote || is_template_text(bk) ||
      bk == TokenKind::kCQuote || bk == TokenKind::kCHeredoc) {
    return false;
  }
  if (ak == TokenKind::kIdent && a.text == "in" && before != nullptr &&
      before->kind == TokenKind::kIdent) {
    return true;  // `for x in [a, b]`, not an index
  }
  if (bk == TokenKind::kLBrack &&
      (ak == TokenKind::kIdent || ak == TokenKind::kNumber || is_closer(ak))) {
    return false;
  }
  if (ak == TokenKind::kMinus) return !minus_is_negation(before);
  if (ak == TokenKind::kBang) return false;
  if (ak == TokenKind::kLBrace || bk == TokenKind::kRBrace) {
    return !(ak == TokenKind::kLBrace && bk == TokenKind::kRBrace);
  }
  if ((ak == TokenKind::kTemplateInterp || ak == TokenKind::kTemplateControl) &&
      bk == TokenKind::kLBrace) {
    return true;
  }
  if (ak == TokenKind::kRBrace && bk == TokenKind::kTemplateSeqEnd) return true;
  if (ak == TokenKind::kTemplateSeqEnd &&
      (bk == TokenKind::kTemplateInterp || bk == TokenKind::kTemplateControl)) {
    return false;
  }
  if (is_opener(ak)) return false;
  if (is_closer(bk)) return false;
  return true;
}

size_t display_width(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// One source line (between newline tokens) being formatted.
struct Line {
  std::vector<const Token*> tokens;  // without the trailing comment
  const Token* comment = nullptr;    // a comment after other tokens
  int indent = 0;
  bool multiline = false;  // holds a heredoc or a multi-line comment
  std::string lead;        // indentation and tokens before the `=`
  std::string assign;      // the `=` and what follows, when aligned
  size_t assign_at = 0;    // index of `=` in tokens, or 0 for none
};

std::vector<Line> split_lines(const std::vector<Token>& tokens) {
  std::vector<Line> lines(1);
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kEof) break;
    if (t.kind == TokenKind::kNewline) {
      lines.emplace_back();
      continue;
    }
    Line& line = lines.back();
    if (line.comment != nullptr) {
      // A block comment followed by more tokens: it was not trailing after all.
      line.tokens.push_back(line.comment);
      line.comment = nullptr;
    }
    if (t.kind == TokenKind::kComment && !line.tokens.empty()) {
      line.comment = &t;
    } else {
      line.tokens.push_back(&t);
    }
    if (t.kind == TokenKind::kOHeredoc ||
        (t.kind == TokenKind::kComment && t.text.find('\n') != std::string_view::npos)) {
      line.multiline = true;
    }
  }
  return lines;
}

// Indentation by bracket nesting: a line opening several brackets indents the
// following lines by one level only; leading closers dedent their own line.
void compute_indents(std::vector<Line>& lines) {
  std::vector<int> stack;
  auto close = [&stack](int n) {
    while (n > 0 && !stack.empty()) {
      if (stack.back() > n) {
        stack.back() -= n;
        n = 0;
      } else {
        n -= stack.back();
        stack.pop_back();
      }
    }
  };
  for (Line& line : lines) {
    int leading_closers = 0;
    size_t i = 0;
    while (i < line.tokens.size() && is_closer(line.tokens[i]->kind)) {
      ++leading_closers;
      ++i;
    }
    close(leading_closers);
    line.indent = static_cast<int>(stack.size());
    int rest = 0;
    for (; i < line.tokens.size(); ++i) rest += bracket_change(line.tokens[i]->kind);
    if (rest > 0) {
      stack.push_back(rest);
    } else if (rest < 0) {
      close(-rest);
    }
  }
}

void render_tokens(const Line& line, size_t from, size_t to, std::string& out) {
  for (size_t i = from; i < to; ++i) {
    const Token& t = *line.tokens[i];
    if (i > from) {
      const Token& prev = *line.tokens[i - 1];
      if (prev.kind == TokenKind::kOHeredoc) {
        // The heredoc introducer ends its line; its content follows verbatim.
      } else if (space_between(i >= 2 ? line.tokens[i - 2] : nullptr, prev, t)) {
        out += ' ';
      }
    }
    if (t.kind == TokenKind::kComment) {
      out += t.text.find('\n') == std::string_view::npos ? rtrim(t.text) : t.text;
    } else {
      out += t.text;
    }
    if (t.kind == TokenKind::kOHeredoc) out += '\n';
  }
}

// The index of the `=` that makes `line` an aligned single-line assignment, or 0.
size_t find_assign(const Line& line) {
  if (line.multiline) return 0;
  for (size_t i = 1; i < line.tokens.size(); ++i) {
    if (line.tokens[i]->kind != TokenKind::kAssign) continue;
    int net = 0;
    for (size_t j = i; j < line.tokens.size(); ++j) net += bracket_change(line.tokens[j]->kind);
    return net == 0 ? i : 0;
  }
  return 0;
}

// Pads the `=` of runs of consecutive assignment lines to one column.
void align_assignments(std::vector<Line>& lines) {
  size_t start = 0;
  while (start < lines.size()) {
    if (lines[start].assign_at == 0) {
      ++start;
      continue;
    }
    size_t end = start;
    size_t widest = 0;
    while (end < lines.size() && lines[end].assign_at != 0) {
      widest = std::max(widest, display_width(lines[end].lead));
      ++end;
    }
    for (size_t i = start; i < end; ++i) {
      lines[i].lead.append(widest - display_width(lines[i].lead), ' ');
    }
    start = end;
  }
}

// Pads trailing comments of runs of consecutive lines to one column.
void align_comments(std::vector<Line>& lines, std::vector<std::string>& bodies) {
  size_t start = 0;
  while (start < lines.size()) {
    if (lines[start].comment == nullptr || lines[start].multiline) {
      ++start;
      continue;
    }
    size_t end = start;
    size_t widest = 0;
    while (end < lines.size() && lines[end].comment != nullptr && !lines[end].multiline) {
      widest = std::max(widest, display_width(bodies[end]));
      ++end;
    }
    for (size_t i = start; i < end; ++i) {
      bodies[i].append(widest - display_width(bodies[i]) + 1, ' ');
      std::string_view text = lines[i].comment->text;
      bodies[i] += text.find('\n') == std::string_view::npos ? rtrim(text) : text;
    }
    start = end;
  }
}

}  // namespace

std::string format_source(std::string_view source, std::string filename, Diagnostics& diags) {
  {
    Diagnostics syntax;
    std::unique_ptr<File> file = parse_file(std::string(source), std::move(filename), syntax);
    if (syntax.has_errors()) {
      diags.append(syntax);
      return std::string(source);
    }
  }
  std::vector<Token> tokens = lex(source);
  std::vector<Line> lines = split_lines(tokens);
  compute_indents(lines);
  for (Line& line : lines) {
    if (line.tokens.empty()) continue;
    line.lead.assign(static_cast<size_t>(line.indent * kIndentWidth), ' ');
    line.assign_at = find_assign(line);
    if (line.assign_at == 0) {
      render_tokens(line, 0, line.tokens.size(), line.lead);
    } else {
      render_tokens(line, 0, line.assign_at, line.lead);
      render_tokens(line, line.assign_at, line.tokens.size(), line.assign);
    }
  }
  align_assignments(lines);
  std::vector<std::string> bodies(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    Line& line = lines[i];
    if (line.tokens.empty()) continue;
    bodies[i] = line.assign_at == 0 ? std::move(line.lead) : line.lead + " " + line.assign;
  }
  align_comments(lines, bodies);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].comment != nullptr && lines[i].multiline) {
      bodies[i] += ' ';
      bodies[i] += lines[i].comment->text;
    }
  }

  std::string out;
  out.reserve(source.size() + source.size() / 8);
  bool pending_blank = false;
  for (std::string& body : bodies) {
    std::string_view text = rtrim(body);
    if (text.empty()) {
      pending_blank = !out.empty();
      continue;
    }
    if (pending_blank) out += '\n';
    pending_blank = false;
    out += text;
    out += '\n';
  }
  return out;
}

}  // namespace caravan::hcl
