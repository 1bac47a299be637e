#include "drivers/internal/proc.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <string>

namespace caravan::drivers::internal {

bool parse_proc_stat(const char* text, size_t length, ProcStat* out) {
  // "pid (comm) state ppid ..." — comm may hold spaces and parentheses, so
  // fields are counted from the last ')'. start time is field 22.
  size_t close = length;
  for (size_t i = length; i > 0; --i) {
    if (text[i - 1] == ')') {
      close = i - 1;
      break;
    }
  }
  if (close == length || close + 2 >= length) {
    return false;
  }
  size_t pos = close + 2;
  out->state = text[pos];
  int field = 3;
  while (pos < length && field < 22) {
    if (text[pos] == ' ') {
      ++field;
    }
    ++pos;
  }
  if (field != 22) {
    return false;
  }
  uint64_t value = 0;
  bool digits = false;
  while (pos < length && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + static_cast<uint64_t>(text[pos] - '0');
    digits = true;
    ++pos;
  }
  out->start_ticks = value;
  return digits;
}

bool read_proc_stat(int pid, ProcStat* out) {
  // Builds "/proc/<pid>/stat" by hand: no allocation, no locale.
  char path[40] = "/proc/self/stat";
  if (pid > 0) {
    char digits[16];
    int n = 0;
    for (int v = pid; v > 0; v /= 10) {
      digits[n++] = static_cast<char>('0' + v % 10);
    }
    char* p = path + 6;  // after "/proc/"
    while (n > 0) {
      *p++ = digits[--n];
    }
    const char kTail[] = "/stat";
    for (char c : kTail) {
      *p++ = c;
    }
  }
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return false;
  }
  char buffer[1024];
  ssize_t total = 0;
  while (total < static_cast<ssize_t>(sizeof buffer)) {
    ssize_t n = ::read(fd, buffer + total, sizeof buffer - static_cast<size_t>(total));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    total += n;
  }
  ::close(fd);
  return total > 0 && parse_proc_stat(buffer, static_cast<size_t>(total), out);
}

bool is_running(const ProcessRef& ref) {
  ProcStat stat;
  return ref.pid > 0 && read_proc_stat(ref.pid, &stat) && stat.start_ticks == ref.start_ticks &&
         stat.state != 'Z' && stat.state != 'X';
}

Result<UniqueFd> open_pidfd(const ProcessRef& ref) {
  if (ref.pid <= 0) {
    return not_found("no process (pid " + std::to_string(ref.pid) + ")");
  }
  UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, ref.pid, 0)));
  if (!fd.valid()) {
    if (errno == ESRCH) {
      return not_found("process " + std::to_string(ref.pid) + " has exited");
    }
    return internal_error("pidfd_open(" + std::to_string(ref.pid) +
                          ") failed: " + std::strerror(errno) + " (Linux 5.3 or newer is needed)");
  }
  // Checked after opening: if the start time still matches, the pidfd refers to our process.
  if (!is_running(ref)) {
    return not_found("process " + std::to_string(ref.pid) + " has exited");
  }
  return fd;
}

bool wait_readable(int fd, Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd, POLLIN, 0};
    int64_t ms = std::clamp<int64_t>(left.count(), 0, std::numeric_limits<int>::max());
    int rc = ::poll(&pfd, 1, static_cast<int>(ms));
    if (rc > 0) {
      return true;
    }
    if (rc == 0 || errno != EINTR) {
      return false;
    }
  }
}

}  // namespace caravan::drivers::internal
