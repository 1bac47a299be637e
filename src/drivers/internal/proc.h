// Facts about host processes from /proc and pidfds: the start time that pins a pid
// to one process (guarding every TaskHandle against pid reuse), liveness, and
// waiting for a process that is not our child. Used by the launcher and ProcessDriver.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/duration.h"
#include "core/status.h"
#include "drivers/driver.h"
#include "drivers/unique_fd.h"

namespace caravan::drivers::internal {

struct ProcStat {
  char state = '?';  // R, S, D, Z, ...
  uint64_t start_ticks = 0;
};

// Parses the text of /proc/<pid>/stat. Allocation-free and async-signal-safe, so
// forked children may call it. Returns false on malformed text.
bool parse_proc_stat(const char* text, size_t length, ProcStat* out);

// Reads /proc/<pid>/stat (pid 0 = self); async-signal-safe. False when there is no such process.
bool read_proc_stat(int pid, ProcStat* out);

// The process `ref` names still exists (same start time) and has not exited (a
// zombie counts as exited).
bool is_running(const ProcessRef& ref);

// A pidfd for `ref`, readable once it exits. NotFound when it no longer runs.
Result<UniqueFd> open_pidfd(const ProcessRef& ref);

// Waits up to `timeout` for `fd` to become readable. True when it did.
bool wait_readable(int fd, Duration timeout);

}  // namespace caravan::drivers::internal
