#include "proxy/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace caravan::proxy {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof(esc), "\\u%04x", u);
      out += esc;
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

void format_access_log_line(const AccessLogEntry& e, std::string& out) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char time_buf[96];
  std::snprintf(time_buf, sizeof(time_buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                ts.tv_nsec / 1000000);
  out += "{\"time\":\"";
  out += time_buf;
  out += "\",\"client_ip\":";
  append_json_string(out, e.client_ip);
  out += ",\"method\":";
  append_json_string(out, e.method);
  out += ",\"target\":";
  append_json_string(out, e.target);
  out += ",\"status\":";
  out += std::to_string(e.status);
  out += ",\"bytes_sent\":";
  out += std::to_string(e.bytes_sent);
  char dur[32];
  std::snprintf(dur, sizeof(dur), "%.3f", e.duration_ms);
  out += ",\"duration_ms\":";
  out += dur;
  out += ",\"route\":";
  append_json_string(out, e.route);
  out += ",\"service\":";
  append_json_string(out, e.service);
  out += ",\"upstream\":";
  append_json_string(out, e.upstream);
  out += "}\n";
}

void AccessLogWriter::log(const AccessLogEntry& entry) {
  if (fd_ < 0) return;
  format_access_log_line(entry, buf_);
  if (buf_.size() >= 32 * 1024) flush();
}

void AccessLogWriter::flush() {
  size_t off = 0;
  while (off < buf_.size()) {
    ssize_t n = ::write(fd_, buf_.data() + off, buf_.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // a full disk must not stop the proxy; lines are dropped
    }
    off += static_cast<size_t>(n);
  }
  buf_.clear();
}

Result<int> open_access_log(const std::string& path) {
  if (path.empty()) return -1;
  if (path == "-") return STDOUT_FILENO;
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status(StatusCode::kInvalidArgument, "cannot open access log " + path + ": " +
                                                    std::strerror(errno) +
                                                    "; check the directory exists and is writable");
  }
  return fd;
}

}  // namespace caravan::proxy
