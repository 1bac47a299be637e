#include "server/ingress_reports.h"

namespace caravan::server {

void IngressReports::put(IngressReport report, std::chrono::nanoseconds ttl,
                         Clock::time_point now) {
  std::lock_guard lock(mu_);
  expire_locked(now);
  std::string id = report.ingress_id;
  by_ingress_[id] = Entry{std::move(report), now + ttl};
}

InstanceTraffic IngressReports::traffic(const std::string& instance_id, int64_t modify_index,
                                        Clock::time_point now) const {
  std::lock_guard lock(mu_);
  expire_locked(now);
  InstanceTraffic out;
  for (const auto& [id, entry] : by_ingress_) {
    ++out.ingresses;
    if (entry.report.catalog_index < modify_index) {
      ++out.behind;
      continue;
    }
    for (const IngressInstanceLoad& load : entry.report.instances) {
      if (load.instance_id != instance_id) continue;
      out.active_requests += load.active_requests;
      out.connections += load.connections;
      out.sessions += load.sessions;
    }
  }
  return out;
}

size_t IngressReports::live(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  expire_locked(now);
  return by_ingress_.size();
}

int64_t IngressReports::min_catalog_index(Clock::time_point now) const {
  std::lock_guard lock(mu_);
  expire_locked(now);
  int64_t low = -1;
  for (const auto& [id, entry] : by_ingress_) {
    if (low < 0 || entry.report.catalog_index < low) low = entry.report.catalog_index;
  }
  return low;
}

void IngressReports::expire_locked(Clock::time_point now) const {
  for (auto it = by_ingress_.begin(); it != by_ingress_.end();) {
    it = it->second.expires <= now ? by_ingress_.erase(it) : std::next(it);
  }
}

}  // namespace caravan::server
