// `caravan node drain` flags → the body of PUT /v1/node/:id/drain (Nomad's
// shape). Pure: checks that the flags make sense together and says which to
// use when they do not.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace caravan::cli {

struct DrainFlags {
  bool enable = false;
  bool disable = false;
  std::string deadline;  // -deadline, a duration ("1h", "30m"); empty = default 1h
  bool no_deadline = false;
  bool force = false;
  bool ignore_system = false;
  bool keep_ineligible = false;
  bool monitor = false;           // -monitor: only watch a drain already running
  std::string message;            // -m
  std::vector<std::string> meta;  // -meta k=v
};

// {"DrainSpec": {"Deadline": ns, "IgnoreSystemJobs": b} | null,
//  "MarkEligible": b, "Meta": {...}}. -force sends Deadline -1 and
// -no-deadline 0, as Nomad. Errors (InvalidArgument): neither or both of
// -enable/-disable (unless -monitor), conflicting deadline flags, a bad
// duration, a -meta without "=".
Result<nlohmann::json> drain_request_body(const DrainFlags& flags);

}  // namespace caravan::cli
