// The ingress's JSON access log: one line per request, formatted on the event
// loop that served it into a per-thread buffer and written to the shared file
// descriptor in large appends (O_APPEND keeps lines whole). Off by default.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace caravan::proxy {

struct AccessLogEntry {
  std::string_view client_ip;
  std::string_view method;
  std::string_view target;
  int status = 0;
  uint64_t bytes_sent = 0;
  double duration_ms = 0;
  std::string_view route;
  std::string_view service;
  std::string_view upstream;  // "10.0.0.5:8080", empty when answered locally
};

// Appends one JSON line for `entry` (with the current wall-clock time, RFC 3339
// UTC with milliseconds) to `out`.
void format_access_log_line(const AccessLogEntry& entry, std::string& out);

// A per-thread writer. Not thread-safe; each event loop owns one over a shared fd.
class AccessLogWriter {
 public:
  // `fd` < 0 disables it. The fd is owned by the engine.
  explicit AccessLogWriter(int fd) : fd_(fd) {}
  ~AccessLogWriter() { flush(); }
  bool enabled() const { return fd_ >= 0; }
  void log(const AccessLogEntry& entry);
  void flush();

 private:
  int fd_;
  std::string buf_;
};

// Opens the access log: "" → -1 (off), "-" → stdout, else the file (append, create).
Result<int> open_access_log(const std::string& path);

}  // namespace caravan::proxy
