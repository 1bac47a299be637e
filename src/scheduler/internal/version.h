// Version numbers and version constraints for the `version` and `semver`
// constraint operators: "1.2.3-beta.1+meta" and constraint lists such as
// ">= 1.2, < 3" or "~> 1.4" (the notation of HashiCorp's go-version).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::scheduler::internal {

struct Version {
  std::vector<int64_t> segments;  // always at least 3, padded with zeros
  int specified = 0;              // how many segments the text gave
  std::string prerelease;         // after '-', without build metadata
};

// Parses "1", "1.2", "v1.2.3", "1.2.3-rc.1+build". With `strict` (semver) there
// is no "v" prefix and at most three segments. nullopt when malformed.
std::optional<Version> parse_version(std::string_view text, bool strict);

// <0, 0, >0 by semantic-versioning precedence (build metadata ignored).
int compare_versions(const Version& a, const Version& b);

enum class VersionFlavor {
  kGoVersion,  // `version`: a pre-release only matches constraints on the same release
  kSemver,     // `semver`: pre-releases ordered by plain semver precedence
};

// True when `version` satisfies every comma-separated clause of `constraint`
// (operators =, !=, >, >=, <, <=, ~>; none means =). False when either text is
// malformed.
bool version_satisfies(std::string_view constraint, std::string_view version, VersionFlavor flavor);

}  // namespace caravan::scheduler::internal
