#include "proxy/rule_expr.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <tuple>

#include "core/strings.h"
#include "proxy/internal/text.h"

namespace caravan::proxy {
namespace {

using internal::iequals;
using internal::to_lower;
using Kind = RuleNode::Kind;

struct MatcherInfo {
  std::string_view name;
  Kind kind;
  int min_args;
  int max_args;  // -1 = any
};

constexpr MatcherInfo kMatchers[] = {
    {"Host", Kind::kHost, 1, -1},
    {"HostRegexp", Kind::kHostRegexp, 1, 1},
    {"Path", Kind::kPath, 1, -1},
    {"PathPrefix", Kind::kPathPrefix, 1, -1},
    {"PathRegexp", Kind::kPathRegexp, 1, 1},
    {"Header", Kind::kHeader, 2, 2},
    {"HeaderRegexp", Kind::kHeaderRegexp, 2, 2},
    {"Method", Kind::kMethod, 1, -1},
    {"Query", Kind::kQuery, 1, 2},
    {"QueryRegexp", Kind::kQueryRegexp, 2, 2},
    {"ClientIP", Kind::kClientIP, 1, -1},
};

const MatcherInfo* find_matcher(std::string_view name) {
  for (const MatcherInfo& m : kMatchers) {
    if (m.name == name) return &m;
  }
  // Traefik's matcher names are case-sensitive, but a wrong case is an easy
  // slip; accept it (Traefik v2 accepted `HOST` too).
  for (const MatcherInfo& m : kMatchers) {
    if (iequals(m.name, name)) return &m;
  }
  return nullptr;
}

enum class Tok { kIdent, kString, kLParen, kRParen, kComma, kAnd, kOr, kNot, kEnd };

struct Token {
  Tok kind;
  std::string text;
  size_t pos;  // 0-based byte offset
};

class RuleParser {
 public:
  explicit RuleParser(std::string_view text) : text_(text) {}

  Result<RuleConstSharedPtr> parse() {
    CARAVAN_RETURN_IF_ERROR(tokenize());
    if (tokens_.size() == 1)
      return error(0, "the rule is empty; write a matcher such as Host(`example.com`)");
    auto node = CARAVAN_TRY(parse_or());
    if (peek().kind != Tok::kEnd) {
      return error(peek().pos, "unexpected " + describe(peek()) + "; join matchers with && or ||");
    }
    return node;
  }

 private:
  Status error(size_t pos, const std::string& message) const {
    return invalid_argument("rule \"" + std::string(text_) + "\": column " +
                            std::to_string(pos + 1) + ": " + message);
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::kIdent:
        return "\"" + t.text + "\"";
      case Tok::kString:
        return "string \"" + t.text + "\"";
      case Tok::kLParen:
        return "\"(\"";
      case Tok::kRParen:
        return "\")\"";
      case Tok::kComma:
        return "\",\"";
      case Tok::kAnd:
        return "\"&&\"";
      case Tok::kOr:
        return "\"||\"";
      case Tok::kNot:
        return "\"!\"";
      case Tok::kEnd:
        return "end of rule";
    }
    return "token";
  }

