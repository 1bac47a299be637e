#include "http/internal/url.h"

#include <charconv>

#include "core/strings.h"

namespace caravan::http::internal {
Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 1 < text.size() ? hex_digit_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_digit_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return invalid_argument("invalid percent-encoding in \"" + std::string(text) + "\"");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::multimap<std::string, std::string, std::less<>>> parse_query(std::string_view query) {
  std::multimap<std::string, std::string, std::less<>> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    std::string name = CARAVAN_TRY(percent_decode(raw_name, true));
    std::string value = CARAVAN_TRY(percent_decode(raw_value, true));
    params.emplace(std::move(name), std::move(value));
  }
  return params;
}

void split_target(std::string_view target, std::string_view& path, std::string_view& query) {
  size_t hash = target.find('#');
  if (hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  size_t q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

Result<HttpUrl> parse_http_url(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return invalid_argument("invalid address \"" + std::string(url) + "\": " + std::string(why) +
                            " (expected http://host:port, e.g. http://127.0.0.1:4646)");
  };
  constexpr std::string_view kHttp = "http://";
  if (url.starts_with("https://")) {
    return invalid_argument("address \"" + std::string(url) +
                            "\" uses https, which caravan does not support yet; use http://");
  }
  if (!url.starts_with(kHttp)) {
    return bad("missing http:// scheme");
  }
  std::string_view rest = url.substr(kHttp.size());
  while (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return bad("only scheme, host and port are allowed");
  }
  HttpUrl out;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return bad("unterminated IPv6 address");
    }
    out.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return bad("unexpected text after the IPv6 address");
      }
      port_text = after.substr(1);
    }
  } else {
    size_t colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
    }
  }
  if (out.host.empty()) {
    return bad("missing host");
  }
  if (!port_text.empty() || rest.ends_with(':')) {
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
      return bad("invalid port \"" + std::string(port_text) + "\"");
    }
    out.port = static_cast<uint16_t>(port);
  }
  bool v6 = out.host.find(':') != std::string::npos;
  out.base = std::string(kHttp) + (v6 ? "[" + out.host + "]" : out.host) + ":" +
             std::to_string(out.port);
  return out;
}

}  // namespace caravan::http::internal
