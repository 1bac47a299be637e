// Feasibility, resources and ranking through the service/batch scheduler.
#include <gtest/gtest.h>

#include <set>

#include "harness.h"
#include "scheduler/context.h"
#include "scheduler/stack.h"

namespace caravan::scheduler {
namespace {

using testing::Harness;
namespace fx = testing::fixtures;

model::Allocation usage_alloc(const std::string& node, int cpu, int memory) {
  auto other = std::make_shared<const model::Job>(fx::job("other"));
  model::Allocation a = fx::alloc(other, node, 0, "busy-" + node);
  a.allocated_resources.tasks["server"].cpu_shares = cpu;
  a.allocated_resources.tasks["server"].memory_mb = memory;
  return a;
}

model::Job job_with_ports(int count, std::vector<model::Port> reserved,
                          std::vector<model::Port> dynamic) {
  model::Job job = fx::job("web", count);
  model::NetworkResource net;
  net.mode = "host";
  net.reserved_ports = std::move(reserved);
  net.dynamic_ports = std::move(dynamic);
  job.task_groups[0].networks.push_back(net);
  return job;
}

TEST(Placement, PlacesOnAReadyNode) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  model::Job job = fx::job("web", 2);
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 2u);
  std::set<std::string> names;
  for (const model::Allocation& a : h.placed()) {
    names.insert(a.name);
    EXPECT_EQ(a.node_id, "n1");
    EXPECT_EQ(a.allocated_resources.tasks.at("server").cpu_shares, 500);
    EXPECT_EQ(a.allocated_resources.tasks.at("server").memory_mb, 256);
    EXPECT_EQ(a.allocated_resources.shared.disk_mb, 300);
    EXPECT_EQ(a.desired_status, model::kAllocDesiredRun);
    EXPECT_EQ(a.client_status, model::kAllocClientPending);
  }
  EXPECT_EQ(names, (std::set<std::string>{"web.web[0]", "web.web[1]"}));
  EXPECT_EQ(h.last_eval().status, model::kEvalStatusComplete);
  EXPECT_TRUE(h.last_eval().failed_tg_allocs.empty());
  EXPECT_EQ(h.last_eval().queued_allocations.at("web"), 0);
  EXPECT_TRUE(h.created_evals.empty());
}

TEST(Placement, MissingDriverFiltersTheNodeAndRecordsWhy) {
  Harness h;
  model::Node node = fx::node("n1");
  node.drivers.erase("raw_exec");
  h.state().put_node(node);
  model::Node unhealthy = fx::node("n2");
  unhealthy.drivers["raw_exec"].healthy = false;
  h.state().put_node(unhealthy);
  model::Job job = fx::job();
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  EXPECT_TRUE(h.placed().empty());
  const model::AllocMetric& m = h.last_eval().failed_tg_allocs.at("web");
  EXPECT_EQ(m.nodes_filtered, 2);
  EXPECT_EQ(m.constraint_filtered.at("missing drivers"), 2);
  EXPECT_EQ(m.nodes_evaluated, 2);
  EXPECT_EQ(m.nodes_available.at("dc1"), 2);
  EXPECT_EQ(h.last_eval().queued_allocations.at("web"), 1);
  ASSERT_EQ(h.created_evals.size(), 1u);
  EXPECT_EQ(h.created_evals[0].status, model::kEvalStatusBlocked);
  EXPECT_EQ(h.created_evals[0].triggered_by, model::kEvalTriggerQueuedAllocs);
  EXPECT_EQ(h.last_eval().blocked_eval, h.created_evals[0].id);
}

TEST(Placement, ConstraintFailureIsKeyedLikeNomad) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  model::Job job = fx::job();
  job.constraints.push_back({"${attr.kernel.name}", "windows", "="});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  const model::AllocMetric& m = h.last_eval().failed_tg_allocs.at("web");
  EXPECT_EQ(m.constraint_filtered.at("${attr.kernel.name} = windows"), 1);
}

TEST(Placement, TaskConstraintsAndDatacenterGlobsAndPools) {
  Harness h;
  model::Node east = fx::node("n1");
  east.datacenter = "us-east-1a";
  model::Node west = fx::node("n2");
  west.datacenter = "us-west-2a";
  model::Node other_pool = fx::node("n3");
  other_pool.datacenter = "us-east-1b";
  other_pool.node_pool = "gpu";
  for (const auto& n : {east, west, other_pool}) h.state().put_node(n);
  model::Job job = fx::job("web", 1);
  job.datacenters = {"us-east-*"};
  job.task_groups[0].tasks[0].constraints.push_back({"${node.unique.id}", "n9", "!="});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n1");

  job.node_pool = "gpu";
  job.id = "gpu-job";
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n3");
}