  Status tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (std::isalpha(static_cast<unsigned char>(c))) {
        size_t start = i;
        while (i < text_.size() && std::isalnum(static_cast<unsigned char>(text_[i]))) ++i;
        tokens_.push_back({Tok::kIdent, std::string(text_.substr(start, i - start)), start});
      } else if (c == '`') {
        size_t end = text_.find('`', i + 1);
        if (end == std::string_view::npos)
          return error(i, "unterminated string: add the closing `");
        tokens_.push_back({Tok::kString, std::string(text_.substr(i + 1, end - i - 1)), i});
        i = end + 1;
      } else if (c == '"') {
        size_t start = i;
        std::string value;
        ++i;
        bool closed = false;
        while (i < text_.size()) {
          if (text_[i] == '\\' && i + 1 < text_.size()) {
            value.push_back(text_[i + 1]);
            i += 2;
          } else if (text_[i] == '"') {
            closed = true;
            ++i;
            break;
          } else {
            value.push_back(text_[i++]);
          }
        }
        if (!closed) return error(start, "unterminated string: add the closing \"");
        tokens_.push_back({Tok::kString, std::move(value), start});
      } else if (c == '(') {
        tokens_.push_back({Tok::kLParen, "(", i++});
      } else if (c == ')') {
        tokens_.push_back({Tok::kRParen, ")", i++});
      } else if (c == ',') {
        tokens_.push_back({Tok::kComma, ",", i++});
      } else if (c == '!') {
        tokens_.push_back({Tok::kNot, "!", i++});
      } else if (c == '&' && i + 1 < text_.size() && text_[i + 1] == '&') {
        tokens_.push_back({Tok::kAnd, "&&", i});
        i += 2;
      } else if (c == '|' && i + 1 < text_.size() && text_[i + 1] == '|') {
        tokens_.push_back({Tok::kOr, "||", i});
        i += 2;
      } else {
        return error(i, std::string("unexpected character '") + c +
                            "'; operators are &&, || and !, arguments go in backticks");
      }
    }
    tokens_.push_back({Tok::kEnd, "", text_.size()});
    return Status::ok();
  }

  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }

  Result<RuleConstSharedPtr> parse_or() {
    auto first = CARAVAN_TRY(parse_and());
    if (peek().kind != Tok::kOr) return first;
    auto node = std::make_shared<RuleNode>();
    node->kind = Kind::kOr;
    node->children.push_back(std::move(first));
    while (peek().kind == Tok::kOr) {
      next();
      node->children.push_back(CARAVAN_TRY(parse_and()));
    }
    return RuleConstSharedPtr(std::move(node));
  }

  Result<RuleConstSharedPtr> parse_and() {
    auto first = CARAVAN_TRY(parse_unary());
    if (peek().kind != Tok::kAnd) return first;
    auto node = std::make_shared<RuleNode>();
    node->kind = Kind::kAnd;
    node->children.push_back(std::move(first));
    while (peek().kind == Tok::kAnd) {
      next();
      node->children.push_back(CARAVAN_TRY(parse_unary()));
    }
    return RuleConstSharedPtr(std::move(node));
  }

  Result<RuleConstSharedPtr> parse_unary() {
    if (++depth_ > 100) return error(peek().pos, "the rule nests too deeply");
    struct DepthGuard {
      int& d;
      ~DepthGuard() { --d; }
    } guard{depth_};
    const Token& t = peek();
    if (t.kind == Tok::kNot) {
      next();
      auto node = std::make_shared<RuleNode>();
      node->kind = Kind::kNot;
      node->children.push_back(CARAVAN_TRY(parse_unary()));
      return RuleConstSharedPtr(std::move(node));
    }
    if (t.kind == Tok::kLParen) {
      size_t open = t.pos;
      next();
      auto inner = CARAVAN_TRY(parse_or());
      if (peek().kind != Tok::kRParen) {
        return error(peek().pos, "expected \")\" to close the \"(\" at column " +
                                     std::to_string(open + 1) + ", found " + describe(peek()));
      }
      next();
      return inner;
    }
    if (t.kind == Tok::kIdent) return parse_call();
    return error(t.pos, "expected a matcher such as Host(`example.com`), found " + describe(t));
  }

  Result<RuleConstSharedPtr> parse_call() {
    Token name = next();
    const MatcherInfo* info = find_matcher(name.text);
    if (info == nullptr) {
      std::vector<std::string> names;
      for (const MatcherInfo& m : kMatchers) names.emplace_back(m.name);
      std::string hint = suggest_name(name.text, names);
      return error(name.pos, "unknown matcher \"" + name.text + "\"" +
                                 (hint.empty() ? "; known: " + join(names, ", ")
                                               : "; did you mean \"" + hint + "\"?"));
    }
    if (peek().kind != Tok::kLParen) {
      return error(peek().pos, "expected \"(\" after " + name.text + ", found " + describe(peek()));
    }
    next();
    auto node = std::make_shared<RuleNode>();
    node->kind = info->kind;
    if (peek().kind != Tok::kRParen) {
      while (true) {
        const Token& arg = peek();
        if (arg.kind != Tok::kString) {
          return error(arg.pos, "expected an argument in backticks, found " + describe(arg));
        }
        node->args.push_back(arg.text);
        next();
        if (peek().kind == Tok::kComma) {
          next();
          continue;
        }
        if (peek().kind == Tok::kRParen) break;
        return error(peek().pos, "expected \",\" or \")\" in " + name.text + "(...), found " +
                                     describe(peek()));
      }
    }
    next();  // ')'
    int n = static_cast<int>(node->args.size());
    if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
      std::string want = info->min_args == info->max_args ? std::to_string(info->min_args)
                         : info->max_args < 0 ? "at least " + std::to_string(info->min_args)
                                              : std::to_string(info->min_args) + " or " +
                                                    std::to_string(info->max_args);
      return error(name.pos, std::string(info->name) + " takes " + want + " argument(s), got " +
                                 std::to_string(n));
    }
    CARAVAN_RETURN_IF_ERROR(finish_leaf(*node, name.pos));
    return RuleConstSharedPtr(std::move(node));
  }

  Status finish_leaf(RuleNode& node, size_t pos) {
    switch (node.kind) {
      case Kind::kHost:
        for (std::string& h : node.args) {
          h = to_lower(h);
          if (h.empty()) return error(pos, "Host(``) needs a host name");
        }
        return Status::ok();
      case Kind::kPath:
      case Kind::kPathPrefix:
        for (const std::string& p : node.args) {
          if (p.empty() || p.front() != '/') {
            return error(pos, "a path must start with \"/\", got \"" + p + "\"");
          }
        }
        return Status::ok();
      case Kind::kMethod:
        for (std::string& m : node.args) {
          for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        return Status::ok();
      case Kind::kHostRegexp:
      case Kind::kPathRegexp:
      case Kind::kHeaderRegexp:
      case Kind::kQueryRegexp: {
        const std::string& pattern = node.args.back();
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_shared<RE2>(pattern, options);
        if (!re->ok()) {
          return error(pos, "invalid regular expression \"" + pattern + "\": " + re->error());
        }
        node.regex = std::move(re);
        return Status::ok();
      }
      case Kind::kClientIP:
        for (const std::string& a : node.args) {
          std::optional<internal::CidrRange> range = internal::parse_cidr(a);
          if (!range) {
            return error(
                pos, "ClientIP needs an IP address or CIDR range such as `10.0.0.0/8`, got \"" + a +
                         "\"");
          }
          node.ranges.emplace_back(range->base.bytes, range->prefix_bits);
        }
        return Status::ok();
      default:
        return Status::ok();
    }
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool host_matches(std::string_view pattern, std::string_view host) {
  if (pattern == "*") return true;
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    std::string_view suffix = pattern.substr(1);  // ".example.com"
    return host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix;
  }
  return pattern == host;
}

bool header_any(const RequestHead& head, std::string_view name,
                const std::function<bool(std::string_view)>& pred) {
  for (const HeaderField& f : head.headers) {
    if (iequals(f.name, name) && pred(f.value)) return true;
  }
  return false;
}

}  // namespace

