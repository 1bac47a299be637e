// StateStore: the server's state — log entries go through it to the durable Log
// (group commit: concurrent writers share one append) and then into the FSM; it
// publishes an immutable snapshot (StateView) after every batch, answers
// blocking queries (wait_for) and writes periodic snapshots that let the log be
// truncated. On open it loads the latest snapshot and replays the log after it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "state/log.h"
#include "state/log_entry.h"
#include "state/state_view.h"

namespace caravan::state {

namespace internal {
class Fsm;
class Snapshot;
}  // namespace internal

struct StateStoreOptions {
  // A durable snapshot is written (in the background) after this many entries;
  // 0 = never (write_snapshot() still works).
  int64_t snapshot_every = 8192;
  // At most this many entries share one log append.
  size_t max_batch = 4096;
  // Stamps LogEntry::time when it is 0; ns since the epoch. Default: system clock.
  std::function<int64_t()> clock;
};

// Counters for tests and metrics.
struct StateStoreStats {
  int64_t entries = 0;    // entries appended and applied
  int64_t batches = 0;    // log appends (group commits) made by this store
  int64_t rejected = 0;   // entries the FSM rejected (still in the log)
  int64_t snapshots = 0;  // durable snapshots written by this store
};

class StateStore {
 public:
  // Called once the entry is durable and applied (or failed): the index, the
  // reason the FSM rejected it, or the log's error. Runs on the store's commit
  // thread: it must not block or call apply().
  using ApplyCallback = std::function<void(Result<int64_t>)>;

  // Takes over `log`, loads its latest snapshot and replays the entries after
  // it. Fails, naming the log, when the snapshot or an entry cannot be read.
  static Result<std::unique_ptr<StateStore>> open(std::unique_ptr<Log> log,
                                                  StateStoreOptions options = {});
  // Commits every entry already queued, finishes a running snapshot, stops.
  ~StateStore();

  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  // Appends `entry` to the log and applies it; returns once it is durable and
  // visible in snapshot(). Any thread; blocks the caller (use apply_async on an
  // event loop). An entry the FSM rejects is still logged: the error is returned.
  Result<int64_t> apply(LogEntry entry);
  Result<int64_t> apply(LogRequest request) { return apply(LogEntry{std::move(request), 0}); }
  // The same without blocking; `done` is called as described for ApplyCallback.
  void apply_async(LogEntry entry, ApplyCallback done);

  // The state after the last applied batch: O(1), never blocks on writers.
  StateViewPtr snapshot() const;
  int64_t index() const;
  int64_t table_index(Table table) const;

  // Blocks until table_index(table) > min_index or `deadline`; returns the
  // table's index then (the X-Nomad-Index of a blocking query).
  int64_t wait_for(Table table, int64_t min_index,
                   std::chrono::steady_clock::time_point deadline) const;

  // Writes a durable snapshot of the current state and truncates the log behind
  // it, on the calling thread (tests, shutdown). Serialised with the background
  // snapshots.
  Status write_snapshot();

  StateStoreStats stats() const;
  Log& log() { return *log_; }

 private:
  struct Pending {
    LogEntry entry;
    std::string encoded;
    ApplyCallback done;
  };
  using SnapshotPtr = std::shared_ptr<const internal::Snapshot>;

  StateStore(std::unique_ptr<Log> log, StateStoreOptions options,
             std::unique_ptr<internal::Fsm> fsm);
  Status replay();
  void commit_loop();
  void commit_batch(std::deque<Pending>& batch);
  void snapshot_loop();
  Status write_snapshot_of(const SnapshotPtr& snapshot);
  SnapshotPtr current() const;

  std::unique_ptr<Log> log_;
  StateStoreOptions options_;
  std::unique_ptr<internal::Fsm> fsm_;  // commit thread only (after open)
  int64_t next_index_ = 1;              // commit thread only

  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending> queue_;
  bool stopping_ = false;

  mutable std::mutex current_mu_;
  mutable std::condition_variable changed_cv_;
  SnapshotPtr current_;
  StateStoreStats stats_;  // guarded by current_mu_

  std::mutex snapshot_mu_;  // serialises snapshot writers
  std::mutex snapshot_request_mu_;
  std::condition_variable snapshot_request_cv_;
  bool snapshot_requested_ = false;
  bool snapshot_stopping_ = false;
  int64_t entries_since_snapshot_ = 0;  // commit thread only

  std::thread committer_;
  std::thread snapshotter_;
};

}  // namespace caravan::state
