// IngressReports: the sum over live ingresses of what a draining instance still
// holds; an ingress that has not applied the drain keeps it busy; a dead one
// (its report past the TTL) stops counting.
#include "server/ingress_reports.h"

#include <gtest/gtest.h>

namespace caravan::server {
namespace {

using namespace std::chrono_literals;

IngressReport report(std::string ingress, int64_t index, std::vector<IngressInstanceLoad> loads) {
  return IngressReport{std::move(ingress), index, std::move(loads)};
}

TEST(IngressReports, NoLiveIngressMeansIdle) {
  IngressReports reports;
  auto now = std::chrono::steady_clock::now();
  InstanceTraffic t = reports.traffic("i1", 10, now);
  EXPECT_EQ(t.ingresses, 0);
  EXPECT_TRUE(t.idle());
}

TEST(IngressReports, SumsLiveIngressesAndWaitsForThoseBehindTheDrain) {
  IngressReports reports;
  auto now = std::chrono::steady_clock::now();
  reports.put(report("a", 12, {{"i1", 2, 3, 5}, {"i2", 1, 1, 1}}), 3s, now);
  reports.put(report("b", 12, {{"i1", 0, 1, 4}}), 3s, now);
  reports.put(report("c", 9, {}), 3s, now);  // has not seen the drain at index 10
  InstanceTraffic t = reports.traffic("i1", 10, now);
  EXPECT_EQ(t.ingresses, 3);
  EXPECT_EQ(t.behind, 1);
  EXPECT_EQ(t.active_requests, 2);
  EXPECT_EQ(t.connections, 4);
  EXPECT_EQ(t.sessions, 9);
  EXPECT_FALSE(t.idle());

  // Everyone caught up and nothing is left on i1 (connections alone do not count).
  reports.put(report("a", 13, {{"i1", 0, 2, 0}}), 3s, now);
  reports.put(report("b", 13, {}), 3s, now);
  reports.put(report("c", 13, {}), 3s, now);
  t = reports.traffic("i1", 10, now);
  EXPECT_EQ(t.behind, 0);
  EXPECT_EQ(t.connections, 2);
  EXPECT_TRUE(t.idle());
}

TEST(IngressReports, ADeadIngressStopsCountingAfterItsTtl) {
  IngressReports reports;
  auto now = std::chrono::steady_clock::now();
  reports.put(report("a", 20, {{"i1", 1, 1, 1}}), 3s, now);
  reports.put(report("b", 20, {}), 10s, now);
  EXPECT_FALSE(reports.traffic("i1", 10, now + 2s).idle());
  EXPECT_EQ(reports.live(now + 2s), 2u);
  InstanceTraffic t = reports.traffic("i1", 10, now + 3s);
  EXPECT_EQ(t.ingresses, 1);
  EXPECT_TRUE(t.idle());
  EXPECT_EQ(reports.live(now + 11s), 0u);
}

}  // namespace
}  // namespace caravan::server
