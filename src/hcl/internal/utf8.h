// UTF-8 helpers for the HCL function library: decoding to code points,
// splitting into user-perceived characters (a base character with its combining
// marks), validity checks and simple Unicode case mapping. Used by substr,
// strrev, length, upper/lower/title, trimspace and format's width handling.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caravan::hcl::internal {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or bytes past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes the code point at s[pos] and advances pos; an invalid byte decodes as
// U+FFFD and advances by one.
char32_t next_code_point(std::string_view s, size_t& pos);

std::vector<char32_t> decode_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t c);
size_t code_point_count(std::string_view s);

// Splits into characters as a reader sees them: a code point followed by any
// combining marks, variation selectors, emoji modifiers and zero-width-joiner
// sequences; "\r\n" is one character. An approximation of Unicode grapheme
// clusters that covers the common cases.
std::vector<std::string_view> split_characters(std::string_view s);

// Simple (one-to-one) case mapping for ASCII, Latin-1, Latin Extended-A,
// Greek, Cyrillic, Armenian and fullwidth Latin; other code points unchanged.
char32_t to_lower(char32_t c);
char32_t to_upper(char32_t c);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Unicode White_Space.
bool is_space(char32_t c);

}  // namespace caravan::hcl::internal
