// What a client agent keeps on disk so that, after `kill -9` and a restart with
// the same data dir, it re-attaches to its tasks instead of starting them again:
//   <data_dir>/client/allocs/<alloc_id>/alloc.json        the allocation as received
//   <data_dir>/client/allocs/<alloc_id>/task-<name>.json  {"State": TaskState, "Handle": ...}
// "Handle" is the driver's TaskHandle JSON while the task runs, null otherwise.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/allocation.h"

namespace caravan::client {

struct SavedTask {
  model::TaskState state;
  std::optional<std::string> handle_json;  // drivers::TaskHandle::to_json()
};

struct SavedAlloc {
  model::Allocation alloc;
  std::map<std::string, SavedTask> tasks;
};

// Files written atomically (temp file + rename), one per allocation and task,
// so concurrent writers of different tasks never conflict. Thread-safe in that
// sense; two writers of the same task must not race (one task runner owns it).
class LocalState {
 public:
  // Creates <data_dir>/client/allocs. Errors: Internal when it cannot.
  static Result<LocalState> open(const std::string& data_dir);

  Status put_alloc(const model::Allocation& alloc) const;
  Status put_task(const std::string& alloc_id, const std::string& task,
                  const SavedTask& saved) const;
  // Forgets an allocation (after its runner is destroyed). Succeeds when absent.
  Status remove_alloc(const std::string& alloc_id) const;

  // Every allocation found. An unreadable entry is skipped and described in
  // `warnings` (the agent logs them) rather than failing the agent's start.
  std::vector<SavedAlloc> load_all(std::vector<std::string>& warnings) const;

  const std::string& dir() const { return dir_; }

 private:
  explicit LocalState(std::string dir) : dir_(std::move(dir)) {}
  std::string alloc_dir(const std::string& alloc_id) const { return dir_ + "/" + alloc_id; }

  std::string dir_;
};

}  // namespace caravan::client
