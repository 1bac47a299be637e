// Metrics of the ingress engine: per-thread counters written by their event
// loop without locks or atomic read-modify-write (one writer each), read by
// metrics_text() from any thread and summed into the Prometheus text format.
// Labels: route, service and instance for upstream traffic; status class.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace caravan::proxy {

// A counter with one writer thread: a plain load+store, readable from others.
class LocalCounter {
 public:
  void add(uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void sub(uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed); }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// Upper bounds (seconds) of the latency histogram buckets; +Inf is implied.
inline constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                              0.1,    0.25,  0.5,    1.0,   2.5,   5.0,   10.0};
inline constexpr size_t kLatencyBucketCount = sizeof(kLatencyBuckets) / sizeof(double);

// Counters of one (route, service, instance) on one thread.
struct UpstreamStats {
  std::string route, service, instance;
  LocalCounter requests_by_class[6];  // index = status / 100 (0: no response)
  LocalCounter latency_buckets[kLatencyBucketCount + 1];  // non-cumulative; last = +Inf
  LocalCounter latency_sum_us;
  LocalCounter active_requests;
  LocalCounter connect_failures;

  void observe(int status, uint64_t latency_ns);
};

// All counters of one event-loop thread.
class ThreadMetrics {
 public:
  // The stats for this key, created on first use. Loop thread only.
  UpstreamStats& upstream(std::string_view route, std::string_view service,
                          std::string_view instance);

  LocalCounter client_connections;     // open client connections (gauge)
  LocalCounter accepted_connections;   // total accepted
  LocalCounter local_responses[6];     // answered by the engine/director, by class
  LocalCounter upstream_connections;   // open upstream connections (gauge)

  // Visits every stats entry under the publication lock. Any thread.
  template <class Fn>
  void for_each(Fn&& fn) const {
    std::lock_guard<std::mutex> lock(mu_);
    for (const UpstreamStats& s : entries_) fn(s);
  }

 private:
  mutable std::mutex mu_;             // guards entries_ growth against readers
  std::deque<UpstreamStats> entries_; // stable addresses
  std::unordered_map<uint64_t, std::vector<UpstreamStats*>> index_;  // loop thread only
};

// The Prometheus text of the given threads' metrics, summed.
std::string render_metrics(const std::vector<const ThreadMetrics*>& threads);

}  // namespace caravan::proxy
