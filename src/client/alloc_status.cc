#include "client/alloc_status.h"

namespace caravan::client {

AllocClientStatus derive_client_status(const std::map<std::string, model::TaskState>& tasks) {
  bool pending = false, running = false, dead = false, failed = false;
  for (const auto& [name, state] : tasks) {
    if (state.state == model::kTaskStateRunning) {
      running = true;
    } else if (state.state == model::kTaskStatePending) {
      pending = true;
    } else if (state.state == model::kTaskStateDead) {
      (state.failed ? failed : dead) = true;
    }
  }
  if (failed) return {model::kAllocClientFailed, "Failed tasks"};
  if (running) return {model::kAllocClientRunning, "Tasks are running"};
  if (pending) return {model::kAllocClientPending, "No tasks have started"};
  if (dead) return {model::kAllocClientComplete, "All tasks have completed"};
  return {model::kAllocClientPending, "No tasks have started"};
}

}  // namespace caravan::client
