// SessionTable: the sessions an upstream instance served recently, so that a
// draining instance keeps the sessions it already has (and only those) and the
// ingress can say how many are still live. A fixed set of 8-way buckets of
// atomics (128 KiB, allocated once per instance of a route with session
// affinity; no lock, no allocation per request): the balancer's hash key or the
// sticky session key is recorded with the time it was last seen. A full bucket
// forgets its least recently seen key: up to about 4000 live sessions per
// instance keep their affinity; beyond that some lose it early (documented).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace caravan::proxy {

class SessionTable {
 public:
  static constexpr size_t kBuckets = 1024;
  static constexpr size_t kWays = 8;  // 8192 slots of 16 bytes

  // Records that session `key` was seen at `now_ns` (any clock, ns). Any thread.
  void touch(uint64_t key, int64_t now_ns);
  // True when `key` was seen at or after `since_ns`. Any thread.
  bool seen_since(uint64_t key, int64_t since_ns) const;
  // How many distinct sessions were seen at or after `since_ns` (a scan of the
  // table: for reports, not for the request path).
  size_t live(int64_t since_ns) const;

 private:
  struct Slot {
    std::atomic<uint64_t> key{0};  // 0 = empty (key 0 is stored as 1)
    std::atomic<int64_t> seen_ns{0};
  };
  std::array<Slot, kBuckets * kWays> slots_;
};

}  // namespace caravan::proxy
