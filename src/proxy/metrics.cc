#include "proxy/metrics.h"

#include <xxhash.h>

#include <cstdio>
#include <map>
#include <tuple>

namespace caravan::proxy {

void UpstreamStats::observe(int status, uint64_t latency_ns) {
  int cls = status / 100;
  if (cls < 0 || cls > 5) cls = 0;
  requests_by_class[cls].add();
  double seconds = static_cast<double>(latency_ns) / 1e9;
  size_t b = 0;
  while (b < kLatencyBucketCount && seconds > kLatencyBuckets[b]) ++b;
  latency_buckets[b].add();
  latency_sum_us.add(latency_ns / 1000);
}

UpstreamStats& ThreadMetrics::upstream(std::string_view route, std::string_view service,
                                       std::string_view instance) {
  uint64_t h = XXH3_64bits(route.data(), route.size());
  h = XXH3_64bits_withSeed(service.data(), service.size(), h);
  h = XXH3_64bits_withSeed(instance.data(), instance.size(), h);
  std::vector<UpstreamStats*>& bucket = index_[h];
  for (UpstreamStats* s : bucket) {
    if (s->route == route && s->service == service && s->instance == instance) return *s;
  }
  UpstreamStats* created;
  {
    std::lock_guard<std::mutex> lock(mu_);
    created = &entries_.emplace_back();
    created->route = std::string(route);
    created->service = std::string(service);
    created->instance = std::string(instance);
  }
  bucket.push_back(created);
  return *created;
}

namespace {

struct Sum {
  uint64_t by_class[6] = {};
  uint64_t buckets[kLatencyBucketCount + 1] = {};
  uint64_t sum_us = 0;
  uint64_t active = 0;
  uint64_t connect_failures = 0;
};

// Label values escape backslash, quote and newline.
std::string escape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string fmt_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

}  // namespace

std::string render_metrics(const std::vector<const ThreadMetrics*>& threads) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, Sum> sums;
  uint64_t client_connections = 0, accepted = 0, upstream_connections = 0;
  uint64_t local[6] = {};
  for (const ThreadMetrics* t : threads) {
    client_connections += t->client_connections.get();
    accepted += t->accepted_connections.get();
    upstream_connections += t->upstream_connections.get();
    for (int i = 0; i < 6; ++i) local[i] += t->local_responses[i].get();
    t->for_each([&](const UpstreamStats& s) {
      Sum& sum = sums[Key(s.route, s.service, s.instance)];
      for (int i = 0; i < 6; ++i) sum.by_class[i] += s.requests_by_class[i].get();
      for (size_t i = 0; i <= kLatencyBucketCount; ++i) sum.buckets[i] += s.latency_buckets[i].get();
      sum.sum_us += s.latency_sum_us.get();
      sum.active += s.active_requests.get();
      sum.connect_failures += s.connect_failures.get();
    });
  }

  std::string out;
  out.reserve(4096 + sums.size() * 2048);
  out += "# HELP caravan_proxy_client_connections Open client connections.\n";
  out += "# TYPE caravan_proxy_client_connections gauge\n";
  out += "caravan_proxy_client_connections " + std::to_string(client_connections) + "\n";
  out += "# HELP caravan_proxy_client_connections_accepted_total Client connections accepted.\n";
  out += "# TYPE caravan_proxy_client_connections_accepted_total counter\n";
  out += "caravan_proxy_client_connections_accepted_total " + std::to_string(accepted) + "\n";
  out += "# HELP caravan_proxy_upstream_connections Open upstream connections (busy and pooled).\n";
  out += "# TYPE caravan_proxy_upstream_connections gauge\n";
  out += "caravan_proxy_upstream_connections " + std::to_string(upstream_connections) + "\n";
  out += "# HELP caravan_proxy_local_responses_total Responses the ingress answered itself.\n";
  out += "# TYPE caravan_proxy_local_responses_total counter\n";
  for (int i = 1; i < 6; ++i) {
    out += "caravan_proxy_local_responses_total{code=\"" + std::to_string(i) + "xx\"} " +
           std::to_string(local[i]) + "\n";
  }

  auto labels = [](const Key& k) {
    return "route=\"" + escape(std::get<0>(k)) + "\",service=\"" + escape(std::get<1>(k)) +
           "\",instance=\"" + escape(std::get<2>(k)) + "\"";
  };
  out += "# HELP caravan_proxy_requests_total Requests forwarded upstream, by status class.\n";
  out += "# TYPE caravan_proxy_requests_total counter\n";
  for (const auto& [key, sum] : sums) {
    std::string l = labels(key);
    for (int i = 0; i < 6; ++i) {
      if (sum.by_class[i] == 0 && i != 2) continue;
      std::string code = i == 0 ? "none" : std::to_string(i) + "xx";
      out += "caravan_proxy_requests_total{" + l + ",code=\"" + code + "\"} " +
             std::to_string(sum.by_class[i]) + "\n";
    }
  }
  out += "# HELP caravan_proxy_request_duration_seconds Time from request head to end of response.\n";
  out += "# TYPE caravan_proxy_request_duration_seconds histogram\n";
  for (const auto& [key, sum] : sums) {
    std::string l = labels(key);
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kLatencyBucketCount; ++i) {
      cumulative += sum.buckets[i];
      std::string le = i < kLatencyBucketCount ? fmt_double(kLatencyBuckets[i]) : "+Inf";
      out += "caravan_proxy_request_duration_seconds_bucket{" + l + ",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "caravan_proxy_request_duration_seconds_sum{" + l + "} " +
           fmt_double(static_cast<double>(sum.sum_us) / 1e6) + "\n";
    out += "caravan_proxy_request_duration_seconds_count{" + l + "} " + std::to_string(cumulative) +
           "\n";
  }
  out += "# HELP caravan_proxy_upstream_active_requests Requests in flight to the instance.\n";
  out += "# TYPE caravan_proxy_upstream_active_requests gauge\n";
  for (const auto& [key, sum] : sums) {
    out += "caravan_proxy_upstream_active_requests{" + labels(key) + "} " +
           std::to_string(sum.active) + "\n";
  }
  out += "# HELP caravan_proxy_upstream_connect_failures_total Failed connection attempts.\n";
  out += "# TYPE caravan_proxy_upstream_connect_failures_total counter\n";
  for (const auto& [key, sum] : sums) {
    out += "caravan_proxy_upstream_connect_failures_total{" + labels(key) + "} " +
           std::to_string(sum.connect_failures) + "\n";
  }
  return out;
}

}  // namespace caravan::proxy
