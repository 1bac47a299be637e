// Middlewares: what a matched route does to a request before it goes upstream
// (internal rewrites, header changes) or instead of going upstream (redirects).
// Built by the tag parsers (Traefik middlewares, Fabio options) and the ingress
// file; applied in order by the CatalogDirector per request. URL rewrites change
// only the path: the query string is kept.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "proxy/director.h"

namespace re2 {
class RE2;
}

namespace caravan::proxy {

// Traefik stripPrefix: removes the first listed prefix the path starts with and
// sets X-Forwarded-Prefix to it; the result always starts with "/".
struct StripPrefix {
  std::vector<std::string> prefixes;
};

// Traefik addPrefix / Fabio prepend=: the path becomes prefix + path.
struct AddPrefix {
  std::string prefix;
};

// Traefik replacePathRegex: every match of `regex` in the path is replaced
// (`$1`/`${1}`/`${name}` refer to groups); X-Replaced-Path keeps the original.
// Transparent to the client.
struct ReplacePathRegex {
  std::shared_ptr<const re2::RE2> regex;
  std::string rewrite;      // already in RE2 form (\1)
  std::string replacement;  // as written, for display
};

// Consul prefix_rewrite: replaces `prefix` at the start of the path with `with`
// (one slash where they meet: "/app" → "/" turns "/app/x" into "/x").
struct ReplacePrefix {
  std::string prefix;
  std::string with;
};

// Traefik redirectRegex: when `regex` matches the full request URL
// (scheme://host[:port]/path?query), redirects to the replacement. 302 (307
// for methods other than GET/HEAD), or 301 (308) when permanent. When the
// regex does not match, the request goes on unchanged.
struct RedirectRegex {
  std::shared_ptr<const re2::RE2> regex;
  std::string rewrite;
  std::string replacement;
  bool permanent = false;
};

// Traefik redirectScheme: redirects to `scheme`://host[:port]/path?query unless
// the request already uses that scheme. Status codes as RedirectRegex.
struct RedirectScheme {
  std::string scheme = "https";
  std::string port;  // empty: none (default port of the scheme)
  bool permanent = false;
};

// Fabio redirect=<code>,<url>: always redirects; "$path" in the URL is the
// request path; the request's query is appended when the URL has none.
struct RedirectTo {
  int status = 301;
  std::string url;
};

// Header changes: Traefik headers.customrequestheaders / customresponseheaders
// (empty value = remove) and the ingress file's request_headers /
// response_headers.
struct HeaderRules {
  std::vector<HeaderField> set_request;
  std::vector<std::string> remove_request;
  std::vector<HeaderField> set_response;  // replaces any field of that name
  std::vector<HeaderField> add_response;  // appended
  std::vector<std::string> remove_response;
};

// Fabio host=: the Host header the upstream sees; `to_destination` uses the
// chosen endpoint's address:port (Fabio's host=dst).
struct SetHost {
  bool to_destination = false;
  std::string host;
};

using Middleware = std::variant<StripPrefix, AddPrefix, ReplacePathRegex, ReplacePrefix,
                                RedirectRegex, RedirectScheme, RedirectTo, HeaderRules, SetHost>;

// Builders that compile regexes and convert Go-style replacements ($1, ${1},
// ${name}); InvalidArgument names the bad pattern.
Result<ReplacePathRegex> make_replace_path_regex(const std::string& regex,
                                                 const std::string& replacement);
Result<RedirectRegex> make_redirect_regex(const std::string& regex, const std::string& replacement,
                                          bool permanent);

// A one-line description ("stripprefix /a,/b"), for /routes.
std::string describe_middleware(const Middleware& m);

// The state of one request while middlewares run over it.
struct RewriteState {
  std::string method;
  std::string scheme;       // "http" or "https" (how the client connected)
  std::string host_header;  // as sent, with port
  std::string path;
  std::string query;                 // without '?'
  bool host_to_destination = false;  // set by SetHost{to_destination}
  Forward* forward = nullptr;        // header changes are appended here

  std::string target() const { return query.empty() ? path : path + "?" + query; }
};

// Applies `middlewares` in order. Returns a redirect when one fires (the rest
// are skipped), otherwise nullopt with `state` rewritten.
std::optional<LocalResponse> apply_middlewares(const std::vector<Middleware>& middlewares,
                                               RewriteState& state);

}  // namespace caravan::proxy
