#include "client/task_events.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "drivers/signals.h"

namespace caravan::client {

model::TaskEvent task_event(std::string_view type, std::string message) {
  model::TaskEvent event;
  event.type = std::string(type);
  event.time = unix_now_ns();
  event.display_message = std::move(message);
  return event;
}

model::TaskEvent terminated_event(const drivers::ExitResult& exit) {
  std::string message = fmt::format("Exit Code: {}", exit.exit_code);
  if (exit.signal != 0) message += ", Signal: " + std::to_string(exit.signal);
  if (exit.oom_killed) message = "OOM Killed";
  if (!exit.error.empty()) message += ", Exit Message: " + exit.error;
  model::TaskEvent event = task_event(kEventTerminated, message);
  event.exit_code = exit.exit_code;
  event.signal = exit.signal;
  event.message = exit.error;
  event.details = {{"exit_code", std::to_string(exit.exit_code)},
                   {"signal", std::to_string(exit.signal)},
                   {"oom_killed", exit.oom_killed ? "true" : "false"}};
  if (!exit.error.empty()) event.details["exit_message"] = exit.error;
  return event;
}

model::TaskEvent restarting_event(Duration delay, std::string_view reason) {
  model::TaskEvent event =
      task_event(kEventRestarting, fmt::format("Task restarting in {}", format_duration(delay)));
  event.restart_reason = std::string(reason);
  event.details = {{"restart_reason", std::string(reason)},
                   {"start_delay", std::to_string(delay.count())}};
  return event;
}

model::TaskEvent not_restarting_event(std::string_view reason, bool fails_task) {
  model::TaskEvent event = task_event(kEventNotRestarting, std::string(reason));
  event.restart_reason = std::string(reason);
  event.fails_task = fails_task;
  event.details = {{"restart_reason", std::string(reason)}};
  if (fails_task) event.details["fails_task"] = "true";
  return event;
}

model::TaskEvent driver_failure_event(const Status& error) {
  model::TaskEvent event = task_event(kEventDriverFailure, error.message());
  event.driver_error = error.message();
  event.details = {{"driver_error", error.message()}};
  return event;
}

model::TaskEvent killing_event(Duration kill_timeout, std::string_view reason) {
  std::string message =
      fmt::format("Sent interrupt. Waiting {} before force killing", format_duration(kill_timeout));
  model::TaskEvent event = task_event(kEventKilling, message);
  event.kill_timeout = kill_timeout;
  event.message = std::string(reason);
  event.details = {{"kill_timeout", format_duration(kill_timeout)}};
  if (!reason.empty()) event.details["kill_reason"] = std::string(reason);
  return event;
}

void append_task_event(model::TaskState& state, model::TaskEvent event) {
  if (event.type == kEventRestarting) {
    ++state.restarts;
    state.last_restart = format_rfc3339(event.time);
  }
  state.events.push_back(std::move(event));
  if (state.events.size() > kMaxTaskEvents) {
    state.events.erase(state.events.begin(),
                       state.events.end() - static_cast<std::ptrdiff_t>(kMaxTaskEvents));
  }
}

}  // namespace caravan::client
