// Small string helpers shared across libraries: "did you mean" suggestions for
// misspelled names, splitting and joining.
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

}  // namespace caravan
