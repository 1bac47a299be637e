// Route rules: the matcher expressions of Traefik routers
// (``Host(`a.com`) && PathPrefix(`/api`)``) parsed into an immutable tree, also
// built directly for Fabio tags and ingress-file routes, so every route source
// matches requests the same way. Regular expressions use RE2 (linear time).
// Sits inside a route (proxy/route.h); evaluated by the router per request.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "proxy/director.h"

namespace re2 {
class RE2;
}

namespace caravan::proxy {

// What a rule looks at for one request. `host` is the Host header without its
// port, lower-cased, or the TLS SNI when the request has no Host header.
struct MatchInput {
  const RequestHead& head;
  const ClientInfo& client;
  std::string host;

  MatchInput(const RequestHead& h, const ClientInfo& c);
};

struct RuleNode;
using RuleConstSharedPtr = std::shared_ptr<const RuleNode>;

// One node of a rule tree. Leaves are matchers; inner nodes combine them.
struct RuleNode {
  enum class Kind {
    kAnd,
    kOr,
    kNot,
    kHost,          // args: host names, exact or "*.example.com" (any subdomain); lower-cased
    kHostRegexp,    // regex over the lower-cased host (unanchored, as Traefik v3)
    kPath,          // exact path
    kPathPrefix,    // string prefix of the path
    kPathRegexp,    // regex over the path (unanchored)
    kHeader,        // args: name, value (exact value of any field of that name)
    kHeaderRegexp,  // args: name, regex
    kMethod,        // args: methods (case-insensitive)
    kQuery,         // args: key [, value]; one arg = the key is present
    kQueryRegexp,   // args: key, regex
    kClientIP,      // args: IPs or CIDR ranges of the peer address
  };
  Kind kind = Kind::kAnd;
  std::vector<std::string> args;
  std::vector<RuleConstSharedPtr> children;  // kAnd, kOr (2+), kNot (1)
  std::shared_ptr<const re2::RE2> regex;     // the *Regexp kinds
  // kClientIP: the ranges as (16-byte address, prefix bits over 128).
  std::vector<std::pair<std::array<uint8_t, 16>, int>> ranges;
};

// Parses a Traefik v3 rule. Matchers: Host, HostRegexp, Path, PathPrefix,
// PathRegexp, Header, HeaderRegexp, Method, Query, QueryRegexp, ClientIP;
// operators `&&`, `||`, `!` and parentheses (`!` binds tightest, then `&&`,
// then `||`); arguments in backticks or double quotes. Errors are
// InvalidArgument "column N: …" (1-based byte column) and name the fix.
Result<RuleConstSharedPtr> parse_rule(std::string_view text);

// True when the request satisfies the rule. Never fails; thread-safe.
bool rule_matches(const RuleNode& rule, const MatchInput& input);

// Builders for routes that do not come from a Traefik rule.
RuleConstSharedPtr rule_host(std::vector<std::string> hosts);  // lower-cases them
RuleConstSharedPtr rule_path_prefix(std::string prefix);
RuleConstSharedPtr rule_and(std::vector<RuleConstSharedPtr> children);  // empty → matches all
RuleConstSharedPtr rule_match_all();

// The rule in Traefik syntax (backticks), for /routes and messages.
std::string rule_to_string(const RuleNode& rule);

// How specific a rule is, for route precedence (proxy/route_table.h). A
// conjunction takes the most specific of its parts, a disjunction the least;
// a negation says nothing.
struct RuleSpecificity {
  int host_rank = 0;       // 2 exact host, 1 wildcard or regex host, 0 no host condition
  size_t host_length = 0;  // length of the (shortest alternative) host
  size_t path_length = 0;  // 2*len for PathPrefix, 2*len+1 for Path, 1 for PathRegexp
};
RuleSpecificity rule_specificity(const RuleNode& rule);

}  // namespace caravan::proxy