MatchInput::MatchInput(const RequestHead& h, const ClientInfo& c) : head(h), client(c) {
  host = head.host();
  if (host.empty()) host = to_lower(client.sni);
}

Result<RuleConstSharedPtr> parse_rule(std::string_view text) { return RuleParser(text).parse(); }

bool rule_matches(const RuleNode& rule, const MatchInput& in) {
  switch (rule.kind) {
    case Kind::kAnd:
      return std::all_of(rule.children.begin(), rule.children.end(),
                         [&](const RuleConstSharedPtr& c) { return rule_matches(*c, in); });
    case Kind::kOr:
      return std::any_of(rule.children.begin(), rule.children.end(),
                         [&](const RuleConstSharedPtr& c) { return rule_matches(*c, in); });
    case Kind::kNot:
      return !rule_matches(*rule.children.front(), in);
    case Kind::kHost:
      return std::any_of(rule.args.begin(), rule.args.end(),
                         [&](const std::string& h) { return host_matches(h, in.host); });
    case Kind::kHostRegexp:
      return RE2::PartialMatch(in.host, *rule.regex);
    case Kind::kPath:
      return std::find(rule.args.begin(), rule.args.end(), in.head.path()) != rule.args.end();
    case Kind::kPathPrefix: {
      std::string_view path = in.head.path();
      return std::any_of(rule.args.begin(), rule.args.end(),
                         [&](const std::string& p) { return path.substr(0, p.size()) == p; });
    }
    case Kind::kPathRegexp: {
      std::string_view path = in.head.path();
      return RE2::PartialMatch(re2::StringPiece(path.data(), path.size()), *rule.regex);
    }
    case Kind::kHeader:
      return header_any(in.head, rule.args[0],
                        [&](std::string_view v) { return v == rule.args[1]; });
    case Kind::kHeaderRegexp:
      return header_any(in.head, rule.args[0], [&](std::string_view v) {
        return RE2::PartialMatch(re2::StringPiece(v.data(), v.size()), *rule.regex);
      });
    case Kind::kMethod:
      return std::find(rule.args.begin(), rule.args.end(), in.head.method) != rule.args.end();
    case Kind::kQuery:
    case Kind::kQueryRegexp:
      for (const auto& [key, value] : internal::parse_query(in.head.query())) {
        if (key != rule.args[0]) continue;
        if (rule.kind == Kind::kQuery && (rule.args.size() == 1 || value == rule.args[1]))
          return true;
        if (rule.kind == Kind::kQueryRegexp && RE2::PartialMatch(value, *rule.regex)) return true;
      }
      return false;
    case Kind::kClientIP: {
      std::optional<internal::IpAddress> ip = internal::parse_ip(in.client.ip);
      if (!ip) return false;
      for (const auto& [bytes, bits] : rule.ranges) {
        internal::CidrRange range{internal::IpAddress{bytes}, bits};
        if (range.contains(*ip)) return true;
      }
      return false;
    }
  }
  return false;
}

