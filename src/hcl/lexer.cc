#include "hcl/lexer.h"
#include "core/strings.h"

#include <fmt/format.h>

namespace caravan::hcl {

const char* token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::kIdent:
      return "identifier";
    case TokenKind::kNumber:
      return "number";
    case TokenKind::kOQuote:
      return "opening quote";
    case TokenKind::kCQuote:
      return "closing quote";
    case TokenKind::kQuotedLit:
      return "string literal";
    case TokenKind::kOHeredoc:
      return "heredoc introducer";
    case TokenKind::kCHeredoc:
      return "heredoc end marker";
    case TokenKind::kStringLit:
      return "string literal";
    case TokenKind::kTemplateInterp:
      return "\"${\"";
    case TokenKind::kTemplateControl:
      return "\"%{\"";
    case TokenKind::kTemplateSeqEnd:
      return "\"}\"";
    case TokenKind::kLBrace:
      return "\"{\"";
    case TokenKind::kRBrace:
      return "\"}\"";
    case TokenKind::kLBrack:
      return "\"[\"";
    case TokenKind::kRBrack:
      return "\"]\"";
    case TokenKind::kLParen:
      return "\"(\"";
    case TokenKind::kRParen:
      return "\")\"";
    case TokenKind::kComma:
      return "\",\"";
    case TokenKind::kDot:
      return "\".\"";
    case TokenKind::kEllipsis:
      return "\"...\"";
    case TokenKind::kColon:
      return "\":\"";
    case TokenKind::kQuestion:
      return "\"?\"";
    case TokenKind::kAssign:
      return "\"=\"";
    case TokenKind::kFatArrow:
      return "\"=>\"";
    case TokenKind::kPlus:
      return "\"+\"";
    case TokenKind::kMinus:
      return "\"-\"";
    case TokenKind::kStar:
      return "\"*\"";
    case TokenKind::kSlash:
      return "\"/\"";
    case TokenKind::kPercent:
      return "\"%\"";
    case TokenKind::kBang:
      return "\"!\"";
    case TokenKind::kAnd:
      return "\"&&\"";
    case TokenKind::kOr:
      return "\"||\"";
    case TokenKind::kEqualOp:
      return "\"==\"";
    case TokenKind::kNotEqual:
      return "\"!=\"";
    case TokenKind::kLess:
      return "\"<\"";
    case TokenKind::kLessEqual:
      return "\"<=\"";
    case TokenKind::kGreater:
      return "\">\"";
    case TokenKind::kGreaterEqual:
      return "\">=\"";
    case TokenKind::kComment:
      return "comment";
    case TokenKind::kNewline:
      return "newline";
    case TokenKind::kEof:
      return "end of file";
    case TokenKind::kInvalid:
      return "invalid character";
  }
  return "token";
}

namespace {

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Length of the well-formed UTF-8 sequence starting at `s[i]`, or 0.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

enum class Frame : uint8_t { kBrace, kBrack, kParen, kInterp, kQuoted, kHeredoc };

struct FrameEntry {
  Frame frame;
  bool flush = false;
  std::string_view marker;  // heredoc only
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) { tokens_.reserve(src.size() / 3 + 8); }

  std::vector<Token> run() {
    while (pos_ < src_.size()) {
      if (stack_.empty()) {
        scan_normal();
        continue;
      }
      switch (stack_.back().frame) {
        case Frame::kQuoted:
          scan_quoted();
          break;
        case Frame::kHeredoc:
          scan_heredoc();
          break;
        default:
          scan_normal();
          break;
      }
    }
    Token eof;
    eof.kind = TokenKind::kEof;
    eof.depth = static_cast<int>(stack_.size());
    eof.start = here();
    eof.end = here();
    eof.text = src_.substr(src_.size());
    tokens_.push_back(eof);
    return std::move(tokens_);
  }

 private:
  SourcePos here() const { return SourcePos{line_, column_, static_cast<int>(pos_)}; }
  char at(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  // Moves over `n` bytes, keeping line and column (in code points) current.
  void advance(size_t n) {
    size_t end = std::min(src_.size(), pos_ + n);
    for (; pos_ < end; ++pos_) {
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == '\n') {
        ++line_;
        column_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column_;
      }
    }
  }

  // Emits a token made of the next `n` bytes.
  Token& emit(TokenKind kind, size_t n, bool flag = false) {
    Token t;
    t.kind = kind;
    t.flag = flag;
    t.depth = static_cast<int>(stack_.size());
    t.start = here();
    size_t begin = pos_;
    advance(n);
    t.end = here();
    t.text = src_.substr(begin, pos_ - begin);
    tokens_.push_back(t);
    return tokens_.back();
  }

  void push(Frame f) { stack_.push_back(FrameEntry{f}); }

