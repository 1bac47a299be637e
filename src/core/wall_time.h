// Wall-clock time as the API and the log show it: nanoseconds since the Unix
// epoch and their RFC 3339 text. Used wherever a timestamp leaves the process
// (task events, drain metadata, deployment health).
#pragma once

#include <cstdint>
#include <string>

namespace caravan {

// Nanoseconds since the Unix epoch, now.
int64_t unix_now_ns();

// RFC 3339 with nanoseconds in UTC ("2024-05-01T10:00:00.123456789Z").
std::string format_rfc3339(int64_t unix_ns);

}  // namespace caravan
