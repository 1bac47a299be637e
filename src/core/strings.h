// Small string helpers shared across libraries: "did you mean" suggestions for
// misspelled names, splitting and joining, ASCII case folding, hex digits, and
// the reason phrases of HTTP status codes (the API server and the ingress
// engine both write status lines).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace caravan {

// Levenshtein distance between two byte strings.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `name` if it is close enough to be a plausible typo
// (distance at most 1/3 of the length, at least 1), else "". Used for messages
// like: An argument named "cont" is not expected here. Did you mean "count"?
std::string suggest_name(std::string_view name, std::span<const std::string_view> candidates);
std::string suggest_name(std::string_view name, const std::vector<std::string>& candidates);

std::vector<std::string> split(std::string_view text, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string_view trim(std::string_view text);

// ASCII-only case folding, as header names, methods and host names need it
// (inline: the ingress compares header names on its hot path).
inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}
std::string to_lower(std::string_view text);

// The value of a hex digit, or -1.
int hex_digit_value(char c);

// "Not Found" for 404; empty for a code it does not know.
std::string_view http_reason_phrase(int status);

}  // namespace caravan