  // A closing bracket of kind `f`: pops the frame it closes, when it is on top.
  void pop_if(Frame f) {
    if (!stack_.empty() && stack_.back().frame == f) stack_.pop_back();
  }

  void scan_normal() {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    switch (c) {
      case ' ':
      case '\t':
        advance(1);
        return;
      case '\r':
        if (at(pos_ + 1) == '\n') {
          emit(TokenKind::kNewline, 2);
        } else {
          advance(1);
        }
        return;
      case '\n':
        emit(TokenKind::kNewline, 1);
        return;
      case '#':
        scan_line_comment();
        return;
      case '/':
        if (at(pos_ + 1) == '/') {
          scan_line_comment();
        } else if (at(pos_ + 1) == '*') {
          scan_block_comment();
        } else {
          emit(TokenKind::kSlash, 1);
        }
        return;
      case '"':
        emit(TokenKind::kOQuote, 1);
        push(Frame::kQuoted);
        return;
      case '{':
        emit(TokenKind::kLBrace, 1);
        push(Frame::kBrace);
        return;
      case '}':
        close_brace(1, false);
        return;
      case '~':
        if (at(pos_ + 1) == '}' && innermost_brace_is_interp()) {
          close_brace(2, true);
        } else {
          emit(TokenKind::kInvalid, 1);
        }
        return;
      case '[':
        emit(TokenKind::kLBrack, 1);
        push(Frame::kBrack);
        return;
      case ']':
        pop_if(Frame::kBrack);
        emit(TokenKind::kRBrack, 1);
        return;
      case '(':
        emit(TokenKind::kLParen, 1);
        push(Frame::kParen);
        return;
      case ')':
        pop_if(Frame::kParen);
        emit(TokenKind::kRParen, 1);
        return;
      case ',':
        emit(TokenKind::kComma, 1);
        return;
      case ':':
        emit(TokenKind::kColon, 1);
        return;
      case '?':
        emit(TokenKind::kQuestion, 1);
        return;
      case '+':
        emit(TokenKind::kPlus, 1);
        return;
      case '-':
        emit(TokenKind::kMinus, 1);
        return;
      case '*':
        emit(TokenKind::kStar, 1);
        return;
      case '%':
        emit(TokenKind::kPercent, 1);
        return;
      case '.':
        if (at(pos_ + 1) == '.' && at(pos_ + 2) == '.') {
          emit(TokenKind::kEllipsis, 3);
        } else {
          emit(TokenKind::kDot, 1);
        }
        return;
      case '=':
        if (at(pos_ + 1) == '=') {
          emit(TokenKind::kEqualOp, 2);
        } else if (at(pos_ + 1) == '>') {
          emit(TokenKind::kFatArrow, 2);
        } else {
          emit(TokenKind::kAssign, 1);
        }
        return;
      case '!':
        emit(at(pos_ + 1) == '=' ? TokenKind::kNotEqual : TokenKind::kBang,
             at(pos_ + 1) == '=' ? 2 : 1);
        return;
      case '>':
        emit(at(pos_ + 1) == '=' ? TokenKind::kGreaterEqual : TokenKind::kGreater,
             at(pos_ + 1) == '=' ? 2 : 1);
        return;
      case '<':
        if (at(pos_ + 1) == '<' && try_heredoc()) return;
        emit(at(pos_ + 1) == '=' ? TokenKind::kLessEqual : TokenKind::kLess,
             at(pos_ + 1) == '=' ? 2 : 1);
        return;
      case '&':
        if (at(pos_ + 1) == '&') {
          emit(TokenKind::kAnd, 2);
        } else {
          emit(TokenKind::kInvalid, 1);
        }
        return;
      case '|':
        if (at(pos_ + 1) == '|') {
          emit(TokenKind::kOr, 2);
        } else {
          emit(TokenKind::kInvalid, 1);
        }
        return;
      default:
        break;
    }
    if (is_digit(c)) {
      scan_number();
      return;
    }
    if (is_ident_start(pos_)) {
      size_t end = ident_end(pos_);
      emit(TokenKind::kIdent, end - pos_);
      return;
    }
    size_t len = utf8_sequence_length(src_, pos_);
    emit(TokenKind::kInvalid, len == 0 ? 1 : len);
  }

  bool is_ident_start(size_t i) const {
    unsigned char c = static_cast<unsigned char>(src_[i]);
    if (is_ascii_letter(c) || c == '_') return true;
    return c >= 0x80 && utf8_sequence_length(src_, i) > 1;
  }

