// URL pieces HTTP needs: percent-decoding of paths and query strings, splitting a
// request target, and parsing the `http://host:port` addresses the CLI and the
// client agent are given. Private to the http library (and its tests).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::http::internal {

// Decodes %XX escapes; with `plus_is_space` also '+' → ' ' (query strings).
// Fails on a truncated or non-hex escape.
Result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Parses "a=1&b=x%20y&flag" into decoded pairs ("flag" gets "").
Result<std::multimap<std::string, std::string, std::less<>>> parse_query(std::string_view query);

// Splits an origin-form target into path and query (without '?'); a '#'
// fragment, which clients must not send, is dropped.
void split_target(std::string_view target, std::string_view& path, std::string_view& query);

// "http://host:port[/]"; the port defaults to 80. https and other schemes are
// rejected with a message that names the address.
struct HttpUrl {
  std::string host;  // without brackets for IPv6 literals
  uint16_t port = 80;
  std::string base;  // normalized "http://host:port", used in error messages
};
Result<HttpUrl> parse_http_url(std::string_view url);

}  // namespace caravan::http::internal
