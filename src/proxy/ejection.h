// Passive health of upstream instances: in-flight request counts (for
// least-request balancing) and outlier ejection after connect failures or
// resets, both keyed by instance id so they survive route-table swaps. The
// engine's on_attempt_start/on_attempt_end reports land here
// (CatalogDirector → EndpointHealth); balancers and the director read it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "proxy/director.h"
#include "proxy/session_table.h"

namespace caravan::proxy {

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

// How long an instance stays ejected: base × consecutive ejections, capped.
// One successful response clears it (and the count).
struct EjectionPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds max{30000};
};

// The live state of one instance. Lock-free; shared by every route table that
// contains the instance.
class EndpointHealth {
 public:
  EndpointHealth() = default;
  ~EndpointHealth();
  EndpointHealth(const EndpointHealth&) = delete;
  EndpointHealth& operator=(const EndpointHealth&) = delete;

  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  // Open upstream connections to the instance (in use or idle in a pool).
  int connections() const { return connections_.load(std::memory_order_relaxed); }
  void connection_opened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
  // The sessions seen on this instance (routes with session affinity only).
  // Allocated on first use, once per instance, without a lock.
  SessionTable& sessions();
  // Null when no session was ever recorded.
  const SessionTable* sessions_if_any() const {
    return sessions_.load(std::memory_order_acquire);
  }
  void attempt_started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }

  // Ends an attempt: kConnectFailed and kReset eject the instance (for
  // policy.base × consecutive ejections, capped at policy.max); any response
  // clears the ejection; kTimeout only ends the attempt (a slow upstream is not
  // a dead one; the engine's retry decides).
  void attempt_ended(const Outcome& outcome, std::chrono::steady_clock::time_point now,
                     const EjectionPolicy& policy);

  bool ejected(std::chrono::steady_clock::time_point now) const;
  int consecutive_ejections() const { return ejections_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int> in_flight_{0};
  std::atomic<int> connections_{0};
  std::atomic<SessionTable*> sessions_{nullptr};  // owned
  std::atomic<int> ejections_{0};
  std::atomic<int64_t> ejected_until_ns_{0};  // steady_clock ns since epoch; 0 = not ejected
};

using EndpointHealthSharedPtr = std::shared_ptr<EndpointHealth>;

// Hands out the EndpointHealth of an instance id, the same object for as long
// as the id stays in some route table. Used by the route-table builder only
// (one writer at a time); thread-safe anyway.
class HealthRegistry {
 public:
  EndpointHealthSharedPtr get(const std::string& instance_id);
  // Forgets ids not in `keep` (instances gone from the catalog).
  void retain(const std::set<std::string>& keep);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, EndpointHealthSharedPtr> by_id_;
};

}  // namespace caravan::proxy
