#include "client/task_logs_endpoint.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "client/log_rotation.h"

namespace caravan::client {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxPlainBytes = 64 * 1024 * 1024;
constexpr auto kFollowWait = std::chrono::seconds(1);
// Between two runs of a restarting task there is no writer to wait on.
constexpr auto kIdleWait = std::chrono::milliseconds(250);

struct LogQuery {
  std::string task;
  bool stderr_stream = false;
  bool follow = false;
  bool from_end = false;
  int64_t offset = 0;
};

Result<LogQuery> parse_query(const http::Request& request, const AllocRunner& runner) {
  LogQuery q;
  q.task = std::string(request.query("task").value_or(""));
  if (q.task.empty()) {
    std::shared_ptr<const model::Allocation> alloc = runner.alloc();
    const model::TaskGroup* group = nullptr;
    if (alloc->job) {
      for (const auto& g : alloc->job->task_groups) {
        if (g.name == alloc->task_group) group = &g;
      }
    }
    if (group == nullptr || group->tasks.size() != 1) {
      return invalid_argument("missing the task name: add ?task=<name>");
    }
    q.task = group->tasks[0].name;
  }
  std::string_view type = request.query("type").value_or("stdout");
  if (type != "stdout" && type != "stderr") {
    return invalid_argument(fmt::format("invalid log type \"{}\": use stdout or stderr", type));
  }
  q.stderr_stream = type == "stderr";
  q.follow = request.query("follow").value_or("false") == "true";
  std::string_view origin = request.query("origin").value_or("start");
  if (origin != "start" && origin != "end") {
    return invalid_argument(fmt::format("invalid origin \"{}\": use start or end", origin));
  }
  q.from_end = origin == "end";
  std::string offset(request.query("offset").value_or("0"));
  char* end = nullptr;
  q.offset = std::strtoll(offset.c_str(), &end, 10);
  if (offset.empty() || *end != '\0' || q.offset < 0) {
    return invalid_argument(fmt::format("invalid offset \"{}\": use a number of bytes", offset));
  }
  return q;
}

void stream_logs(http::BodyWriter& writer, const TaskRunner& task, const LogReader& reader,
                 bool stderr_stream, LogPosition pos) {
  std::mutex mu;
  std::condition_variable_any idle;
  std::stop_token stop = writer.stop_token();
  while (!stop.stop_requested()) {
    std::shared_ptr<LogActivity> activity = task.log_activity(stderr_stream);
    bool task_done = task.done();  // read before, so nothing written after is missed
    Result<LogChunk> chunk = reader.follow(pos, kChunk, *activity, kFollowWait);
    if (!chunk) return;
    if (!chunk->data.empty()) {
      if (!writer.write(chunk->data)) return;
      pos = chunk->next;
      continue;
    }
    if (task_done) return;
    if (chunk->writer_closed) {
      std::unique_lock lock(mu);
      idle.wait_for(lock, stop, kIdleWait, [] { return false; });
    }
  }
}

}  // namespace

http::Response serve_task_logs(const http::Request& request,
                               std::shared_ptr<const AllocRunner> runner) {
  Result<LogQuery> q = parse_query(request, *runner);
  if (!q) return http::error_response(q.error());
  const TaskRunner* task = runner->task_runner(q->task);
  if (task == nullptr || runner->dir() == nullptr) {
    return http::error_response(
        404, fmt::format("allocation {} has no task \"{}\"", runner->id(), q->task));
  }
  LogReader reader(runner->dir()->logs_dir(),
                   log_base_name(q->task, q->stderr_stream ? "stderr" : "stdout"));
  Result<LogPosition> pos =
      q->from_end ? reader.position_from_end(q->offset) : reader.position_from_start(q->offset);
  if (!pos) return http::error_response(pos.error());
  if (!q->follow) {
    std::string text;
    LogPosition at = *pos;
    while (text.size() < kMaxPlainBytes) {
      Result<LogChunk> chunk = reader.read(at, kChunk);
      if (!chunk) return http::error_response(chunk.error());
      if (chunk->data.empty()) break;
      text += chunk->data;
      at = chunk->next;
    }
    return http::text_response(200, std::move(text));
  }
  bool stderr_stream = q->stderr_stream;
  LogPosition start = *pos;
  return http::stream_response(
      200, "text/plain; charset=utf-8",
      // Holding `runner` keeps `task` alive while the stream runs.
      [runner, task, reader, stderr_stream, start](http::BodyWriter& writer) {
        stream_logs(writer, *task, reader, stderr_stream, start);
      });
}

}  // namespace caravan::client
