// Fsm: the state machine the log drives. It applies one typed log entry at its
// index to a private Tables (Nomad's fsm.go + state_store.go upserts), and hands
// out immutable snapshots of the result. Every timestamp comes from the entry,
// so replaying a log rebuilds exactly the same state. Private to caravan_state.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "state/internal/snapshot.h"
#include "state/internal/tables.h"
#include "state/log_entry.h"

namespace caravan::state::internal {

class Fsm {
 public:
  Fsm() = default;
  explicit Fsm(Tables tables) : tables_(std::move(tables)) {}

  // Applies `entry` as log index `index` (> the last applied index). An entry
  // the state rejects (unknown node, eligibility while draining, an allocation
  // whose job version is unknown, ...) returns the reason and changes nothing
  // but the applied index. Called by one thread at a time.
  Status apply(int64_t index, const LogEntry& entry);
  // The same, moving the placements out of `entry` instead of copying them.
  Status apply(int64_t index, LogEntry&& entry);

  const Tables& tables() const { return tables_; }
  // An immutable copy of the current tables: O(1).
  SnapshotPtr snapshot() const { return std::make_shared<const Snapshot>(tables_); }

 private:
  template <class Entry>
  Status apply_entry(int64_t index, Entry& entry);

  Tables tables_;
};

}  // namespace caravan::state::internal
