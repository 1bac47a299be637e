// The snapshot format: the whole state written as a stream of framed records
// (kind byte, 32-bit length, MessagePack of the record's JSON) in chunks of a
// few MiB, so neither side holds the whole state as one document. Allocations
// carry a job reference, re-linked on load. Private to caravan_state.
#pragma once

#include <cstddef>

#include "core/status.h"
#include "state/internal/tables.h"
#include "state/log.h"

namespace caravan::state::internal {

// Chunks are cut at record boundaries once they exceed this size.
inline constexpr size_t kSnapshotChunkBytes = 4 << 20;

// Writes `tables` to `sink` (without committing it).
Status encode_state(const Tables& tables, SnapshotSink& sink);

// Rebuilds the tables from the snapshot at `index` of `log`. Errors name the
// log and what is wrong with the snapshot.
Result<Tables> decode_state(Log& log, int64_t index);

}  // namespace caravan::state::internal
