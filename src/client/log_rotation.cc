#include "client/log_rotation.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "client/internal/files.h"
#include "client/internal/log_files.h"

namespace caravan::client {

std::string log_base_name(std::string_view task, std::string_view stream) {
  return std::string(task) + "." + std::string(stream);
}

LogRotationConfig log_rotation_config(std::string dir, std::string base_name,
                                      const std::optional<model::LogConfig>& logs) {
  LogRotationConfig config;
  config.dir = std::move(dir);
  config.base_name = std::move(base_name);
  if (logs && logs->max_files > 0) config.max_files = logs->max_files;
  if (logs && logs->max_file_size_mb > 0) {
    config.max_file_size = int64_t{logs->max_file_size_mb} * 1024 * 1024;
  }
  return config;
}

void LogActivity::notify_write() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

void LogActivity::mark_closed() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

uint64_t LogActivity::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

bool LogActivity::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool LogActivity::wait_for_change(uint64_t seen, Duration timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return generation_ != seen || closed_; });
}

// RotatingLogWriter

Result<std::unique_ptr<RotatingLogWriter>> RotatingLogWriter::open(
    LogRotationConfig config, std::shared_ptr<LogActivity> activity) {
  if (config.max_files <= 0 || config.max_file_size <= 0) {
    return invalid_argument("log rotation for " + config.base_name +
                            " needs max_files and max_file_size above zero");
  }
  CARAVAN_RETURN_IF_ERROR(internal::make_dir(config.dir, 0777));
  std::vector<internal::LogFile> files =
      CARAVAN_TRY(internal::list_log_files(config.dir, config.base_name));
  std::unique_ptr<RotatingLogWriter> writer(
      new RotatingLogWriter(std::move(config), std::move(activity)));
  int index = files.empty() ? 0 : files.back().index;
  if (!files.empty() && files.back().size >= writer->config_.max_file_size) ++index;
  CARAVAN_RETURN_IF_ERROR(writer->open_file(index));
  writer->remove_old_files();
  return writer;
}

RotatingLogWriter::~RotatingLogWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status RotatingLogWriter::open_file(int index) {
  if (fd_ >= 0) ::close(fd_);
  std::string path = config_.dir + "/" + config_.base_name + "." + std::to_string(index);
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return internal::errno_status("cannot open log file", path);
  index_ = index;
  off_t end = ::lseek(fd_, 0, SEEK_END);
  size_ = end < 0 ? 0 : end;
  return Status::ok();
}

void RotatingLogWriter::remove_old_files() {
  Result<std::vector<internal::LogFile>> files =
      internal::list_log_files(config_.dir, config_.base_name);
  if (!files.has_value()) return;  // best effort: the next rotation tries again
  for (const internal::LogFile& f : *files) {
    if (f.index <= index_ - config_.max_files) ::unlink(f.path.c_str());
  }
}

Status RotatingLogWriter::write(std::string_view data) {
  while (!data.empty()) {
    if (size_ >= config_.max_file_size) {
      CARAVAN_RETURN_IF_ERROR(open_file(index_ + 1));
      remove_old_files();
    }
    size_t room = static_cast<size_t>(config_.max_file_size - size_);
    size_t n = std::min(room, data.size());
    ssize_t written = ::write(fd_, data.data(), n);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      return internal::errno_status("cannot write log file",
                                    config_.base_name + "." + std::to_string(index_));
    }
    size_ += written;
    data.remove_prefix(static_cast<size_t>(written));
  }
  if (activity_) activity_->notify_write();
  return Status::ok();
}

// LogPump

Result<std::unique_ptr<LogPump>> LogPump::start(int fd, LogRotationConfig config,
                                                std::shared_ptr<LogActivity> activity) {
  Result<std::unique_ptr<RotatingLogWriter>> writer =
      RotatingLogWriter::open(std::move(config), activity);
  if (!writer.has_value()) {
    ::close(fd);
    return writer.error();
  }
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    ::close(fd);
    return internal::errno_status("cannot create a pipe for", "the log pump");
  }
  return std::unique_ptr<LogPump>(
      new LogPump(fd, wake[0], wake[1], std::move(*writer), std::move(activity)));
}

LogPump::LogPump(int fd, int wake_read, int wake_write, std::unique_ptr<RotatingLogWriter> writer,
                 std::shared_ptr<LogActivity> activity)
    : fd_(fd),
      wake_read_(wake_read),
      wake_write_(wake_write),
      writer_(std::move(writer)),
      activity_(std::move(activity)) {
  thread_ = std::thread([this] { run(); });
}

LogPump::~LogPump() {
  stop();
  if (thread_.joinable()) thread_.join();
  ::close(fd_);
  ::close(wake_read_);
  ::close(wake_write_);
}

void LogPump::stop() {
  if (stopped_.exchange(true)) return;
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_write_, &byte, 1);
}

Status LogPump::wait() {
  if (thread_.joinable()) thread_.join();
  return error_;
}

void LogPump::run() {
  char buf[64 * 1024];
  struct pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
  while (true) {
    int rc = ::poll(fds, 2, -1);
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0 || (fds[1].revents & POLLIN) != 0) break;
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // EOF: every writer of the pipe is gone
    Status st = writer_->write(std::string_view(buf, static_cast<size_t>(n)));
    if (!st.is_ok() && error_.is_ok()) error_ = st;  // keep draining so the task never blocks
  }
  if (activity_) activity_->mark_closed();
}

}  // namespace caravan::client
