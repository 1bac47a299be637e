// Go-style durations ("10s", "1h30m", "250ms", "1.5h"), the notation Nomad job
// files and flags use. Parsed into nanoseconds (Nomad's JSON carries durations as
// integer nanoseconds) and formatted back the way Go's time.Duration prints them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan {

using Duration = std::chrono::nanoseconds;

// Parses "300ms", "-1.5h", "2h45m", "0". Units: ns, us (or µs), ms, s, m, h.
// Errors name the offending text, e.g. `invalid duration "10 sec": unknown unit "sec"`.
Result<Duration> parse_duration(std::string_view text);

// Formats as Go does: "1h30m0s", "10s", "250ms", "1.5µs", "0s".
std::string format_duration(Duration d);

}  // namespace caravan
