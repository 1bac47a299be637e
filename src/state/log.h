// Log: the ordered durable log every state change goes through before the state
// store applies it (DESIGN.md, "How data flows"). Implementations: SqliteLog
// (local, in the data dir), MemoryLog (tests), later an etcd-backed log. The
// state store is the only writer; it batches concurrent changes (group commit).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace caravan::state {

// One encoded entry at its index.
struct LogRecord {
  int64_t index = 0;
  std::string data;
};

// Receives a snapshot's chunks; nothing is visible until commit() succeeds.
// Destroying it without commit abandons the snapshot.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  // Appends one chunk (chunks are read back in the order written).
  virtual Status write(std::string_view chunk) = 0;
  // Makes the snapshot durable and the latest one; older snapshots are dropped.
  virtual Status commit() = 0;
};

class Log {
 public:
  virtual ~Log() = default;

  // Where the log lives, for error messages ("/var/lib/caravan/server/state.db").
  virtual std::string name() const = 0;

  // Appends records with consecutive indexes following last_index(), atomically:
  // when it returns OK all of them are durable; on error none is.
  virtual Status append(const std::vector<LogRecord>& records) = 0;
  // The index of the last record appended, or of the latest snapshot when the
  // log after it is empty; 0 for an empty log.
  virtual Result<int64_t> last_index() = 0;
  // Calls `fn` for every record with index >= `from`, in order, stopping at the
  // first error `fn` returns.
  virtual Status read_from(int64_t from,
                           const std::function<Status(int64_t index, std::string_view data)>& fn) = 0;
  // Drops every record with index < `index` (they are covered by a snapshot).
  virtual Status truncate_before(int64_t index) = 0;

  // Starts a snapshot of the state at `index`.
  virtual Result<std::unique_ptr<SnapshotSink>> create_snapshot(int64_t index) = 0;
  // The index of the latest committed snapshot; 0 when there is none.
  virtual Result<int64_t> latest_snapshot() = 0;
  // Calls `fn` with each chunk of the snapshot at `index`, in order.
  virtual Status read_snapshot(int64_t index,
                               const std::function<Status(std::string_view chunk)>& fn) = 0;

  // How many append() calls made it durable (group commit: fewer than entries).
  virtual int64_t append_count() const = 0;
};

}  // namespace caravan::state
