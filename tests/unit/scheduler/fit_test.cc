// fit_group's two modes agree: the cheap check (grant = false) that scoring
// uses says "fits" exactly when granting would succeed, and names the same
// exhausted dimension — on a crowded dynamic port range, static collisions,
// reserved cores, cpu and memory.
#include "scheduler/fit.h"

#include <gtest/gtest.h>

namespace caravan::scheduler {
namespace {

model::Node small_node() {
  model::Node node;
  node.id = "n1";
  node.node_resources.cpu.cpu_shares = 4000;
  node.node_resources.cpu.total_cpu_cores = 4;
  node.node_resources.memory.memory_mb = 1024;
  node.node_resources.disk.disk_mb = 1000;
  node.node_resources.min_dynamic_port = 20000;
  node.node_resources.max_dynamic_port = 20004;
  return node;
}

model::TaskGroup group_asking(int dynamic_ports, std::vector<int> static_ports, int cores, int cpu,
                              int memory) {
  model::TaskGroup group;
  group.name = "g";
  model::NetworkResource network;
  for (int i = 0; i < dynamic_ports; ++i) network.dynamic_ports.push_back({"d" + std::to_string(i), 0, 0, ""});
  for (int port : static_ports) network.reserved_ports.push_back({"s" + std::to_string(port), port, 0, ""});
  group.networks.push_back(network);
  model::Task task;
  task.name = "t";
  task.resources.cores = cores;
  task.resources.cpu = cpu;
  task.resources.memory_mb = memory;
  group.tasks.push_back(task);
  return group;
}

// Both modes, checked to agree; returns the granting one.
FitResult both(const model::TaskGroup& group, const model::Node& node, const NodeUsage& usage) {
  std::mt19937_64 rng(1);
  FitResult check = fit_group(group, node, usage, rng, /*grant=*/false);
  FitResult granted = fit_group(group, node, usage, rng, /*grant=*/true);
  EXPECT_EQ(check.fits, granted.fits);
  EXPECT_EQ(check.exhausted, granted.exhausted);
  EXPECT_EQ(check.cpu_after, granted.cpu_after);
  EXPECT_EQ(check.memory_after, granted.memory_after);
  EXPECT_TRUE(check.resources.tasks.empty()) << "the check builds no grant";
  return granted;
}

TEST(Fit, CheckAndGrantAgreeOnACrowdedPortRange) {
  model::Node node = small_node();
  NodeUsage usage;
  for (int port : {20000, 20001, 20001, 20003}) usage.add_port(port);  // 20002, 20004 free
  FitResult two = both(group_asking(2, {}, 0, 100, 64), node, usage);
  ASSERT_TRUE(two.fits);
  EXPECT_EQ(two.resources.shared.ports.size(), 2u);
  EXPECT_FALSE(both(group_asking(3, {}, 0, 100, 64), node, usage).fits);
  // A static port inside the range takes one of the free ones.
  EXPECT_FALSE(both(group_asking(2, {20002}, 0, 100, 64), node, usage).fits);
  EXPECT_TRUE(both(group_asking(1, {20002}, 0, 100, 64), node, usage).fits);
  EXPECT_EQ(both(group_asking(0, {20003}, 0, 100, 64), node, usage).exhausted,
            "network: reserved port collision s20003=20003");
  EXPECT_EQ(both(group_asking(0, {8080, 8080}, 0, 100, 64), node, usage).exhausted,
            "network: reserved port collision s8080=8080");
}

TEST(Fit, CheckAndGrantAgreeOnCoresCpuAndMemory) {
  model::Node node = small_node();
  NodeUsage usage;
  usage.cores = {0, 2};
  usage.cpu = 2000;  // the two reserved cores
  FitResult cores = both(group_asking(0, {}, 2, 0, 64), node, usage);
  ASSERT_TRUE(cores.fits);
  EXPECT_EQ(cores.resources.tasks.at("t").reserved_cores, (std::vector<int>{1, 3}));
  EXPECT_EQ(cores.cpu_after, 4000);
  EXPECT_EQ(both(group_asking(0, {}, 3, 0, 64), node, usage).exhausted, "cores");
  EXPECT_EQ(both(group_asking(0, {}, 0, 2001, 64), node, usage).exhausted, "cpu");
  EXPECT_EQ(both(group_asking(0, {}, 0, 100, 1025), node, usage).exhausted, "memory");
}

}  // namespace
}  // namespace caravan::scheduler
