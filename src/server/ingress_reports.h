// IngressReports: what each running ingress last said about the draining
// service instances it routes to (requests in flight, upstream connections,
// live sessions), kept in the server's memory only — not in the log — and
// forgotten after the report's TTL, so a dead ingress stops counting. The
// client asks it whether an allocation's instances are idle before it signals
// the allocation's tasks (docs/architecture/catalog.md, "Draining").
// ingress → PUT /v1/ingress/:id/report → IngressReports → catalog API / client.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace caravan::server {

// One instance's load as one ingress sees it.
struct IngressInstanceLoad {
  std::string instance_id;
  int64_t active_requests = 0;
  int64_t connections = 0;
  int64_t sessions = 0;
};

// One report of one ingress.
struct IngressReport {
  std::string ingress_id;
  // The catalog index the ingress had applied: a report covers a drain only
  // when the ingress had already seen it (index >= the instance's ModifyIndex).
  int64_t catalog_index = 0;
  std::vector<IngressInstanceLoad> instances;  // its draining instances
};

// The sum over live ingresses for one draining instance.
struct InstanceTraffic {
  int64_t ingresses = 0;  // live ingresses (reports within their TTL)
  int64_t behind = 0;     // live ingresses that have not yet seen the drain
  int64_t active_requests = 0;
  int64_t connections = 0;
  int64_t sessions = 0;
  // No live ingress holds a request or a live session of it, and every live
  // ingress has seen the drain. True when no ingress is live.
  bool idle() const { return behind == 0 && active_requests == 0 && sessions == 0; }
};

// Thread-safe.
class IngressReports {
 public:
  using Clock = std::chrono::steady_clock;

  // Replaces the ingress's previous report; it counts until now + ttl.
  void put(IngressReport report, std::chrono::nanoseconds ttl, Clock::time_point now);
  // The traffic of instance `instance_id`, whose drain was stored at catalog
  // index `modify_index`, over the ingresses live at `now`.
  InstanceTraffic traffic(const std::string& instance_id, int64_t modify_index,
                          Clock::time_point now) const;
  // Ingresses whose report is still within its TTL.
  size_t live(Clock::time_point now) const;
  // The lowest catalog index the live ingresses have applied; -1 when none is
  // live. A client that deregistered at index N waits for it to reach N.
  int64_t min_catalog_index(Clock::time_point now) const;

 private:
  struct Entry {
    IngressReport report;
    Clock::time_point expires;
  };
  void expire_locked(Clock::time_point now) const;

  mutable std::mutex mu_;
  mutable std::map<std::string, Entry> by_ingress_;
};

}  // namespace caravan::server
