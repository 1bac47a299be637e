// The task events a task runner records, with Nomad's types and messages (what
// `alloc status` lists), and how an event changes a model::TaskState (restart
// counter, bounded history). The task runner builds events here and reports the
// resulting TaskState to its alloc runner; nothing here does I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/duration.h"
#include "core/status.h"
#include "core/wall_time.h"
#include "drivers/driver.h"
#include "model/allocation.h"

namespace caravan::client {

// TaskEvent::type values (Nomad's structs.Task* event constants).
inline constexpr const char* kEventReceived = "Received";
inline constexpr const char* kEventSetup = "Task Setup";
inline constexpr const char* kEventSetupFailure = "Setup Failure";
inline constexpr const char* kEventDownloadingArtifacts = "Downloading Artifacts";
inline constexpr const char* kEventArtifactDownloadFailed = "Failed Artifact Download";
inline constexpr const char* kEventDriverMessage = "Driver";
inline constexpr const char* kEventDriverFailure = "Driver Failure";
inline constexpr const char* kEventStarted = "Started";
inline constexpr const char* kEventTerminated = "Terminated";
inline constexpr const char* kEventRestarting = "Restarting";
inline constexpr const char* kEventNotRestarting = "Not Restarting";
inline constexpr const char* kEventRestartSignal = "Restart Signaled";
inline constexpr const char* kEventKilling = "Killing";
inline constexpr const char* kEventKilled = "Killed";
inline constexpr const char* kEventShutdownDelay = "Waiting for shutdown delay";
inline constexpr const char* kEventSiblingFailed = "Sibling Task Failed";

// Nomad keeps the last 10 events of a task.
inline constexpr size_t kMaxTaskEvents = 10;

// unix_now_ns() and format_rfc3339() come from core/wall_time.h.

// An event of `type` stamped now, with `message` as its display message.
model::TaskEvent task_event(std::string_view type, std::string message = "");

model::TaskEvent terminated_event(const drivers::ExitResult& exit);
model::TaskEvent restarting_event(Duration delay, std::string_view reason);
model::TaskEvent not_restarting_event(std::string_view reason, bool fails_task);
model::TaskEvent driver_failure_event(const Status& error);
model::TaskEvent killing_event(Duration kill_timeout, std::string_view reason);

// Appends `event` (dropping the oldest beyond kMaxTaskEvents) and applies its
// side effects: a "Restarting" event counts a restart and sets LastRestart.
void append_task_event(model::TaskState& state, model::TaskEvent event);

}  // namespace caravan::client
