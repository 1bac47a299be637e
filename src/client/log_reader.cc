// LogReader (client/log_rotation.h): reads the numbered files of a task log.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "client/internal/files.h"
#include "client/internal/log_files.h"
#include "client/log_rotation.h"

namespace caravan::client {

namespace {

// Appends up to `max` bytes of `path` from `offset` to `out`; the count read.
// A file deleted meanwhile reads as empty.
Result<size_t> read_range(const std::string& path, int64_t offset, size_t max, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return size_t{0};
    return internal::errno_status("cannot open log file", path);
  }
  size_t start = out.size();
  out.resize(start + max);
  size_t done = 0;
  while (done < max) {
    ssize_t n = ::pread(fd, out.data() + start + done, max - done,
                        static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = internal::errno_status("cannot read log file", path);
      ::close(fd);
      out.resize(start);
      return st;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(start + done);
  return done;
}

}  // namespace

LogReader::LogReader(std::string dir, std::string base_name)
    : dir_(std::move(dir)), base_name_(std::move(base_name)) {}

Result<LogPosition> LogReader::position_from_start(int64_t offset) const {
  std::vector<internal::LogFile> files = CARAVAN_TRY(internal::list_log_files(dir_, base_name_));
  if (files.empty()) return LogPosition{};
  offset = std::max<int64_t>(offset, 0);
  for (const internal::LogFile& f : files) {
    if (offset < f.size) return LogPosition{f.index, offset};
    offset -= f.size;
  }
  return LogPosition{files.back().index, files.back().size};
}

Result<LogPosition> LogReader::position_from_end(int64_t offset) const {
  std::vector<internal::LogFile> files = CARAVAN_TRY(internal::list_log_files(dir_, base_name_));
  int64_t total = 0;
  for (const internal::LogFile& f : files) total += f.size;
  return position_from_start(std::max<int64_t>(total - std::max<int64_t>(offset, 0), 0));
}

Result<LogChunk> LogReader::read(LogPosition from, size_t max_bytes) const {
  std::vector<internal::LogFile> files = CARAVAN_TRY(internal::list_log_files(dir_, base_name_));
  LogChunk chunk;
  chunk.next = from;
  for (const internal::LogFile& f : files) {
    if (f.index < chunk.next.index) continue;
    if (f.index > chunk.next.index) chunk.next = {f.index, 0};  // earlier files rotated away
    if (chunk.data.size() >= max_bytes) break;
    int64_t offset = std::min(chunk.next.offset, f.size);
    size_t want = std::min(max_bytes - chunk.data.size(), static_cast<size_t>(f.size - offset));
    size_t got = CARAVAN_TRY(read_range(f.path, offset, want, chunk.data));
    chunk.next.offset = offset + static_cast<int64_t>(got);
    if (chunk.next.offset < f.size) break;  // max_bytes reached (or the file shrank)
  }
  return chunk;
}

Result<std::string> LogReader::tail_lines(size_t lines, size_t max_bytes) const {
  if (lines == 0) return std::string();
  LogPosition pos = CARAVAN_TRY(position_from_end(static_cast<int64_t>(max_bytes)));
  std::string text;
  while (true) {
    LogChunk chunk = CARAVAN_TRY(read(pos, max_bytes));
    if (chunk.data.empty()) break;
    text += chunk.data;
    pos = chunk.next;
  }
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;  // the final newline ends the last line
  size_t start = end;
  for (size_t found = 0; start > 0; --start) {
    if (text[start - 1] == '\n' && ++found == lines) break;
  }
  return text.substr(start);
}

Result<LogChunk> LogReader::follow(LogPosition from, size_t max_bytes, const LogActivity& activity,
                                   Duration timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    // Sample before reading, so a write landing after the read is not missed.
    uint64_t generation = activity.generation();
    bool closed = activity.closed();
    LogChunk chunk = CARAVAN_TRY(read(from, max_bytes));
    if (!chunk.data.empty()) return chunk;
    if (closed) {
      chunk.writer_closed = true;
      return chunk;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline || !activity.wait_for_change(generation, deadline - now)) return chunk;
    from = chunk.next;
  }
}

}  // namespace caravan::client
