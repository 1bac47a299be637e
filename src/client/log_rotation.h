// Task logs as Nomad keeps them: a task's stdout/stderr is pumped from a pipe or
// FIFO by a thread into <alloc>/alloc/logs/<task>.stdout.N (N = 0, 1, ...), a new
// file each max_file_size MB, at most max_files kept (the `logs` block). The
// reader serves `alloc logs` (the API endpoint and CLI): a byte range of the
// concatenated files, the last n lines, or following new output.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/duration.h"
#include "core/status.h"
#include "model/job.h"

namespace caravan::client {

// "<task>.stdout" / "<task>.stderr": the base name the numbered files extend.
std::string log_base_name(std::string_view task, std::string_view stream);

struct LogRotationConfig {
  std::string dir;        // <alloc>/alloc/logs
  std::string base_name;  // "<task>.stdout"
  int max_files = 10;
  int64_t max_file_size = 10LL * 1024 * 1024;  // bytes
};

// The rotation settings of a `logs` block (zero fields take Nomad's defaults,
// 10 files of 10 MB).
LogRotationConfig log_rotation_config(std::string dir, std::string base_name,
                                      const std::optional<model::LogConfig>& logs);

// Shared between one writer and any number of followers: a generation counter
// bumped on every write and a closed flag. Thread-safe.
class LogActivity {
 public:
  void notify_write();
  void mark_closed();
  uint64_t generation() const;
  bool closed() const;
  // Waits until the generation differs from `seen` or the log closes, at most
  // `timeout`. False on timeout.
  bool wait_for_change(uint64_t seen, Duration timeout) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  uint64_t generation_ = 0;
  bool closed_ = false;
};

// Appends to the numbered files, rotating when the current one is full. Each
// full file holds exactly max_file_size bytes (writes are split across files).
// On open it continues the highest-numbered existing file, so a restarted agent
// keeps appending. One writer per base name; not thread-safe itself.
class RotatingLogWriter {
 public:
  // Errors: InvalidArgument for a non-positive size or count, Internal when the
  // directory cannot be read or the file opened.
  static Result<std::unique_ptr<RotatingLogWriter>> open(LogRotationConfig config,
                                                         std::shared_ptr<LogActivity> activity);
  ~RotatingLogWriter();
  RotatingLogWriter(const RotatingLogWriter&) = delete;
  RotatingLogWriter& operator=(const RotatingLogWriter&) = delete;

  Status write(std::string_view data);
  int current_index() const { return index_; }

 private:
  RotatingLogWriter(LogRotationConfig config, std::shared_ptr<LogActivity> activity)
      : config_(std::move(config)), activity_(std::move(activity)) {}
  Status open_file(int index);
  void remove_old_files();

  LogRotationConfig config_;
  std::shared_ptr<LogActivity> activity_;
  int index_ = 0;
  int64_t size_ = 0;
  int fd_ = -1;
};

// A thread copying everything readable from `fd` into a RotatingLogWriter until
// end of file (all writers of the pipe closed), then marking the activity
// closed. Owns `fd`. The destructor stops the thread (without waiting for EOF)
// and joins it. A FIFO with no writer reads as end of file: open it read-only
// only once the task holds the write end, or O_RDWR and end the pump with stop().
class LogPump {
 public:
  static Result<std::unique_ptr<LogPump>> start(int fd, LogRotationConfig config,
                                                std::shared_ptr<LogActivity> activity);
  ~LogPump();
  LogPump(const LogPump&) = delete;
  LogPump& operator=(const LogPump&) = delete;

  // Blocks until the pump saw EOF (or was stopped); the first write error, if any.
  Status wait();
  // Stops reading now; data still in the pipe is not copied.
  void stop();

 private:
  LogPump(int fd, int wake_fd_read, int wake_fd_write, std::unique_ptr<RotatingLogWriter> writer,
          std::shared_ptr<LogActivity> activity);
  void run();

  int fd_;
  int wake_read_;
  int wake_write_;
  std::unique_ptr<RotatingLogWriter> writer_;
  std::shared_ptr<LogActivity> activity_;
  Status error_;
  std::thread thread_;
  std::atomic<bool> stopped_{false};
};

// A position in a log: file index and offset inside that file.
struct LogPosition {
  int index = 0;
  int64_t offset = 0;

  bool operator==(const LogPosition&) const = default;
};

struct LogChunk {
  std::string data;
  LogPosition next;            // where to continue reading
  bool writer_closed = false;  // follow(): the log ended and everything was read
};

// Reads the files of one base name. Safe to use while a writer appends; a file
// rotated away (deleted) before it was read is skipped.
class LogReader {
 public:
  LogReader(std::string dir, std::string base_name);

  // The position `offset` bytes into the concatenation of the files present
  // (from_end: `offset` bytes before its end); clamped to the ends.
  Result<LogPosition> position_from_start(int64_t offset) const;
  Result<LogPosition> position_from_end(int64_t offset) const;

  // Up to `max_bytes` from `from`, crossing into later files. Empty data at the end.
  Result<LogChunk> read(LogPosition from, size_t max_bytes) const;

  // The last `lines` lines (a final line without '\n' counts), reading at most
  // `max_bytes` back from the end.
  Result<std::string> tail_lines(size_t lines, size_t max_bytes = 4 * 1024 * 1024) const;

  // read(), but when nothing is new it waits up to `timeout` for the writer
  // (through `activity`). Returns empty data on timeout; writer_closed once the
  // writer closed and everything was returned.
  Result<LogChunk> follow(LogPosition from, size_t max_bytes, const LogActivity& activity,
                          Duration timeout) const;

 private:
  std::string dir_;
  std::string base_name_;
};

}  // namespace caravan::client
