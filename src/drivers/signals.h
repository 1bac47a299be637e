// Signal names as job files write them (`kill_signal = "SIGINT"`) and back; the
// task runner turns Task::kill_signal into the number Driver::stop takes.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::drivers {

// Accepts "SIGTERM", "TERM", "sigterm" or a number ("15"); "" gives SIGTERM
// (Nomad's default). Errors: InvalidArgument naming the text.
Result<int> parse_signal(std::string_view name);

// "SIGTERM" for 15; "signal 77" for a number without a name.
std::string signal_name(int sig);

}  // namespace caravan::drivers