RuleConstSharedPtr rule_host(std::vector<std::string> hosts) {
  auto node = std::make_shared<RuleNode>();
  node->kind = Kind::kHost;
  for (std::string& h : hosts) h = to_lower(h);
  node->args = std::move(hosts);
  return node;
}

RuleConstSharedPtr rule_path_prefix(std::string prefix) {
  auto node = std::make_shared<RuleNode>();
  node->kind = Kind::kPathPrefix;
  node->args.push_back(std::move(prefix));
  return node;
}

RuleConstSharedPtr rule_and(std::vector<RuleConstSharedPtr> children) {
  if (children.size() == 1) return children.front();
  auto node = std::make_shared<RuleNode>();
  node->kind = Kind::kAnd;
  node->children = std::move(children);
  return node;
}

RuleConstSharedPtr rule_match_all() { return rule_and({}); }

std::string rule_to_string(const RuleNode& rule) {
  auto joined = [&](std::string_view sep) {
    std::string out;
    for (size_t i = 0; i < rule.children.size(); ++i) {
      if (i > 0) out += sep;
      const RuleNode& c = *rule.children[i];
      bool paren = (c.kind == Kind::kAnd || c.kind == Kind::kOr) && c.children.size() > 1;
      out += paren ? "(" + rule_to_string(c) + ")" : rule_to_string(c);
    }
    return out;
  };
  switch (rule.kind) {
    case Kind::kAnd:
      return rule.children.empty() ? "PathPrefix(`/`)" : joined(" && ");
    case Kind::kOr:
      return joined(" || ");
    case Kind::kNot: {
      const RuleNode& c = *rule.children.front();
      bool paren = (c.kind == Kind::kAnd || c.kind == Kind::kOr) && c.children.size() > 1;
      return "!" + (paren ? "(" + rule_to_string(c) + ")" : rule_to_string(c));
    }
    default:
      break;
  }
  std::string name;
  for (const MatcherInfo& m : kMatchers) {
    if (m.kind == rule.kind) name = m.name;
  }
  std::string out = name + "(";
  for (size_t i = 0; i < rule.args.size(); ++i) {
    if (i > 0) out += ", ";
    const std::string& arg = rule.args[i];
    if (arg.find('`') == std::string::npos) {
      out += "`" + arg + "`";
      continue;
    }
    // A backtick inside: double quotes with backslash escapes.
    out += '"';
    for (char c : arg) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + ")";
}

RuleSpecificity rule_specificity(const RuleNode& rule) {
  RuleSpecificity s;
  switch (rule.kind) {
    case Kind::kAnd:
      for (const RuleConstSharedPtr& c : rule.children) {
        RuleSpecificity cs = rule_specificity(*c);
        if (std::tie(cs.host_rank, cs.host_length) > std::tie(s.host_rank, s.host_length)) {
          s.host_rank = cs.host_rank;
          s.host_length = cs.host_length;
        }
        s.path_length = std::max(s.path_length, cs.path_length);
      }
      return s;
    case Kind::kOr: {
      bool first = true;
      for (const RuleConstSharedPtr& c : rule.children) {
        RuleSpecificity cs = rule_specificity(*c);
        if (first) {
          s = cs;
          first = false;
          continue;
        }
        if (std::tie(cs.host_rank, cs.host_length) < std::tie(s.host_rank, s.host_length)) {
          s.host_rank = cs.host_rank;
          s.host_length = cs.host_length;
        }
        s.path_length = std::min(s.path_length, cs.path_length);
      }
      return s;
    }
    case Kind::kHost: {
      bool first = true;
      for (const std::string& h : rule.args) {
        int rank = h == "*" ? 0 : h.rfind("*.", 0) == 0 ? 1 : 2;
        size_t len = rank == 1 ? h.size() - 1 : rank == 0 ? 0 : h.size();
        if (first || std::tie(rank, len) < std::tie(s.host_rank, s.host_length)) {
          s.host_rank = rank;
          s.host_length = len;
          first = false;
        }
      }
      return s;
    }
    case Kind::kHostRegexp:
      s.host_rank = 1;
      s.host_length = rule.args.front().size();
      return s;
    case Kind::kPath:
    case Kind::kPathPrefix: {
      size_t shortest = std::string::npos;
      for (const std::string& p : rule.args) shortest = std::min(shortest, p.size());
      s.path_length = 2 * shortest + (rule.kind == Kind::kPath ? 1 : 0);
      return s;
    }
    case Kind::kPathRegexp:
      s.path_length = 1;
      return s;
    default:
      return s;
  }
}

}  // namespace caravan::proxy
