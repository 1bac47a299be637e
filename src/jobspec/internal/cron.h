// Syntax check of the cron expressions of a `periodic` block, as Nomad's cron
// library accepts them: 5 fields (minute hour day-of-month month day-of-week),
// 6 (… year) or 7 (second … year), names (JAN, MON), `*`, `?`, ranges, steps,
// lists, `L`, `W`, `#`, and the @yearly/@monthly/@weekly/@daily/@hourly macros.
#pragma once

#include <string>
#include <string_view>

namespace caravan::jobspec::internal {

// "" when `spec` is a valid expression, else why not (e.g. `minute value 61
// is out of range 0-59`).
std::string check_cron(std::string_view spec);

}  // namespace caravan::jobspec::internal