  // The end of the identifier starting at `i`: letters, digits, `_`, `-` and
  // any non-ASCII character.
  size_t ident_end(size_t i) const {
    while (i < src_.size()) {
      unsigned char c = static_cast<unsigned char>(src_[i]);
      if (is_ascii_letter(c) || is_digit(c) || c == '_' || c == '-') {
        ++i;
        continue;
      }
      if (c >= 0x80) {
        size_t len = utf8_sequence_length(src_, i);
        if (len > 1) {
          i += len;
          continue;
        }
      }
      break;
    }
    return i;
  }

  void scan_number() {
    size_t i = pos_;
    while (i < src_.size() && is_digit(static_cast<unsigned char>(src_[i]))) ++i;
    if (at(i) == '.' && is_digit(static_cast<unsigned char>(at(i + 1)))) {
      i += 1;
      while (i < src_.size() && is_digit(static_cast<unsigned char>(src_[i]))) ++i;
    }
    if (at(i) == 'e' || at(i) == 'E') {
      size_t j = i + 1;
      if (at(j) == '+' || at(j) == '-') ++j;
      if (is_digit(static_cast<unsigned char>(at(j)))) {
        while (j < src_.size() && is_digit(static_cast<unsigned char>(src_[j]))) ++j;
        i = j;
      }
    }
    emit(TokenKind::kNumber, i - pos_);
  }

  void scan_line_comment() {
    size_t end = src_.find('\n', pos_);
    if (end == std::string_view::npos) end = src_.size();
    if (end > pos_ && src_[end - 1] == '\r') --end;
    emit(TokenKind::kComment, end - pos_);
  }

  void scan_block_comment() {
    size_t end = src_.find("*/", pos_ + 2);
    if (end == std::string_view::npos) {
      // Unterminated: the parser reports it.
      emit(TokenKind::kInvalid, src_.size() - pos_);
      return;
    }
    emit(TokenKind::kComment, end + 2 - pos_);
  }

  // `<<EOF` or `<<-EOF` followed by a newline starts a heredoc.
  bool try_heredoc() {
    size_t i = pos_ + 2;
    bool flush = false;
    if (at(i) == '-') {
      flush = true;
      ++i;
    }
    if (i >= src_.size() || !is_ident_start(i)) return false;
    size_t end = ident_end(i);
    size_t nl = end;
    if (at(nl) == '\r') ++nl;
    if (at(nl) != '\n') return false;
    std::string_view marker = src_.substr(i, end - i);
    emit(TokenKind::kOHeredoc, end - pos_, flush);
    advance(nl + 1 - pos_);  // the newline belongs to the introducer
    stack_.push_back(FrameEntry{Frame::kHeredoc, flush, marker});
    heredoc_line_start_ = true;
    return true;
  }

  bool innermost_brace_is_interp() const {
    for (size_t i = stack_.size(); i-- > 0;) {
      Frame f = stack_[i].frame;
      if (f == Frame::kInterp) return true;
      if (f == Frame::kBrace || f == Frame::kQuoted || f == Frame::kHeredoc) return false;
    }
    return false;
  }

  // A `}` (or `~}`, n == 2): closes the innermost brace or template sequence,
  // dropping unclosed ( and [ inside it.
  void close_brace(size_t n, bool strip) {
    for (size_t i = stack_.size(); i-- > 0;) {
      Frame f = stack_[i].frame;
      if (f == Frame::kQuoted || f == Frame::kHeredoc) break;
      if (f == Frame::kBrace || f == Frame::kInterp) {
        stack_.resize(i);
        if (f == Frame::kInterp) {
          emit(TokenKind::kTemplateSeqEnd, n, strip);
          if (!stack_.empty() && stack_.back().frame == Frame::kHeredoc) {
            heredoc_line_start_ = false;
          }
        } else {
          emit(TokenKind::kRBrace, n);
        }
        return;
      }
    }
    emit(n == 2 ? TokenKind::kInvalid : TokenKind::kRBrace, n);
  }

  // `${`, `${~`, `%{`, `%{~` at pos_: emits the introducer and enters the sequence.
  void begin_sequence() {
    bool strip = at(pos_ + 2) == '~';
    emit(src_[pos_] == '$' ? TokenKind::kTemplateInterp : TokenKind::kTemplateControl,
         strip ? 3 : 2, strip);
    push(Frame::kInterp);
  }

  bool at_sequence_start() const {
    return (src_[pos_] == '$' || src_[pos_] == '%') && at(pos_ + 1) == '{';
  }

