#include "hcl/parser.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "hcl/lexer.h"

namespace caravan::hcl {
namespace {

// Deepest nesting of blocks, brackets and operators accepted. Keeps recursion
// (here, in the evaluator and in the tree's destructor) bounded on any input.
constexpr int kMaxDepth = 256;

bool is_keyword(const Token& t, std::string_view word) {
  return t.kind == TokenKind::kIdent && t.text == word;
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kNewline:
      return "a newline";
    case TokenKind::kEof:
      return "the end of the file";
    case TokenKind::kIdent:
      return fmt::format("\"{}\"", t.text);
    case TokenKind::kNumber:
      return fmt::format("the number {}", t.text);
    case TokenKind::kInvalid:
      return "an invalid character";
    case TokenKind::kOQuote:
      return "a quoted string";
    case TokenKind::kOHeredoc:
      return "a heredoc";
    default:
      return token_kind_name(t.kind);
  }
}

struct BinaryInfo {
  BinaryOp op;
  int level;  // higher binds tighter
};

bool binary_info(TokenKind k, BinaryInfo& out) {
  switch (k) {
    case TokenKind::kOr:
      out = {BinaryOp::kOr, 0};
      return true;
    case TokenKind::kAnd:
      out = {BinaryOp::kAnd, 1};
      return true;
    case TokenKind::kEqualOp:
      out = {BinaryOp::kEqual, 2};
      return true;
    case TokenKind::kNotEqual:
      out = {BinaryOp::kNotEqual, 2};
      return true;
    case TokenKind::kLess:
      out = {BinaryOp::kLess, 3};
      return true;
    case TokenKind::kLessEqual:
      out = {BinaryOp::kLessEqual, 3};
      return true;
    case TokenKind::kGreater:
      out = {BinaryOp::kGreater, 3};
      return true;
    case TokenKind::kGreaterEqual:
      out = {BinaryOp::kGreaterEqual, 3};
      return true;
    case TokenKind::kPlus:
      out = {BinaryOp::kAdd, 4};
      return true;
    case TokenKind::kMinus:
      out = {BinaryOp::kSubtract, 4};
      return true;
    case TokenKind::kStar:
      out = {BinaryOp::kMultiply, 5};
      return true;
    case TokenKind::kSlash:
      out = {BinaryOp::kDivide, 5};
      return true;
    case TokenKind::kPercent:
      out = {BinaryOp::kModulo, 5};
      return true;
    default:
      return false;
  }
}

// One element of a template before the if/for structure is built.
struct TemplateItem {
  enum class Kind { kLiteral, kInterp, kIf, kElse, kEndif, kFor, kEndfor };
  Kind kind = Kind::kLiteral;
  std::string text;         // literal
  bool line_start = false;  // literal starting a heredoc line (for `<<-`)
  bool strip_before = false;
  bool strip_after = false;
  ExprPtr expr;  // interpolation, if condition, for collection
  std::string source;
  std::string key_var;
  std::string value_var;
  SourceRange range;
};

bool is_template_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, std::string_view source,
         std::shared_ptr<const std::string> filename, Diagnostics& diags)
      : toks_(tokens), src_(source), filename_(std::move(filename)), diags_(diags) {}

  void parse_file_body(Body& body) {
    NewlineScope nl(*this, true);
    parse_body(body, nullptr, 0);
    body.range = SourceRange{filename_, SourcePos{}, toks_.back().end};
  }

  ExprPtr parse_standalone_expression() {
    NewlineScope nl(*this, false);
    ExprPtr e = parse_expression();
    if (!failed_ && peek().kind != TokenKind::kEof) {
      error_at(peek(), "Extra characters after expression",
               "An expression was successfully parsed, but extra characters were found after "
               "it.");
    }
    return e;
  }

 private:
  // ---- token access ---------------------------------------------------------

  class NewlineScope {
   public:
    NewlineScope(Parser& p, bool significant) : p_(p) {
      p_.newline_significant_.push_back(significant);
    }
    ~NewlineScope() { p_.newline_significant_.pop_back(); }
    NewlineScope(const NewlineScope&) = delete;
    NewlineScope& operator=(const NewlineScope&) = delete;

   private:
    Parser& p_;
  };

  bool newlines_significant() const {
    return newline_significant_.empty() || newline_significant_.back();
  }

  size_t skip_from(size_t i) const {
    bool sig = newlines_significant();
    while (true) {
      TokenKind k = toks_[i].kind;
      if (k == TokenKind::kComment || (k == TokenKind::kNewline && !sig)) {
        ++i;
        continue;
      }
      return i;
    }
  }

  const Token& peek() {
    pos_ = skip_from(pos_);
    return toks_[pos_];
  }

  // The significant token after the one peek() returns.
  const Token& peek2() {
    size_t i = skip_from(pos_);
    if (toks_[i].kind == TokenKind::kEof) return toks_[i];
    return toks_[skip_from(i + 1)];
  }

  const Token& next() {
    const Token& t = peek();
    if (t.kind != TokenKind::kEof) ++pos_;
    last_end_ = t.end;
    return t;
  }

  const Token& raw() const { return toks_[pos_]; }
  const Token& raw_next() {
    const Token& t = toks_[pos_];
    if (t.kind != TokenKind::kEof) ++pos_;
    last_end_ = t.end;
    return t;
  }

  SourceRange range_of(const Token& t) const { return SourceRange{filename_, t.start, t.end}; }
  SourceRange range_from(const SourcePos& start) const {
    return SourceRange{filename_, start, last_end_};
  }

  // ---- errors ---------------------------------------------------------------

  void error_at(const Token& t, std::string summary, std::string detail) {
    if (t.kind == TokenKind::kInvalid) {
      report_invalid(t);
    } else {
      diags_.error(range_of(t), std::move(summary), std::move(detail));
    }
    failed_ = true;
  }

  void report_invalid(const Token& t) {
    if (t.text.starts_with("/*")) {
      diags_.error(SourceRange{filename_, t.start, t.start}, "Unterminated block comment",
                   "There is no closing marker \"*/\" for this comment before the end of the "
                   "file.");
    } else {
      std::string shown;
      for (unsigned char c : t.text) {
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && t.text.size() == 1)) {
          shown += fmt::format("\\x{:02x}", c);  // control or stray byte: show its code
        } else {
          shown += static_cast<char>(c);
        }
      }
      diags_.error(range_of(t), "Invalid character",
                   fmt::format("The character \"{}\" is not used within the language.", shown));
    }
  }

  ExprPtr error_expr(const SourcePos& start) {
    failed_ = true;
    return make_expr(LiteralExpr{Value::unknown()}, range_from(start));
  }

  // Counts one more level of nesting; false (after a diagnostic, once) when the
  // limit is passed, which abandons the rest of the file.
  bool enter(const Token& where) {
    if (++depth_ <= kMaxDepth) return true;
    if (!aborted_) {
      diags_.error(range_of(where), "Nesting too deep",
                   fmt::format("Blocks, brackets and operators may nest at most {} levels deep. "
                               "Simplify this expression or split it up.",
                               kMaxDepth));
    }
    aborted_ = true;
    failed_ = true;
    return false;
  }

  class DepthGuard {
   public:
    explicit DepthGuard(Parser& p) : p_(p), saved_(p.depth_) {}
    ~DepthGuard() { p_.depth_ = saved_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
    int saved_;
  };

  // After an error in a body item: skips the rest of the item, up to the
  // newline at the item's own nesting `depth`, or the brace closing its block.
  void recover_item(int depth) {
    while (true) {
      const Token& t = toks_[pos_];
      if (t.kind == TokenKind::kEof) return;
      if (t.depth < depth && t.kind == TokenKind::kRBrace) return;
      ++pos_;
      if (t.kind == TokenKind::kNewline && t.depth <= depth) return;
    }
  }

  // ---- bodies ---------------------------------------------------------------

  void parse_body(Body& body, const Token* open_brace, int depth) {
    std::unordered_map<std::string_view, size_t> seen;
    while (!aborted_) {
      const Token& t = peek();
      if (t.kind == TokenKind::kNewline) {
        next();
        continue;
      }
      if (t.kind == TokenKind::kEof) {
        if (open_brace != nullptr) {
          diags_.error(range_of(*open_brace), "Unclosed configuration block",
                       "There is no closing brace for this block before the end of the file. "
                       "This may be caused by incorrect brace nesting elsewhere in this file.");
        }
        return;
      }
      if (t.kind == TokenKind::kRBrace && open_brace != nullptr) return;
      failed_ = false;
      if (t.kind != TokenKind::kIdent) {
        error_at(t, "Argument or block definition required",
                 "An argument or block definition is required here.");
        if (t.kind == TokenKind::kRBrace) next();
        recover_item(depth);
        failed_ = false;
        continue;
      }
      parse_body_item(body, seen);
      if (failed_) recover_item(depth);
      failed_ = false;
    }
  }

  void add_attribute(Body& body, std::unordered_map<std::string_view, size_t>& seen,
                     std::string_view name_text, Attribute attr) {
    auto [it, inserted] = seen.emplace(name_text, body.attributes.size());
    if (!inserted) {
      const Attribute& prev = body.attributes[it->second];
      diags_.error(attr.name_range, "Attribute redefined",
                   fmt::format("The argument \"{}\" was already set at {}. Each argument may be "
                               "set only once.",
                               attr.name, prev.name_range.to_string()));
      return;
    }
    body.attributes.push_back(std::move(attr));
  }

  // `name = expr` after the name; the expression must end the line (or, in a
  // single-line block, be followed by its closing brace).
  bool parse_attribute_rest(const Token& name, Attribute& attr, bool single_line) {
    next();  // =
    attr.name = std::string(name.text);
    attr.name_range = range_of(name);
    attr.expr = parse_expression();
    attr.range = range_from(name.start);
    if (failed_) return false;
    const Token& t = peek();
    if (t.kind == TokenKind::kNewline) {
      if (!single_line) next();
      return true;
    }
    if (t.kind == TokenKind::kEof) return true;
    if (single_line && t.kind == TokenKind::kRBrace) return true;
    error_at(t, "Missing newline after argument",
             "An argument definition must end with a newline.");
    return false;
  }

  void parse_body_item(Body& body, std::unordered_map<std::string_view, size_t>& seen) {
    const Token& name = next();
    const Token& t = peek();
    if (t.kind == TokenKind::kAssign) {
      // A partial attribute (its expression failed) is still recorded, so
      // decoders do not also report it as missing.
      Attribute attr;
      (void)parse_attribute_rest(name, attr, false);
      add_attribute(body, seen, name.text, std::move(attr));
      return;
    }
    if (t.kind == TokenKind::kLBrace || t.kind == TokenKind::kOQuote ||
        t.kind == TokenKind::kIdent) {
      parse_block(body, name);
      return;
    }
    error_at(t, "Argument or block definition required",
             "An argument or block definition is required here. To set an argument, use the "
             "equals sign \"=\" to introduce the argument value.");
  }

  // A quoted block label: a plain string, no interpolation.
  bool parse_label(Block& block) {
    const Token& open = next();
    std::string text;
    while (true) {
      const Token& t = raw();
      if (t.kind == TokenKind::kQuotedLit) {
        text += decode_quoted_literal(t, filename_, diags_);
        raw_next();
        continue;
      }
      if (t.kind == TokenKind::kCQuote) {
        raw_next();
        break;
      }
      if (t.kind == TokenKind::kTemplateInterp || t.kind == TokenKind::kTemplateControl) {
        error_at(t, "Invalid block label",
                 "Block labels must be plain quoted strings, without interpolation sequences.");
        return false;
      }
      diags_.error(range_of(t), "Unterminated template string",
                   "No closing marker was found for the string.");
      failed_ = true;
      return false;
    }
    block.labels.push_back(std::move(text));
    block.label_ranges.push_back(range_from(open.start));
    return true;
  }

  void parse_block(Body& body, const Token& type) {
    Block block;
    block.type = std::string(type.text);
    block.type_range = range_of(type);
    while (true) {
      const Token& t = peek();
      if (t.kind == TokenKind::kOQuote) {
        if (!parse_label(block)) return;
        continue;
      }
      if (t.kind == TokenKind::kIdent) {
        next();
        block.labels.emplace_back(t.text);
        block.label_ranges.push_back(range_of(t));
        continue;
      }
      if (t.kind == TokenKind::kLBrace) break;
      error_at(t, "Invalid block definition",
               "Either a quoted string block label or an opening brace (\"{\") is expected "
               "here.");
      return;
    }
    const Token& open = next();
    DepthGuard guard(*this);
    if (!enter(open)) return;
    const Token& first = peek();
    if (first.kind == TokenKind::kNewline) {
      // The usual multi-line block.
      parse_body(block.body, &open, open.depth + 1);
      if (aborted_) return;
      if (peek().kind != TokenKind::kRBrace) {
        failed_ = true;  // unclosed: already reported
        block.range = range_from(type.start);
        body.blocks.push_back(std::move(block));
        return;
      }
    } else if (first.kind != TokenKind::kRBrace) {
      // A single-line block: `name { arg = value }`.
      const Token& second = peek2();
      if (first.kind != TokenKind::kIdent || second.kind != TokenKind::kAssign) {
        error_at(first, "Invalid single-argument block definition",
                 "A single-line block definition can contain only a single argument. To define "
                 "a nested block, place it on a line of its own within its parent block.");
        return;
      }
      next();
      Attribute attr;
      bool ok = parse_attribute_rest(first, attr, true);
      if (!ok) return;
      if (peek().kind != TokenKind::kRBrace) {
        error_at(peek(), "Invalid single-argument block definition",
                 "A single-line block definition must end with a closing brace immediately "
                 "after its single argument definition.");
        return;
      }
      block.body.attributes.push_back(std::move(attr));
    }
    const Token& close = next();  // }
    block.body.range = SourceRange{filename_, open.end, close.start};
    block.range = range_from(type.start);
    body.blocks.push_back(std::move(block));
    const Token& after = peek();
    if (after.kind == TokenKind::kNewline) {
      next();
    } else if (after.kind != TokenKind::kEof) {
      error_at(after, "Missing newline after block definition",
               "A block definition must end with a newline.");
    }
  }

  // ---- expressions ----------------------------------------------------------

  ExprPtr parse_expression() {
    const Token& start = peek();
    DepthGuard guard(*this);
    if (failed_ || !enter(start)) return error_expr(start.start);
    SourcePos begin = start.start;
    ExprPtr cond = parse_binary(0);
    if (failed_) return cond;
    if (peek().kind != TokenKind::kQuestion) return cond;
    next();
    ExprPtr if_true = parse_expression();
    if (failed_) return error_expr(begin);
    if (peek().kind != TokenKind::kColon) {
      error_at(peek(), "Missing false expression in conditional",
               "The conditional operator (...?...:...) requires a false expression, delimited "
               "by a colon.");
      return error_expr(begin);
    }
    next();
    ExprPtr if_false = parse_expression();
    if (failed_) return error_expr(begin);
    return make_expr(ConditionalExpr{std::move(cond), std::move(if_true), std::move(if_false)},
                     range_from(begin));
  }

  ExprPtr parse_binary(int min_level) {
    SourcePos begin = peek().start;
    ExprPtr lhs = parse_unary();
    DepthGuard guard(*this);
    BinaryInfo info;
    while (!failed_ && binary_info(peek().kind, info) && info.level >= min_level) {
      const Token& op = next();
      if (!enter(op)) return error_expr(begin);
      ExprPtr rhs = parse_binary(info.level + 1);
      if (failed_) return error_expr(begin);
      lhs = make_expr(BinaryExpr{info.op, std::move(lhs), std::move(rhs)}, range_from(begin));
    }
    return lhs;
  }

  ExprPtr parse_unary() {
    const Token& t = peek();
    if (t.kind != TokenKind::kBang && t.kind != TokenKind::kMinus) return parse_postfix();
    SourcePos begin = t.start;
    next();
    DepthGuard guard(*this);
    if (!enter(t)) return error_expr(begin);
    ExprPtr operand = parse_unary();
    if (failed_) return error_expr(begin);
    if (t.kind == TokenKind::kMinus) {
      // Fold `-3` into a literal so decoders see a plain number.
      const LiteralExpr* lit = operand->as<LiteralExpr>();
      if (lit != nullptr && lit->value.is_number()) {
        return make_expr(LiteralExpr{Value::number(-lit->value.as_number())}, range_from(begin));
      }
      return make_expr(UnaryExpr{UnaryOp::kNegate, std::move(operand)}, range_from(begin));
    }
    return make_expr(UnaryExpr{UnaryOp::kNot, std::move(operand)}, range_from(begin));
  }

  // `.0` or `.1.2` (a number token "1.2"): the legacy index form.
  ExprPtr legacy_index(ExprPtr source, const Token& num, const SourcePos& begin) {
    std::string_view text = num.text;
    size_t start = 0;
    while (start <= text.size()) {
      size_t dot = text.find('.', start);
      std::string_view digits =
          text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      for (char c : digits) {
        if (c < '0' || c > '9') {
          error_at(num, "Invalid legacy index",
                   "An attribute access by number (\".0\") must use a whole number.");
          return error_expr(begin);
        }
      }
      double n = 0;
      for (char c : digits) n = n * 10 + (c - '0');
      ExprPtr key = make_expr(LiteralExpr{Value::number(n)}, range_of(num));
      source = make_expr(IndexExpr{std::move(source), std::move(key)}, range_from(begin));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    return source;
  }

  // `[ key ]` after the `[`, which is already consumed.
  ExprPtr index_rest(ExprPtr source, const SourcePos& begin) {
    NewlineScope nl(*this, false);
    ExprPtr key = parse_expression();
    if (failed_) return error_expr(begin);
    if (peek().kind != TokenKind::kRBrack) {
      error_at(peek(), "Missing close bracket on index",
               "The index operator must end with a closing bracket (\"]\").");
      return error_expr(begin);
    }
    next();
    return make_expr(IndexExpr{std::move(source), std::move(key)}, range_from(begin));
  }

  bool at_full_splat() {
    if (peek().kind != TokenKind::kLBrack) return false;
    NewlineScope nl(*this, false);
    size_t i = skip_from(pos_);
    size_t j = skip_from(i + 1);
    if (toks_[j].kind != TokenKind::kStar) return false;
    size_t k = skip_from(j + 1);
    return toks_[k].kind == TokenKind::kRBrack;
  }

  void consume_full_splat() {
    next();
    NewlineScope nl(*this, false);
    next();
    next();
  }

  ExprPtr parse_postfix() {
    SourcePos begin = peek().start;
    ExprPtr e = parse_primary();
    DepthGuard guard(*this);
    while (!failed_) {
      const Token& t = peek();
      if (t.kind == TokenKind::kDot) {
        if (!enter(t)) return error_expr(begin);
        next();
        const Token& u = peek();
        if (u.kind == TokenKind::kIdent) {
          next();
          e = make_expr(GetAttrExpr{std::move(e), std::string(u.text), range_of(u)},
                        range_from(begin));
        } else if (u.kind == TokenKind::kNumber) {
          next();
          e = legacy_index(std::move(e), u, begin);
        } else if (u.kind == TokenKind::kStar) {
          next();
          e = parse_splat(std::move(e), begin, false);
        } else {
          error_at(u, "Invalid attribute name", "An attribute name is required after a dot.");
          return error_expr(begin);
        }
      } else if (t.kind == TokenKind::kLBrack) {
        if (!enter(t)) return error_expr(begin);
        if (at_full_splat()) {
          consume_full_splat();
          e = parse_splat(std::move(e), begin, true);
        } else {
          next();
          e = index_rest(std::move(e), begin);
        }
      } else {
        break;
      }
    }
    return e;
  }

  // The traversal after `[*]` (full) or `.*` (attribute-only) is applied to each
  // element. Another splat ends it; the caller's loop then wraps the result.
  ExprPtr parse_splat(ExprPtr source, const SourcePos& begin, bool full) {
    SourcePos each_begin = last_end_;
    ExprPtr each = make_expr(SplatItemExpr{}, range_from(each_begin));
    DepthGuard guard(*this);
    while (!failed_) {
      const Token& t = peek();
      if (t.kind == TokenKind::kDot) {
        const Token& u = peek2();
        if (u.kind == TokenKind::kIdent) {
          if (!enter(t)) return error_expr(begin);
          next();
          next();
          each = make_expr(GetAttrExpr{std::move(each), std::string(u.text), range_of(u)},
                           range_from(each_begin));
          continue;
        }
        if (full && u.kind == TokenKind::kNumber) {
          if (!enter(t)) return error_expr(begin);
          next();
          next();
          each = legacy_index(std::move(each), u, each_begin);
          continue;
        }
        break;
      }
      if (full && t.kind == TokenKind::kLBrack && !at_full_splat()) {
        if (!enter(t)) return error_expr(begin);
        next();
        each = index_rest(std::move(each), each_begin);
        continue;
      }
      break;
    }
    if (failed_) return error_expr(begin);
    return make_expr(SplatExpr{std::move(source), std::move(each)}, range_from(begin));
  }

  ExprPtr parse_number(const Token& t) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), value);
    if (ec != std::errc() || ptr != t.text.data() + t.text.size() || !std::isfinite(value)) {
      error_at(t, "Invalid number literal",
               fmt::format("The number {} cannot be represented.", t.text));
      return error_expr(t.start);
    }
    return make_expr(LiteralExpr{Value::number(value)}, range_of(t));
  }

  ExprPtr parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kNumber:
        next();
        return parse_number(t);
      case TokenKind::kIdent: {
        if (peek2().kind == TokenKind::kLParen) return parse_call();
        next();
        if (t.text == "true") return make_expr(LiteralExpr{Value::boolean(true)}, range_of(t));
        if (t.text == "false") return make_expr(LiteralExpr{Value::boolean(false)}, range_of(t));
        if (t.text == "null") return make_expr(LiteralExpr{Value::null()}, range_of(t));
        return make_expr(VariableExpr{std::string(t.text)}, range_of(t));
      }
      case TokenKind::kOQuote:
        return parse_quoted_template();
      case TokenKind::kOHeredoc:
        return parse_heredoc();
      case TokenKind::kLBrack:
        return parse_tuple();
      case TokenKind::kLBrace:
        return parse_object();
      case TokenKind::kLParen: {
        next();
        NewlineScope nl(*this, false);
        ExprPtr inner = parse_expression();
        if (failed_) return error_expr(t.start);
        if (peek().kind != TokenKind::kRParen) {
          error_at(peek(), "Unbalanced parentheses",
                   "Expected a closing parenthesis to terminate the expression.");
          return error_expr(t.start);
        }
        next();
        return make_expr(ParenExpr{std::move(inner)}, range_from(t.start));
      }
      default:
        error_at(t, "Invalid expression",
                 fmt::format("Expected the start of an expression, but found {}.", describe(t)));
        return error_expr(t.start);
    }
  }

  ExprPtr parse_call() {
    const Token& name = next();
    next();  // (
    NewlineScope nl(*this, false);
    FunctionCallExpr call;
    call.name = std::string(name.text);
    call.name_range = range_of(name);
    while (!failed_) {
      if (peek().kind == TokenKind::kRParen) break;
      call.args.push_back(parse_expression());
      if (failed_) break;
      const Token& t = peek();
      if (t.kind == TokenKind::kEllipsis) {
        next();
        call.expand_final = true;
        if (peek().kind == TokenKind::kComma) next();
        if (peek().kind != TokenKind::kRParen) {
          error_at(peek(), "Missing closing parenthesis",
                   "An expanded function argument (with ...) must be immediately followed by "
                   "the closing parenthesis.");
        }
        break;
      }
      if (t.kind == TokenKind::kComma) {
        next();
        continue;
      }
      if (t.kind == TokenKind::kRParen) break;
      if (t.kind == TokenKind::kEof) {
        diags_.error(call.name_range, "Unclosed function call",
                     "There is no closing parenthesis for this function call before the end of "
                     "the file.");
        failed_ = true;
        break;
      }
      error_at(t, "Missing argument separator",
               "A comma is required to separate each function argument from the next.");
    }
    if (failed_) return error_expr(name.start);
    next();  // )
    return make_expr(std::move(call), range_from(name.start));
  }

  bool at_for_keyword() { return is_keyword(peek(), "for") && peek2().kind == TokenKind::kIdent; }

  ExprPtr parse_tuple() {
    const Token& open = next();
    NewlineScope nl(*this, false);
    if (at_for_keyword()) return parse_for(open, false);
    TupleExpr tuple;
    while (!failed_) {
      const Token& t = peek();
      if (t.kind == TokenKind::kRBrack) break;
      if (t.kind == TokenKind::kEof) {
        diags_.error(range_of(open), "Unclosed tuple",
                     "There is no closing bracket (\"]\") for this tuple before the end of the "
                     "file.");
        failed_ = true;
        break;
      }
      tuple.items.push_back(parse_expression());
      if (failed_) break;
      const Token& sep = peek();
      if (sep.kind == TokenKind::kComma) {
        next();
      } else if (sep.kind != TokenKind::kRBrack && sep.kind != TokenKind::kEof) {
        error_at(sep, "Missing item separator",
                 "Expected a comma to mark the beginning of the next item.");
      }
    }
    if (failed_) return error_expr(open.start);
    next();  // ]
    return make_expr(std::move(tuple), range_from(open.start));
  }

  static bool is_traversal(const Expression& e) {
    const Expression* cur = &e;
    while (true) {
      if (cur->as<VariableExpr>() != nullptr) return true;
      if (const auto* g = cur->as<GetAttrExpr>()) {
        cur = g->source.get();
      } else if (const auto* ix = cur->as<IndexExpr>()) {
        cur = ix->source.get();
      } else {
        return false;
      }
    }
  }

  ExprPtr parse_object() {
    const Token& open = next();
    {
      NewlineScope nl(*this, false);
      if (at_for_keyword()) return parse_for(open, true);
    }
    NewlineScope nl(*this, true);
    ObjectExpr object;
    while (!failed_) {
      const Token& t = peek();
      if (t.kind == TokenKind::kNewline) {
        next();
        continue;
      }
      if (t.kind == TokenKind::kRBrace) break;
      if (t.kind == TokenKind::kEof) {
        diags_.error(range_of(open), "Unclosed object",
                     "There is no closing brace for this object before the end of the file.");
        failed_ = true;
        break;
      }
      ExprPtr key;
      TokenKind after = peek2().kind;
      if (t.kind == TokenKind::kIdent &&
          (after == TokenKind::kAssign || after == TokenKind::kColon)) {
        next();
        key = make_expr(LiteralExpr{Value::string(std::string(t.text))}, range_of(t));
      } else {
        NewlineScope knl(*this, false);
        key = parse_expression();
        if (failed_) break;
      }
      const Token& sep = peek();
      if (sep.kind != TokenKind::kAssign && sep.kind != TokenKind::kColon) {
        error_at(sep, "Missing key/value separator",
                 "Expected an equals sign (\"=\") to mark the beginning of the attribute "
                 "value.");
        break;
      }
      if (is_traversal(*key)) {
        diags_.error(key->range, "Ambiguous attribute key",
                     "If this expression is intended to be a reference, wrap it in "
                     "parentheses. If it's instead intended as a literal name containing "
                     "periods, wrap it in quotes to create a string literal.");
        failed_ = true;
        break;
      }
      next();
      ExprPtr value = parse_expression();
      if (failed_) break;
      object.items.push_back(ObjectItem{std::move(key), std::move(value)});
      const Token& end = peek();
      if (end.kind == TokenKind::kComma || end.kind == TokenKind::kNewline) {
        next();
      } else if (end.kind != TokenKind::kRBrace && end.kind != TokenKind::kEof) {
        error_at(end, "Missing attribute separator",
                 "Expected a newline or comma to mark the beginning of the next attribute.");
      }
    }
    if (failed_) return error_expr(open.start);
    next();  // }
    return make_expr(std::move(object), range_from(open.start));
  }

  bool expect_ident(std::string& out, const char* detail) {
    const Token& t = peek();
    if (t.kind != TokenKind::kIdent) {
      error_at(t, "Invalid 'for' expression", detail);
      return false;
    }
    next();
    out = std::string(t.text);
    return true;
  }

  ExprPtr parse_for(const Token& open, bool object) {
    NewlineScope nl(*this, false);
    next();  // for
    ForExpr f;
    std::string first;
    if (!expect_ident(first, "A variable name is required after \"for\".")) {
      return error_expr(open.start);
    }
    if (peek().kind == TokenKind::kComma) {
      next();
      f.key_var = std::move(first);
      if (!expect_ident(f.value_var, "A second variable name is required after the comma.")) {
        return error_expr(open.start);
      }
    } else {
      f.value_var = std::move(first);
    }
    if (!is_keyword(peek(), "in")) {
      error_at(peek(), "Invalid 'for' expression",
               "The \"in\" keyword is required after the variable names of a 'for' expression.");
      return error_expr(open.start);
    }
    next();
    f.collection = parse_expression();
    if (failed_) return error_expr(open.start);
    if (peek().kind != TokenKind::kColon) {
      error_at(peek(), "Invalid 'for' expression",
               "A colon is required after the collection expression of a 'for' expression.");
      return error_expr(open.start);
    }
    next();
    if (object) {
      f.key = parse_expression();
      if (failed_) return error_expr(open.start);
      if (peek().kind != TokenKind::kFatArrow) {
        error_at(peek(), "Invalid 'for' expression",
                 "The key expression of an object 'for' expression must be followed by \"=>\" "
                 "and the value expression.");
        return error_expr(open.start);
      }
      next();
    }
    f.value = parse_expression();
    if (failed_) return error_expr(open.start);
    if (peek().kind == TokenKind::kEllipsis) {
      if (!object) {
        error_at(peek(), "Invalid 'for' expression",
                 "Grouping (\"...\") is only allowed in an object 'for' expression.");
        return error_expr(open.start);
      }
      next();
      f.grouping = true;
    }
    if (is_keyword(peek(), "if")) {
      next();
      f.condition = parse_expression();
      if (failed_) return error_expr(open.start);
    }
    TokenKind close = object ? TokenKind::kRBrace : TokenKind::kRBrack;
    if (peek().kind != close) {
      error_at(peek(), "Invalid 'for' expression",
               fmt::format("Extra characters after the end of the 'for' expression; expected {}.",
                           object ? "\"}\"" : "\"]\""));
      return error_expr(open.start);
    }
    next();
    return make_expr(std::move(f), range_from(open.start));
  }

  // ---- templates ------------------------------------------------------------

  // `${ expr }` at raw(): the expression and its exact source text.
  bool parse_interpolation(TemplateItem& item) {
    const Token& open = raw_next();
    item.kind = TemplateItem::Kind::kInterp;
    item.strip_before = open.flag;
    NewlineScope nl(*this, false);
    item.expr = parse_expression();
    if (failed_) return false;
    const Token& end = peek();
    if (end.kind != TokenKind::kTemplateSeqEnd) {
      error_at(end, "Extra characters after interpolation expression",
               "Expected a closing brace to end the interpolation expression.");
      return false;
    }
    next();
    item.strip_after = end.flag;
    item.source = std::string(src_.substr(open.start.byte, end.end.byte - open.start.byte));
    item.range = range_from(open.start);
    return true;
  }

  bool parse_directive(TemplateItem& item) {
    const Token& open = raw_next();
    item.strip_before = open.flag;
    NewlineScope nl(*this, false);
    const Token& kw = peek();
    if (kw.kind != TokenKind::kIdent) {
      error_at(kw, "Invalid template directive",
               "A template directive keyword (\"if\", \"for\", etc.) is expected at the "
               "beginning of a %{ sequence.");
      return false;
    }
    next();
    if (kw.text == "if") {
      item.kind = TemplateItem::Kind::kIf;
      item.expr = parse_expression();
    } else if (kw.text == "else") {
      item.kind = TemplateItem::Kind::kElse;
    } else if (kw.text == "endif") {
      item.kind = TemplateItem::Kind::kEndif;
    } else if (kw.text == "endfor") {
      item.kind = TemplateItem::Kind::kEndfor;
    } else if (kw.text == "for") {
      item.kind = TemplateItem::Kind::kFor;
      std::string first;
      if (!expect_ident(first, "A variable name is required after \"for\".")) return false;
      if (peek().kind == TokenKind::kComma) {
        next();
        item.key_var = std::move(first);
        if (!expect_ident(item.value_var, "A second variable name is required after the comma.")) {
          return false;
        }
      } else {
        item.value_var = std::move(first);
      }
      if (!is_keyword(peek(), "in")) {
        error_at(peek(), "Invalid template directive",
                 "The \"in\" keyword is required after the variable names of a 'for' "
                 "directive.");
        return false;
      }
      next();
      item.expr = parse_expression();
    } else {
      error_at(kw, "Invalid template directive",
               fmt::format("\"{}\" is not a template directive; use if, else, endif, for or "
                           "endfor.",
                           kw.text));
      return false;
    }
    if (failed_) return false;
    const Token& end = peek();
    if (end.kind != TokenKind::kTemplateSeqEnd) {
      error_at(end, "Extra characters in template directive",
               "Expected a closing brace to end the template directive.");
      return false;
    }
    next();
    item.strip_after = end.flag;
    item.range = range_from(open.start);
    return true;
  }

  ExprPtr parse_quoted_template() {
    const Token& open = next();
    std::vector<TemplateItem> items;
    while (!failed_) {
      const Token& t = raw();
      if (t.kind == TokenKind::kCQuote) {
        raw_next();
        break;
      }
      TemplateItem item;
      if (t.kind == TokenKind::kQuotedLit) {
        raw_next();
        item.text = decode_quoted_literal(t, filename_, diags_);
        item.range = range_of(t);
      } else if (t.kind == TokenKind::kTemplateInterp) {
        if (!parse_interpolation(item)) break;
      } else if (t.kind == TokenKind::kTemplateControl) {
        if (!parse_directive(item)) break;
      } else {
        diags_.error(range_of(t), "Unterminated template string",
                     "No closing marker was found for the string.");
        failed_ = true;
        break;
      }
      items.push_back(std::move(item));
    }
    if (failed_) return error_expr(open.start);
    return finish_template(items, range_from(open.start), false);
  }

  ExprPtr parse_heredoc() {
    const Token& open = next();
    bool flush = open.flag;
    std::vector<TemplateItem> items;
    while (!failed_) {
      const Token& t = raw();
      if (t.kind == TokenKind::kCHeredoc) {
        raw_next();
        break;
      }
      TemplateItem item;
      if (t.kind == TokenKind::kStringLit) {
        raw_next();
        item.text = decode_heredoc_literal(t.text);
        item.line_start = t.start.column == 1;
        item.range = range_of(t);
      } else if (t.kind == TokenKind::kTemplateInterp) {
        item.line_start = t.start.column == 1;
        if (!parse_interpolation(item)) break;
      } else if (t.kind == TokenKind::kTemplateControl) {
        item.line_start = t.start.column == 1;
        if (!parse_directive(item)) break;
      } else {
        std::string_view marker = open.text.substr(flush ? 3 : 2);
        diags_.error(range_of(open), "Unterminated heredoc",
                     fmt::format("There is no closing marker \"{}\" for this heredoc before the "
                                 "end of the file.",
                                 marker));
        failed_ = true;
        break;
      }
      items.push_back(std::move(item));
    }
    if (failed_) return error_expr(open.start);
    if (flush) flush_indent(items);
    return finish_template(items, range_from(open.start), true);
  }

  // `<<-`: removes the smallest leading whitespace of the non-blank lines.
  static void flush_indent(std::vector<TemplateItem>& items) {
    size_t min_indent = std::string::npos;
    for (const TemplateItem& it : items) {
      if (!it.line_start) continue;
      if (it.kind != TemplateItem::Kind::kLiteral) {
        min_indent = 0;
        break;
      }
      size_t n = 0;
      while (n < it.text.size() && (it.text[n] == ' ' || it.text[n] == '\t')) ++n;
      bool blank = n == it.text.size() || it.text[n] == '\n' || it.text[n] == '\r';
      if (blank) continue;
      min_indent = std::min(min_indent, n);
    }
    if (min_indent == std::string::npos || min_indent == 0) return;
    for (TemplateItem& it : items) {
      if (!it.line_start || it.kind != TemplateItem::Kind::kLiteral) continue;
      size_t n = 0;
      while (n < it.text.size() && n < min_indent && (it.text[n] == ' ' || it.text[n] == '\t')) {
        ++n;
      }
      it.text.erase(0, n);
    }
  }

  // Merges literals, applies strip markers, builds the if/for structure.
  ExprPtr finish_template(std::vector<TemplateItem>& raw_items, SourceRange range, bool heredoc) {
    std::vector<TemplateItem> items;
    items.reserve(raw_items.size());
    for (TemplateItem& it : raw_items) {
      if (it.kind == TemplateItem::Kind::kLiteral && !items.empty() &&
          items.back().kind == TemplateItem::Kind::kLiteral) {
        items.back().text += it.text;
        items.back().range = SourceRange::between(items.back().range, it.range);
        continue;
      }
      items.push_back(std::move(it));
    }
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind == TemplateItem::Kind::kLiteral) continue;
      if (items[i].strip_before && i > 0 && items[i - 1].kind == TemplateItem::Kind::kLiteral) {
        std::string& s = items[i - 1].text;
        while (!s.empty() && is_template_space(s.back())) s.pop_back();
      }
      if (items[i].strip_after && i + 1 < items.size() &&
          items[i + 1].kind == TemplateItem::Kind::kLiteral) {
        std::string& s = items[i + 1].text;
        size_t n = 0;
        while (n < s.size() && is_template_space(s[n])) ++n;
        s.erase(0, n);
      }
    }
    bool all_literal = true;
    for (const TemplateItem& it : items) {
      if (it.kind != TemplateItem::Kind::kLiteral) all_literal = false;
    }
    if (all_literal) {
      std::string text;
      for (TemplateItem& it : items) text += it.text;
      return make_expr(LiteralExpr{Value::string(std::move(text))}, std::move(range));
    }
    TemplateExpr tmpl;
    tmpl.heredoc = heredoc;
    size_t i = 0;
    TemplateItem::Kind end = build_parts(items, i, tmpl.parts, 0);
    if (failed_) return error_expr(range.start);
    if (i < items.size()) {
      const char* word = end == TemplateItem::Kind::kElse    ? "else"
                         : end == TemplateItem::Kind::kEndif ? "endif"
                                                             : "endfor";
      diags_.error(items[i].range, fmt::format("Unexpected \"{}\" directive", word),
                   fmt::format("There is no {} directive that this \"{}\" belongs to.",
                               end == TemplateItem::Kind::kEndfor ? "\"for\"" : "\"if\"", word));
      return error_expr(range.start);
    }
    return make_expr(std::move(tmpl), std::move(range));
  }

  // Builds parts from items[i...] until an else/endif/endfor (not consumed) or
  // the end; returns the kind that stopped it (kLiteral for the end).
  TemplateItem::Kind build_parts(std::vector<TemplateItem>& items, size_t& i, TemplateParts& out,
                                 int level) {
    if (level > kMaxDepth) {
      diags_.error(items[i > 0 ? i - 1 : 0].range, "Nesting too deep",
                   fmt::format("Template directives may nest at most {} levels deep.", kMaxDepth));
      failed_ = true;
      return TemplateItem::Kind::kLiteral;
    }
    while (i < items.size() && !failed_) {
      TemplateItem& it = items[i];
      switch (it.kind) {
        case TemplateItem::Kind::kLiteral:
          if (!it.text.empty()) {
            out.push_back(TemplatePart{TemplateLiteral{std::move(it.text)}, it.range});
          }
          ++i;
          break;
        case TemplateItem::Kind::kInterp:
          out.push_back(TemplatePart{
              TemplateInterpolation{std::move(it.expr), std::move(it.source)}, it.range});
          ++i;
          break;
        case TemplateItem::Kind::kIf: {
          TemplateIf node;
          node.condition = std::move(it.expr);
          SourceRange start = it.range;
          ++i;
          TemplateItem::Kind end = build_parts(items, i, node.then_parts, level + 1);
          if (end == TemplateItem::Kind::kElse) {
            ++i;
            end = build_parts(items, i, node.else_parts, level + 1);
          }
          if (failed_) return end;
          if (end != TemplateItem::Kind::kEndif) {
            diags_.error(start, "Unterminated template directive",
                         "The \"if\" directive has no matching \"endif\".");
            failed_ = true;
            return end;
          }
          SourceRange whole = SourceRange::between(start, items[i].range);
          ++i;
          out.push_back(TemplatePart{std::move(node), std::move(whole)});
          break;
        }
        case TemplateItem::Kind::kFor: {
          TemplateFor node;
          node.key_var = std::move(it.key_var);
          node.value_var = std::move(it.value_var);
          node.collection = std::move(it.expr);
          SourceRange start = it.range;
          ++i;
          TemplateItem::Kind end = build_parts(items, i, node.body, level + 1);
          if (failed_) return end;
          if (end != TemplateItem::Kind::kEndfor) {
            diags_.error(start, "Unterminated template directive",
                         "The \"for\" directive has no matching \"endfor\".");
            failed_ = true;
            return end;
          }
          SourceRange whole = SourceRange::between(start, items[i].range);
          ++i;
          out.push_back(TemplatePart{std::move(node), std::move(whole)});
          break;
        }
        default:
          return it.kind;
      }
    }
    return TemplateItem::Kind::kLiteral;
  }

  const std::vector<Token>& toks_;
  std::string_view src_;
  std::shared_ptr<const std::string> filename_;
  Diagnostics& diags_;
  size_t pos_ = 0;
  SourcePos last_end_;
  std::vector<bool> newline_significant_;
  int depth_ = 0;
  bool failed_ = false;   // the current body item has a syntax error
  bool aborted_ = false;  // nesting limit passed: stop parsing
};

}  // namespace

std::unique_ptr<File> parse_file(std::string source, std::string filename, Diagnostics& diags) {
  auto file = std::make_unique<File>();
  file->filename = std::make_shared<const std::string>(std::move(filename));
  file->source = std::move(source);
  std::vector<Token> tokens = lex(file->source);
  Parser parser(tokens, file->source, file->filename, diags);
  parser.parse_file_body(file->body);
  return file;
}

ExprPtr parse_expression(std::string_view source, std::string filename, Diagnostics& diags) {
  auto name = std::make_shared<const std::string>(std::move(filename));
  std::vector<Token> tokens = lex(source);
  Parser parser(tokens, source, name, diags);
  return parser.parse_standalone_expression();
}

}  // namespace caravan::hcl
