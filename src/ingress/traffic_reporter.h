// TrafficReporter: tells the server, every report interval, what this ingress
// still routes to each draining instance (requests in flight, upstream
// connections, live sessions) and which catalog index it has applied. The
// server keeps the reports in memory with a TTL (three intervals), so a client
// stopping an allocation knows when no live ingress needs its instances any
// more, and an ingress that dies stops counting.
// CatalogDirector::draining_load() → PUT /v1/ingress/:id/report.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/duration.h"
#include "ingress/catalog_follower.h"
#include "proxy/catalog_director.h"

namespace caravan::ingress {

struct TrafficReporterOptions {
  std::vector<std::string> servers;  // "http://127.0.0.1:4646"; tried in turn
  std::string ingress_id;            // stable for the life of the process
  Duration interval = std::chrono::seconds(1);
};

// [{"ID", "ActiveRequests", "Connections", "Sessions"}, ...]: the reports'
// "Instances" and the admin endpoint's "Draining".
std::string instance_loads_json(const std::vector<proxy::InstanceLoad>& loads);

// The JSON body of one report (also what tests compare).
std::string traffic_report_body(int64_t catalog_index,
                                const std::vector<proxy::InstanceLoad>& loads, Duration ttl);

class TrafficReporter {
 public:
  // Starts reporting at once on its own thread. `follower` must outlive the
  // reporter (its index is read before the director's load, so a report never
  // claims an index whose drains it had not applied).
  TrafficReporter(TrafficReporterOptions options, std::shared_ptr<proxy::CatalogDirector> director,
                  const CatalogFollower& follower);
  ~TrafficReporter();  // stops and joins within one report
  TrafficReporter(const TrafficReporter&) = delete;
  TrafficReporter& operator=(const TrafficReporter&) = delete;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace caravan::ingress