TEST(Placement, NodesThatAreNotReadyEligibleOrUndrainedAreNotCandidates) {
  Harness h;
  model::Node down = fx::node("n1");
  down.status = model::kNodeStatusDown;
  model::Node ineligible = fx::node("n2");
  ineligible.scheduling_eligibility = model::kNodeIneligible;
  model::Node draining = fx::node("n3");
  draining.drain_strategy = model::DrainStrategy{};
  for (const auto& n : {down, ineligible, draining}) h.state().put_node(n);
  model::Job job = fx::job();
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  EXPECT_TRUE(h.placed().empty());
  EXPECT_TRUE(h.last_eval().failed_tg_allocs.at("web").nodes_available.empty());
}

TEST(Placement, BinpackPicksTheFullerNode) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  h.state().put_node(fx::node("n2"));
  h.state().put_alloc(usage_alloc("n2", 2000, 4096));
  model::Job job = fx::job();
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n2");
}

TEST(Placement, SpreadAlgorithmPicksTheEmptierNode) {
  Harness h;
  h.config.algorithm = SchedulerAlgorithm::kSpread;
  h.state().put_node(fx::node("n1"));
  h.state().put_node(fx::node("n2"));
  h.state().put_alloc(usage_alloc("n2", 2000, 4096));
  model::Job job = fx::job();
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n1");
}

TEST(Placement, ExhaustedDimensionsUseNomadWords) {
  struct Case {
    int cpu, memory, disk;
    const char* dimension;
  };
  for (const Case& c : {Case{5000, 256, 300, "cpu"}, Case{500, 9000, 300, "memory"},
                        Case{500, 256, 200000, "disk"}}) {
    Harness h;
    model::Node node = fx::node("n1");
    node.reserved_resources.memory_mb = 100;
    h.state().put_node(node);
    model::Job job = fx::job();
    job.task_groups[0].tasks[0].resources.cpu = c.cpu;
    job.task_groups[0].tasks[0].resources.memory_mb = c.memory;
    job.task_groups[0].tasks[0].resources.memory_max_mb = 100000;  // never counts for fit
    job.task_groups[0].ephemeral_disk->size_mb = c.disk;
    h.state().put_job(job);
    ASSERT_TRUE(h.process(job).is_ok());
    const model::AllocMetric& m = h.last_eval().failed_tg_allocs.at("web");
    EXPECT_EQ(m.nodes_exhausted, 1) << c.dimension;
    EXPECT_EQ(m.dimension_exhausted.at(c.dimension), 1) << c.dimension;
  }
}

TEST(Placement, ReservedResourcesAreSubtracted) {
  Harness h;
  model::Node node = fx::node("n1");
  node.reserved_resources.cpu_shares = 3800;
  h.state().put_node(node);
  model::Job job = fx::job();
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at("cpu"), 1);
}

TEST(Placement, StaticPortCollisionPlacesOneAndReportsTheRest) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  model::Job job = job_with_ports(5, {{"http", 8080, 0, "default"}}, {});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  const model::Allocation placed = h.placed()[0];
  ASSERT_EQ(placed.allocated_resources.shared.ports.size(), 1u);
  EXPECT_EQ(placed.allocated_resources.shared.ports[0].value, 8080);
  EXPECT_EQ(placed.allocated_resources.shared.ports[0].host_ip, "10.0.0.1");
  const model::Evaluation& eval = h.last_eval();
  const model::AllocMetric& m = eval.failed_tg_allocs.at("web");
  EXPECT_EQ(m.dimension_exhausted.at("network: reserved port collision http=8080"), 1);
  EXPECT_EQ(m.coalesced_failures, 3);
  EXPECT_EQ(eval.queued_allocations.at("web"), 4);
  EXPECT_EQ(eval.status, model::kEvalStatusComplete);
  EXPECT_FALSE(eval.blocked_eval.empty());
}

TEST(Placement, JobPlanDryRunReportsThePortCollision) {
  Harness h;
  h.dry_run = true;
  h.state().put_node(fx::node("n1"));
  model::Job job = job_with_ports(5, {{"http", 8080, 0, "default"}}, {});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job, "job-register", /*annotate=*/true).is_ok());
  ASSERT_EQ(h.plans.size(), 1u);
  EXPECT_EQ(h.plans[0].annotations.desired_tg_updates.at("web").place, 5);
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at(
                "network: reserved port collision http=8080"),
            1);
  EXPECT_TRUE(h.state().allocs().empty()) << "a dry run commits nothing";
}

