// The template language subset of render_template_text (client/template_render.h):
// Go text/template actions evaluated directly while they are parsed, over string
// values only.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "client/template_render.h"
#include "core/strings.h"

namespace caravan::client {

namespace {

using Env = std::map<std::string, std::string>;

// Why a function exists in consul-template but not here.
std::optional<std::string_view> unsupported_reason(std::string_view name) {
  static constexpr std::string_view kCatalog[] = {
      "key",      "keyOrDefault", "keyExists",   "ls",      "safeLs",       "tree",
      "safeTree", "service",      "services",    "connect", "caRoots",      "caLeaf",
      "node",     "nodes",        "datacenters", "checks",  "nomadService", "nomadServices"};
  static constexpr std::string_view kVault[] = {"secret", "secrets", "pkiCert"};
  static constexpr std::string_view kVariables[] = {"nomadVar", "nomadVarList", "nomadVarListSafe",
                                                    "nomadVarExists"};
  auto in = [&](const auto& list) {
    return std::find(std::begin(list), std::end(list), name) != std::end(list);
  };
  if (in(kCatalog)) return "needs the catalog";
  if (in(kVault)) return "needs Vault";
  if (in(kVariables)) return "needs Nomad variables";
  return std::nullopt;
}

constexpr std::string_view kFunctions[] = {"env", "toUpper", "toLower", "trimSpace"};
constexpr std::string_view kControl[] = {"if",     "else",     "end",   "range", "with",
                                         "define", "template", "block", "break", "continue"};

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Evaluates one action's pipeline: `command ('|' command)*`, where a command is
// a function name with operands or a single operand, and operands are string
// literals, raw strings or parenthesised pipelines.
class ActionEvaluator {
 public:
  ActionEvaluator(std::string_view src, const Env& env) : src_(src), env_(env) {}

  Result<std::string> evaluate() {
    std::string value = CARAVAN_TRY(pipeline());
    skip_space();
    if (pos_ < src_.size()) return error("unexpected \"" + std::string(src_.substr(pos_)) + "\"");
    return value;
  }

 private:
  Result<std::string> pipeline() {
    std::string value = CARAVAN_TRY(command(std::nullopt));
    while (true) {
      skip_space();
      if (pos_ >= src_.size() || src_[pos_] != '|') return value;
      ++pos_;
      value = CARAVAN_TRY(command(std::move(value)));
    }
  }

  Result<std::string> command(std::optional<std::string> piped) {
    skip_space();
    if (pos_ >= src_.size() || src_[pos_] == '|' || src_[pos_] == ')') {
      return error("missing value for command");
    }
    if (!is_ident_start()) {
      if (piped) return error("cannot pipe a value into a literal; pipe into a function");
      return operand();
    }
    size_t start = pos_;
    while (pos_ < src_.size() && is_ident_char(src_[pos_])) ++pos_;
    std::string name(src_.substr(start, pos_ - start));
    CARAVAN_RETURN_IF_ERROR(check_function(name));
    std::vector<std::string> args;
    while (true) {
      skip_space();
      if (pos_ >= src_.size() || src_[pos_] == '|' || src_[pos_] == ')') break;
      args.push_back(CARAVAN_TRY(operand()));
    }
    if (piped) args.push_back(std::move(*piped));
    return call(name, args);
  }

  Result<std::string> operand() {
    skip_space();
    char c = pos_ < src_.size() ? src_[pos_] : '\0';
    if (c == '"') return quoted_string();
    if (c == '`') {
      size_t close = src_.find('`', pos_ + 1);
      if (close == std::string_view::npos) return error("unterminated raw string");
      std::string value(src_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return value;
    }
    if (c == '(') {
      ++pos_;
      std::string value = CARAVAN_TRY(pipeline());
      skip_space();
      if (pos_ >= src_.size() || src_[pos_] != ')') return error("unclosed left paren");
      ++pos_;
      return value;
    }
    if (c == '.' || c == '$') {
      return error("data references such as \"" + std::string(src_.substr(pos_)) +
                   "\" are not supported: templates have no data here; use {{ env \"NAME\" }}");
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      size_t start = pos_++;
      while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      return std::string(src_.substr(start, pos_ - start));
    }
    if (is_ident_start())
      return error("a function call used as an argument must be in parentheses");
    return error(std::string("unexpected \"") + c + "\" in action");
  }

  Result<std::string> quoted_string() {
    std::string out;
    for (++pos_; pos_ < src_.size(); ++pos_) {
      char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++pos_ >= src_.size()) break;
      switch (src_[pos_]) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '\\':
          out += '\\';
          break;
        case '"':
          out += '"';
          break;
        default:
          return error(std::string("unknown escape sequence \\") + src_[pos_] + " in string");
      }
    }
    return error("unterminated quoted string");
  }

