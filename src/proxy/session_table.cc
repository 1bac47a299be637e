#include "proxy/session_table.h"

namespace caravan::proxy {
namespace {
uint64_t stored(uint64_t key) { return key == 0 ? 1 : key; }
size_t bucket_of(uint64_t key) {
  // The low bits pick the ring position already; mix in the high ones.
  return static_cast<size_t>((key ^ (key >> 29)) % SessionTable::kBuckets);
}
}  // namespace

void SessionTable::touch(uint64_t key, int64_t now_ns) {
  key = stored(key);
  Slot* bucket = &slots_[bucket_of(key) * kWays];
  Slot* victim = &bucket[0];
  for (size_t w = 0; w < kWays; ++w) {
    Slot& slot = bucket[w];
    uint64_t k = slot.key.load(std::memory_order_relaxed);
    if (k == key) {
      slot.seen_ns.store(now_ns, std::memory_order_relaxed);
      return;
    }
    if (k == 0 || slot.seen_ns.load(std::memory_order_relaxed) <
                      victim->seen_ns.load(std::memory_order_relaxed)) {
      victim = &slot;
      if (k == 0) break;
    }
  }
  // Two threads may race for the victim: one key wins, the other session is
  // recorded on its next request. The time is written first so a reader never
  // sees the new key with the old key's time for long.
  victim->seen_ns.store(now_ns, std::memory_order_relaxed);
  victim->key.store(key, std::memory_order_relaxed);
}

bool SessionTable::seen_since(uint64_t key, int64_t since_ns) const {
  key = stored(key);
  const Slot* bucket = &slots_[bucket_of(key) * kWays];
  for (size_t w = 0; w < kWays; ++w) {
    if (bucket[w].key.load(std::memory_order_relaxed) == key) {
      return bucket[w].seen_ns.load(std::memory_order_relaxed) >= since_ns;
    }
  }
  return false;
}

size_t SessionTable::live(int64_t since_ns) const {
  size_t n = 0;
  for (const Slot& slot : slots_) {
    if (slot.key.load(std::memory_order_relaxed) != 0 &&
        slot.seen_ns.load(std::memory_order_relaxed) >= since_ns) {
      ++n;
    }
  }
  return n;
}

}  // namespace caravan::proxy
