// Log collection for one task (Nomad's logmon, in-process): the task writes its
// stdout/stderr into FIFOs <alloc>/alloc/logs/.<task>.{stdout,stderr}.fifo that
// outlive the agent, and while the agent runs a LogPump per stream copies them
// into the rotating files <task>.stdout.N. One collector per task run.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/log_rotation.h"
#include "core/duration.h"
#include "core/status.h"
#include "model/job.h"

namespace caravan::client {

class TaskLogCollector {
 public:
  // Creates the FIFOs (unless `logs.disabled`) and opens their read ends
  // (non-blocking, close-on-exec). Call before the driver starts the task; then
  // start() once it runs. Errors: Internal when a FIFO cannot be made or opened.
  static Result<std::unique_ptr<TaskLogCollector>> open(
      const std::string& logs_dir, const std::string& task,
      const std::optional<model::LogConfig>& logs);
  ~TaskLogCollector();  // abandon(): stops the pumps now
  TaskLogCollector(const TaskLogCollector&) = delete;
  TaskLogCollector& operator=(const TaskLogCollector&) = delete;

  // What TaskSpec::stdout_path / stderr_path get ("" when logging is disabled).
  const std::string& stdout_path() const { return stdout_fifo_; }
  const std::string& stderr_path() const { return stderr_fifo_; }

  // Starts pumping. Call only once the task holds the write ends (after
  // Driver::start or recover): a FIFO without writers reads as end of file.
  Status start();

  // After the task ended: waits up to `timeout` for both pumps to reach end of
  // file (a forked child of the task may still hold the pipe), then stops them.
  void finish(Duration timeout);

  // Stops pumping at once (agent shutdown): the task keeps its FIFOs and a
  // restarted agent continues reading them.
  void abandon();

  // Bumped on every write, closed once the pumps end (for following readers).
  std::shared_ptr<LogActivity> stdout_activity() const { return stdout_activity_; }
  std::shared_ptr<LogActivity> stderr_activity() const { return stderr_activity_; }

 private:
  struct Stream {
    int fd = -1;
    LogRotationConfig config;
    std::unique_ptr<LogPump> pump;
  };
  TaskLogCollector() = default;
  static Status open_stream(const std::string& fifo, Stream& stream);

  std::string stdout_fifo_;
  std::string stderr_fifo_;
  Stream out_;
  Stream err_;
  std::shared_ptr<LogActivity> stdout_activity_ = std::make_shared<LogActivity>();
  std::shared_ptr<LogActivity> stderr_activity_ = std::make_shared<LogActivity>();
};

// The path of a task's FIFO for `stream` ("stdout"/"stderr") in `logs_dir`.
std::string task_log_fifo(const std::string& logs_dir, const std::string& task,
                          const std::string& stream);

}  // namespace caravan::client