  Status check_function(const std::string& name) const {
    if (std::find(std::begin(kFunctions), std::end(kFunctions), name) != std::end(kFunctions)) {
      return Status::ok();
    }
    if (auto reason = unsupported_reason(name)) {
      return error("function \"" + name + "\" is not supported yet (" + std::string(*reason) + ")");
    }
    if (std::find(std::begin(kControl), std::end(kControl), name) != std::end(kControl)) {
      return error("\"" + name +
                   "\" actions are not supported yet; the supported subset is "
                   "env, literals and the toUpper/toLower/trimSpace functions");
    }
    std::string hint = suggest_name(name, kFunctions);
    return error("function \"" + name + "\" not defined" +
                 (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
  }

  Result<std::string> call(const std::string& name, const std::vector<std::string>& args) const {
    if (args.size() != 1) {
      return error("wrong number of args for " + name + ": want 1 got " +
                   std::to_string(args.size()));
    }
    const std::string& arg = args[0];
    if (name == "env") {
      auto it = env_.find(arg);
      return it == env_.end() ? std::string() : it->second;
    }
    if (name == "trimSpace") return std::string(trim(arg));
    std::string out = arg;
    bool upper = name == "toUpper";
    for (char& ch : out) {
      auto u = static_cast<unsigned char>(ch);
      ch = static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
    }
    return out;
  }

  bool is_ident_start() const {
    return pos_ < src_.size() &&
           (std::isalpha(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_');
  }
  void skip_space() {
    while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
  }
  Status error(std::string message) const { return invalid_argument(std::move(message)); }

  std::string_view src_;
  const Env& env_;
  size_t pos_ = 0;
};

// The end of the action starting at `from` (just after the left delimiter): the
// position of the right delimiter outside any string literal, or npos.
size_t find_action_end(std::string_view text, size_t from, std::string_view right) {
  char quote = 0;
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '`') {
      quote = c;
    } else if (text.substr(i, right.size()) == right) {
      return i;
    }
  }
  return std::string_view::npos;
}

size_t line_of(std::string_view text, size_t pos) {
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
}

void trim_right_space(std::string& s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
}

}  // namespace

Result<std::string> render_template_text(std::string_view text, std::string_view left,
                                         std::string_view right, const Env& env) {
  if (left.empty()) left = "{{";
  if (right.empty()) right = "}}";
  std::string out;
  size_t pos = 0;
  bool trim_next = false;
  while (pos <= text.size()) {
    size_t open = text.find(left, pos);
    std::string_view literal = text.substr(pos, open == std::string_view::npos ? open : open - pos);
    if (trim_next) {
      while (!literal.empty() && std::isspace(static_cast<unsigned char>(literal.front()))) {
        literal.remove_prefix(1);
      }
    }
    out.append(literal);
    if (open == std::string_view::npos) break;

    auto fail = [&](const Status& st) {
      return invalid_argument("line " + std::to_string(line_of(text, open)) + ": " + st.message());
    };
    size_t body_start = open + left.size();
    size_t close = find_action_end(text, body_start, right);
    if (close == std::string_view::npos) {
      return fail(invalid_argument("unclosed action: no \"" + std::string(right) + "\""));
    }
    std::string_view body = text.substr(body_start, close - body_start);
    // "{{- " and " -}}" trim the whitespace around the action (Go's rule: the
    // dash must be followed/preceded by a space).
    if (body.size() >= 2 && body[0] == '-' && std::isspace(static_cast<unsigned char>(body[1]))) {
      trim_right_space(out);
      body.remove_prefix(2);
    }
    trim_next = body.size() >= 2 && body.back() == '-' &&
                std::isspace(static_cast<unsigned char>(body[body.size() - 2]));
    if (trim_next) body.remove_suffix(2);
    std::string_view stripped = trim(body);
    if (!(stripped.starts_with("/*") && stripped.ends_with("*/"))) {
      if (stripped.empty()) return fail(invalid_argument("missing value for command"));
      Result<std::string> value = ActionEvaluator(stripped, env).evaluate();
      if (!value.has_value()) return fail(value.error());
      out += *value;
    }
    pos = close + right.size();
  }
  return out;
}

}  // namespace caravan::client
