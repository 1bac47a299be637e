#include "proxy/ejection.h"

#include <algorithm>
#include <memory>

namespace caravan::proxy {
namespace {
int64_t to_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
}  // namespace

EndpointHealth::~EndpointHealth() { delete sessions_.load(std::memory_order_acquire); }

SessionTable& EndpointHealth::sessions() {
  SessionTable* table = sessions_.load(std::memory_order_acquire);
  if (table != nullptr) return *table;
  auto made = std::make_unique<SessionTable>();
  if (sessions_.compare_exchange_strong(table, made.get(), std::memory_order_acq_rel)) {
    return *made.release();
  }
  return *table;  // another thread installed one first
}

void EndpointHealth::attempt_ended(const Outcome& outcome,
                                   std::chrono::steady_clock::time_point now,
                                   const EjectionPolicy& policy) {
  // Never below zero, even if the engine reports an end without a start.
  int current = in_flight_.load(std::memory_order_relaxed);
  while (current > 0 &&
         !in_flight_.compare_exchange_weak(current, current - 1, std::memory_order_relaxed)) {
  }
  switch (outcome.kind) {
    case Outcome::Kind::kResponse:
      ejections_.store(0, std::memory_order_relaxed);
      ejected_until_ns_.store(0, std::memory_order_relaxed);
      break;
    case Outcome::Kind::kConnectFailed:
    case Outcome::Kind::kReset: {
      int n = ejections_.fetch_add(1, std::memory_order_relaxed) + 1;
      auto length = std::min<std::chrono::milliseconds>(policy.base * n, policy.max);
      ejected_until_ns_.store(to_ns(now + length), std::memory_order_relaxed);
      break;
    }
    case Outcome::Kind::kTimeout:
      break;
  }
}

bool EndpointHealth::ejected(std::chrono::steady_clock::time_point now) const {
  int64_t until = ejected_until_ns_.load(std::memory_order_relaxed);
  return until != 0 && to_ns(now) < until;
}

EndpointHealthSharedPtr HealthRegistry::get(const std::string& instance_id) {
  std::lock_guard lock(mu_);
  EndpointHealthSharedPtr& slot = by_id_[instance_id];
  if (!slot) slot = std::make_shared<EndpointHealth>();
  return slot;
}

void HealthRegistry::retain(const std::set<std::string>& keep) {
  std::lock_guard lock(mu_);
  for (auto it = by_id_.begin(); it != by_id_.end();) {
    it = keep.count(it->first) ? std::next(it) : by_id_.erase(it);
  }
}

size_t HealthRegistry::size() const {
  std::lock_guard lock(mu_);
  return by_id_.size();
}

}  // namespace caravan::proxy
