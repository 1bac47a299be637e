#include "client/task_log_collector.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "client/internal/files.h"

namespace caravan::client {

std::string task_log_fifo(const std::string& logs_dir, const std::string& task,
                          const std::string& stream) {
  return logs_dir + "/." + log_base_name(task, stream) + ".fifo";
}

Status TaskLogCollector::open_stream(const std::string& fifo, Stream& stream) {
  struct stat st;
  if (::stat(fifo.c_str(), &st) == 0 && !S_ISFIFO(st.st_mode)) ::unlink(fifo.c_str());
  if (::mkfifo(fifo.c_str(), 0600) != 0 && errno != EEXIST) {
    return internal::errno_status("cannot create the log FIFO", fifo);
  }
  // Non-blocking: opening a FIFO read-only would otherwise wait for a writer.
  stream.fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (stream.fd < 0) return internal::errno_status("cannot open the log FIFO", fifo);
  return Status::ok();
}

Result<std::unique_ptr<TaskLogCollector>> TaskLogCollector::open(
    const std::string& logs_dir, const std::string& task,
    const std::optional<model::LogConfig>& logs) {
  std::unique_ptr<TaskLogCollector> c(new TaskLogCollector());
  if (logs && logs->disabled) return c;
  c->stdout_fifo_ = task_log_fifo(logs_dir, task, "stdout");
  c->stderr_fifo_ = task_log_fifo(logs_dir, task, "stderr");
  c->out_.config = log_rotation_config(logs_dir, log_base_name(task, "stdout"), logs);
  c->err_.config = log_rotation_config(logs_dir, log_base_name(task, "stderr"), logs);
  CARAVAN_RETURN_IF_ERROR(open_stream(c->stdout_fifo_, c->out_));
  CARAVAN_RETURN_IF_ERROR(open_stream(c->stderr_fifo_, c->err_));
  return c;
}

TaskLogCollector::~TaskLogCollector() {
  abandon();
  for (Stream* s : {&out_, &err_}) {
    if (s->fd >= 0) ::close(s->fd);  // never handed to a pump
  }
}

Status TaskLogCollector::start() {
  for (auto [s, activity] : {std::pair{&out_, stdout_activity_}, {&err_, stderr_activity_}}) {
    if (s->fd < 0 || s->pump) continue;
    int fd = s->fd;
    s->fd = -1;  // the pump owns it now, even when it fails to start
    Result<std::unique_ptr<LogPump>> pump = LogPump::start(fd, s->config, activity);
    if (!pump) return pump.error();
    s->pump = std::move(*pump);
  }
  return Status::ok();
}

void TaskLogCollector::finish(Duration timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (auto [s, activity] : {std::pair{&out_, stdout_activity_}, {&err_, stderr_activity_}}) {
    if (!s->pump) continue;
    while (!activity->closed()) {
      auto left = deadline - std::chrono::steady_clock::now();
      if (left <= Duration::zero()) break;
      activity->wait_for_change(activity->generation(), std::chrono::duration_cast<Duration>(left));
    }
  }
  abandon();
}

void TaskLogCollector::abandon() {
  for (Stream* s : {&out_, &err_}) s->pump.reset();
  stdout_activity_->mark_closed();
  stderr_activity_->mark_closed();
}

}  // namespace caravan::client
