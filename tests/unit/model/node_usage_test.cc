// NodeUsage: ports kept sorted with one entry per holder, collisions found,
// and an allocation's resources added and taken away symmetrically.
#include "model/node_usage.h"

#include <gtest/gtest.h>

namespace caravan::model {
namespace {

Allocation alloc_holding(int64_t cpu, std::vector<int> ports, std::vector<int> cores = {}) {
  Allocation alloc;
  alloc.allocated_resources.tasks["a"] = AllocatedTaskResources{cpu, cores, 32, 64};
  alloc.allocated_resources.shared.disk_mb = 100;
  for (int port : ports) alloc.allocated_resources.shared.ports.push_back({"p", port, 0, ""});
  // A network block repeating a granted port counts once.
  NetworkResource network;
  if (!ports.empty()) network.dynamic_ports.push_back(Port{"p", ports[0], 0, ""});
  alloc.allocated_resources.shared.networks.push_back(network);
  return alloc;
}

TEST(NodeUsage, PortsStaySortedWithOneEntryPerHolder) {
  NodeUsage usage;
  usage.add_port(9000);
  usage.add_port(22);
  usage.add_port(9000);
  EXPECT_EQ(usage.ports, (std::vector<int>{22, 9000, 9000}));
  EXPECT_TRUE(usage.port_used(22));
  EXPECT_FALSE(usage.port_used(23));
  EXPECT_EQ(usage.colliding_port(), 9000);
  usage.remove_port(9000);
  EXPECT_EQ(usage.colliding_port(), 0);
  usage.remove_port(1234);  // not held: no-op
  EXPECT_EQ(usage.ports, (std::vector<int>{22, 9000}));
}

TEST(NodeUsage, AllocationsAddAndRemoveSymmetrically) {
  NodeUsage usage;
  Allocation a = alloc_holding(500, {20001, 20002}, {3});
  Allocation b = alloc_holding(250, {20003});
  apply_alloc_usage(usage, a, 1);
  apply_alloc_usage(usage, b, 1);
  EXPECT_EQ(usage.cpu, 750);
  EXPECT_EQ(usage.memory_mb, 64);  // memory counts, memory_max does not
  EXPECT_EQ(usage.disk_mb, 200);
  EXPECT_EQ(usage.ports, (std::vector<int>{20001, 20002, 20003}));
  EXPECT_EQ(usage.cores, (std::vector<int>{3}));
  apply_alloc_usage(usage, a, -1);
  EXPECT_EQ(usage.cpu, 250);
  EXPECT_EQ(usage.ports, (std::vector<int>{20003}));
  EXPECT_TRUE(usage.cores.empty());
  apply_alloc_usage(usage, b, -1);
  EXPECT_EQ(usage, NodeUsage{});
}

}  // namespace
}  // namespace caravan::model