  void scan_quoted() {
    char c = src_[pos_];
    if (c == '"') {
      stack_.pop_back();
      emit(TokenKind::kCQuote, 1);
      return;
    }
    if (at_sequence_start()) {
      begin_sequence();
      return;
    }
    if (c == '\n' || (c == '\r' && at(pos_ + 1) == '\n')) {
      // Quoted strings cannot span lines: leave the string (the parser reports
      // it unterminated) and go on scanning the next line as normal syntax.
      stack_.pop_back();
      emit(TokenKind::kNewline, c == '\n' ? 1 : 2);
      return;
    }
    size_t i = pos_;
    while (i < src_.size()) {
      char d = src_[i];
      if (d == '"' || d == '\n' || (d == '\r' && at(i + 1) == '\n')) break;
      if (d == '\\') {
        i += (i + 1 < src_.size() && src_[i + 1] != '\n') ? 2 : 1;
        continue;
      }
      if ((d == '$' || d == '%') && at(i + 1) == '{') break;
      if ((d == '$' || d == '%') && at(i + 1) == d && at(i + 2) == '{') {
        i += 3;
        continue;
      }
      ++i;
    }
    emit(TokenKind::kQuotedLit, i - pos_);
  }

  void scan_heredoc() {
    const FrameEntry& frame = stack_.back();
    if (heredoc_line_start_) {
      // Is this line the closing marker (optionally indented)?
      size_t i = pos_;
      while (at(i) == ' ' || at(i) == '\t') ++i;
      if (src_.compare(i, frame.marker.size(), frame.marker) == 0) {
        size_t end = i + frame.marker.size();
        char after = at(end);
        if (end >= src_.size() || after == '\n' || (after == '\r' && at(end + 1) == '\n')) {
          stack_.pop_back();
          emit(TokenKind::kCHeredoc, end - pos_);
          return;
        }
      }
    }
    if (at_sequence_start()) {
      heredoc_line_start_ = false;
      begin_sequence();
      return;
    }
    size_t i = pos_;
    while (i < src_.size()) {
      char d = src_[i];
      if (d == '\n') {
        ++i;
        break;
      }
      if ((d == '$' || d == '%') && at(i + 1) == '{') break;
      if ((d == '$' || d == '%') && at(i + 1) == d && at(i + 2) == '{') {
        i += 3;
        continue;
      }
      ++i;
    }
    heredoc_line_start_ = src_[i - 1] == '\n';
    emit(TokenKind::kStringLit, i - pos_);
  }

  std::string_view src_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool heredoc_line_start_ = false;
  std::vector<FrameEntry> stack_;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> lex(std::string_view source) { return Lexer(source).run(); }

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decode_quoted_literal(const Token& token,
                                  const std::shared_ptr<const std::string>& filename,
                                  Diagnostics& diags) {
  std::string_view s = token.text;
  std::string out;
  out.reserve(s.size());
  int column = token.start.column;  // column of s[i], kept for diagnostics
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if ((c == '$' || c == '%') && i + 2 < s.size() && s[i + 1] == c && s[i + 2] == '{') {
      out += c;
      out += '{';
      i += 3;
      column += 3;
      continue;
    }
    if (c != '\\') {
      out += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
      ++i;
      continue;
    }
    SourcePos at{token.start.line, column, token.start.byte + static_cast<int>(i)};
    SourceRange where{filename, at, SourcePos{at.line, at.column + 2, at.byte + 2}};
    if (i + 1 >= s.size()) {
      diags.error(where, "Invalid escape sequence",
                  "A backslash must be followed by an escape sequence selector; use \"\\\\\" "
                  "for a literal backslash.");
      break;
    }
    char sel = s[i + 1];
    switch (sel) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case 'u':
      case 'U': {
        size_t digits = sel == 'u' ? 4 : 8;
        char32_t cp = 0;
        bool ok = i + 2 + digits <= s.size();
        for (size_t k = 0; ok && k < digits; ++k) {
          int h = hex_digit_value(s[i + 2 + k]);
          if (h < 0) ok = false;
          cp = (cp << 4) | static_cast<char32_t>(h < 0 ? 0 : h);
        }
        if (!ok) {
          diags.error(where, "Invalid escape sequence",
                      fmt::format("The \\{} escape sequence must be followed by {} "
                                  "hexadecimal digits.",
                                  sel, sel == 'u' ? "four" : "eight"));
          i += 2;
          column += 2;
          continue;
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          diags.error(where, "Invalid escape sequence",
                      fmt::format("The escape sequence \"{}\" does not name a valid Unicode "
                                  "character.",
                                  s.substr(i, 2 + digits)));
        } else {
          append_utf8(out, cp);
        }
        i += 2 + digits;
        column += static_cast<int>(2 + digits);
        continue;
      }
      default:
        diags.error(where, "Invalid escape sequence",
                    fmt::format("The symbol \"{}\" is not a valid escape sequence selector; use "
                                "\"\\\\\" for a literal backslash.",
                                sel));
        out += sel;
        break;
    }
    i += 2;
    column += 2;
  }
  return out;
}

std::string decode_heredoc_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if ((c == '$' || c == '%') && i + 2 < s.size() && s[i + 1] == c && s[i + 2] == '{') {
      out += c;
      out += '{';
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace caravan::hcl
