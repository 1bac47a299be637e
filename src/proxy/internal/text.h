// Small text helpers shared by the routing code (rules, tags, middlewares):
// ASCII case folding, prefix tests, percent-decoding, IP/CIDR parsing.
// Private to caravan_proxy.
#pragma once

#include "core/strings.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::proxy::internal {

using ::caravan::iequals;
using ::caravan::to_lower;
bool istarts_with(std::string_view s, std::string_view prefix);

// Decodes %XX escapes and, when `plus_is_space`, '+' (query strings). Malformed
// escapes are kept verbatim.
std::string percent_decode(std::string_view s, bool plus_is_space);

// The decoded (key, value) pairs of a query string "a=1&b&c=%20".
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped into ::ffff:0:0/96).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
};
std::optional<IpAddress> parse_ip(std::string_view text);

// "10.0.0.0/8", "::1", "192.168.1.7" (a bare address is a /32 or /128).
struct CidrRange {
  IpAddress base;
  int prefix_bits = 128;  // over the 16-byte form
  bool contains(const IpAddress& ip) const;
};
std::optional<CidrRange> parse_cidr(std::string_view text);

// Lower-case hex of the first `bytes` bytes of SHA-256(text).
std::string sha256_hex(std::string_view text, size_t bytes);

// Parses a decimal integer that must fill the whole text.
std::optional<long long> parse_int(std::string_view text);

}  // namespace caravan::proxy::internal
