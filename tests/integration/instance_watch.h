// Follows one service's instances in an agent's catalog for the scenario
// tests: a thread reads /v1/service/<name> every 50 ms and remembers, per
// allocation, when its instance was first seen, when it started draining (the
// catalog's DrainStartTime, written by the client before any task is
// signalled) and when it left; also the largest traffic an ingress reported
// for a draining instance.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "load_generator.h"

namespace caravan::testing {

struct InstanceLife {
  WallClock::time_point first_seen;
  std::optional<WallClock::time_point> drain_start;
  std::optional<WallClock::time_point> gone;  // no longer in the catalog
  bool canary = false;                         // registered as a canary at some point
  int most_sessions_reported = 0;              // while draining
};

class InstanceWatch {
 public:
  InstanceWatch(std::string agent_address, std::string service);
  ~InstanceWatch();
  InstanceWatch(const InstanceWatch&) = delete;
  InstanceWatch& operator=(const InstanceWatch&) = delete;

  // Per allocation ID, what was seen so far.
  std::map<std::string, InstanceLife> lives() const;
  // When `alloc`'s instance started draining, if it did.
  std::optional<WallClock::time_point> drain_start(const std::string& alloc) const;

 private:
  void run();

  std::string address_;
  std::string service_;
  mutable std::mutex mutex_;
  std::map<std::string, InstanceLife> lives_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace caravan::testing