TEST(Placement, JobPlanWithNothingToDoStillReportsAnnotations) {
  Harness h;
  h.dry_run = true;
  h.state().put_node(fx::node("n1"));
  auto job = h.state().put_job(fx::job("web", 1));
  h.state().put_alloc(fx::alloc(job, "n1", 0));
  ASSERT_TRUE(h.process(*job, "job-register", true).is_ok());
  ASSERT_EQ(h.plans.size(), 1u);
  EXPECT_TRUE(h.plans[0].empty());
  EXPECT_EQ(h.plans[0].annotations.desired_tg_updates.at("web").ignore, 1);
}

TEST(Placement, NodeReservedHostPortsCollide) {
  Harness h;
  model::Node node = fx::node("n1");
  node.reserved_resources.reserved_host_ports = "22,8000-8100";
  h.state().put_node(node);
  model::Job job = job_with_ports(1, {{"http", 8080, 0, "default"}}, {});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at(
                "network: reserved port collision http=8080"),
            1);
}

TEST(Placement, DynamicPortsAreDistinctAndInRange) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  model::Job job = job_with_ports(5, {}, {{"http", 0, 8080, "default"}, {"admin", 0, 0, ""}});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 5u);
  std::set<int> ports;
  for (const model::Allocation& a : h.placed()) {
    ASSERT_EQ(a.allocated_resources.shared.ports.size(), 2u);
    for (const model::AllocatedPort& p : a.allocated_resources.shared.ports) {
      EXPECT_GE(p.value, 20000);
      EXPECT_LE(p.value, 32000);
      ports.insert(p.value);
    }
    EXPECT_EQ(a.allocated_resources.shared.ports[0].to, 8080);
    EXPECT_EQ(a.allocated_resources.shared.networks[0].dynamic_ports[0].value,
              a.allocated_resources.shared.ports[0].value);
  }
  EXPECT_EQ(ports.size(), 10u);
}

TEST(Placement, DynamicPortsAvoidUsedOnesAndFailWhenTheRangeIsFull) {
  Harness h;
  model::Node node = fx::node("n1");
  node.node_resources.min_dynamic_port = 30000;
  node.node_resources.max_dynamic_port = 30002;
  node.reserved_resources.reserved_host_ports = "30001";
  h.state().put_node(node);
  model::Job job = job_with_ports(3, {}, {{"http", 0, 0, ""}});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 2u);
  std::set<int> ports;
  for (const model::Allocation& a : h.placed())
    ports.insert(a.allocated_resources.shared.ports[0].value);
  EXPECT_EQ(ports, (std::set<int>{30000, 30002}));
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at(
                "network: dynamic port selection failed"),
            1);
}

TEST(Placement, ReservedCoresAreExclusive) {
  Harness h;
  h.state().put_node(fx::node("n1"));  // 4 cores, 1000 MHz each
  model::Job job = fx::job("web", 3);
  job.task_groups[0].tasks[0].resources.cpu = 0;
  job.task_groups[0].tasks[0].resources.cores = 2;
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 2u);
  std::set<int> cores;
  for (const model::Allocation& a : h.placed()) {
    const auto& task = a.allocated_resources.tasks.at("server");
    EXPECT_EQ(task.cpu_shares, 2000);
    cores.insert(task.reserved_cores.begin(), task.reserved_cores.end());
  }
  EXPECT_EQ(cores.size(), 4u);
  EXPECT_EQ(h.last_eval().failed_tg_allocs.at("web").dimension_exhausted.at("cores"), 1);
}

TEST(Placement, DistinctHostsAndDistinctProperty) {
  Harness h;
  for (const char* id : {"n1", "n2", "n3"}) {
    model::Node node = fx::node(id);
    node.meta["rack"] = std::string(id) == "n3" ? "r2" : "r1";
    h.state().put_node(node);
  }
  model::Job hosts = fx::job("hosts", 4);
  hosts.constraints.push_back({"", "true", "distinct_hosts"});
  h.state().put_job(hosts);
  ASSERT_TRUE(h.process(hosts).is_ok());
  EXPECT_EQ(h.placed().size(), 3u);
  EXPECT_GE(h.last_eval().failed_tg_allocs.at("web").constraint_filtered.at("distinct_hosts"), 1);

  model::Job racks = fx::job("racks", 3);
  racks.task_groups[0].constraints.push_back({"${meta.rack}", "", "distinct_property"});
  h.state().put_job(racks);
  ASSERT_TRUE(h.process(racks).is_ok());
  ASSERT_EQ(h.placed().size(), 2u);
  std::set<std::string> used_racks;
  for (const auto& a : h.placed()) used_racks.insert(h.state().node(a.node_id)->meta.at("rack"));
  EXPECT_EQ(used_racks.size(), 2u);
  EXPECT_GE(h.last_eval().failed_tg_allocs.at("web").constraint_filtered.at("distinct_property"),
            1);

  model::Job two_per_rack = fx::job("two", 4);
  two_per_rack.constraints.push_back({"${meta.rack}", "2", "distinct_property"});
  h.state().put_job(two_per_rack);
  ASSERT_TRUE(h.process(two_per_rack).is_ok());
  EXPECT_EQ(h.placed().size(), 4u) << "two per rack value";
}

TEST(Placement, AffinityPrefersMatchingNodes) {
  Harness h;
  for (const char* id : {"n1", "n2", "n3", "n4"}) {
    model::Node node = fx::node(id);
    node.meta["zone"] = std::string(id) == "n3" ? "b" : "a";
    h.state().put_node(node);
  }
  model::Job job = fx::job();
  job.affinities.push_back({"${meta.zone}", "b", "=", 100});
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 1u);
  EXPECT_EQ(h.placed()[0].node_id, "n3");
}

TEST(Placement, SpreadBlocksFollowTargetsAndSpreadEvenly) {
  Harness h;
  for (int i = 0; i < 8; ++i) {
    model::Node node = fx::node("n" + std::to_string(i));
    node.meta["zone"] = i % 2 == 0 ? "a" : "b";
    h.state().put_node(node);
  }
  model::Job even = fx::job("even", 6);
  even.task_groups[0].spreads.push_back({"${meta.zone}", 50, {}});
  h.state().put_job(even);
  ASSERT_TRUE(h.process(even).is_ok());
  std::map<std::string, int> per_zone;
  for (const auto& a : h.placed()) ++per_zone[h.state().node(a.node_id)->meta.at("zone")];
  EXPECT_EQ(per_zone["a"], 3);
  EXPECT_EQ(per_zone["b"], 3);

  model::Job targeted = fx::job("targeted", 4);
  targeted.spreads.push_back({"${meta.zone}", 100, {{"a", 75}, {"b", 25}}});
  h.state().put_job(targeted);
  ASSERT_TRUE(h.process(targeted).is_ok());
  per_zone.clear();
  for (const auto& a : h.placed()) ++per_zone[h.state().node(a.node_id)->meta.at("zone")];
  EXPECT_EQ(per_zone["a"], 3);
  EXPECT_EQ(per_zone["b"], 1);
}

TEST(Placement, JobAntiAffinitySpreadsAGroupOverEqualNodes) {
  Harness h;
  h.state().put_node(fx::node("n1"));
  h.state().put_node(fx::node("n2"));
  model::Job job = fx::job("web", 2);
  job.task_groups[0].tasks[0].resources.cpu = 100;
  job.task_groups[0].tasks[0].resources.memory_mb = 64;
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  ASSERT_EQ(h.placed().size(), 2u);
  EXPECT_NE(h.placed()[0].node_id, h.placed()[1].node_id);
}

TEST(Placement, ScoresABoundedNumberOfNodes) {
  testing::FakeState state;
  for (int i = 0; i < 100; ++i) state.put_node(fx::node("n" + std::to_string(i)));
  SchedulerConfig config;
  for (const char* type : {model::kJobTypeService, model::kJobTypeBatch}) {
    model::Job job = fx::job("web", 1);
    job.type = type;
    EvalContext ctx(state, config, 7, testing::kNow);
    Stack stack(ctx, job, candidate_nodes(state, job));
    model::AllocMetric metric;
    ASSERT_TRUE(stack.select(job.task_groups[0], {}, metric).has_value());
    EXPECT_EQ(metric.nodes_evaluated, job.type == model::kJobTypeBatch ? 2 : 7) << type;
    EXPECT_EQ(metric.nodes_in_pool, 100);
  }
  model::Job spread = fx::job("web", 1);
  spread.spreads.push_back({"${node.datacenter}", 50, {}});
  EXPECT_EQ(score_limit(spread, spread.task_groups[0], 100), 100);
  EXPECT_EQ(score_limit(fx::job(), fx::job().task_groups[0], 5000), 13);
  EXPECT_EQ(score_limit(fx::job(), fx::job().task_groups[0], 1), 2);
}

TEST(Placement, LargeClusterPlacesEverything) {
  Harness h;
  for (int i = 0; i < 5000; ++i) h.state().put_node(fx::node("n" + std::to_string(i)));
  model::Job job = fx::job("big", 1000);
  h.state().put_job(job);
  ASSERT_TRUE(h.process(job).is_ok());
  EXPECT_EQ(h.placed().size(), 1000u);
  EXPECT_TRUE(h.last_eval().failed_tg_allocs.empty());
}

}  // namespace
}  // namespace caravan::scheduler
