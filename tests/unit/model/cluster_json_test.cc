// JSON codecs of Node, Allocation and Evaluation: Nomad's keys, and a round trip
// that keeps every field.
#include <gtest/gtest.h>

#include "model/model_json.h"

namespace caravan::model {
namespace {

Node sample_node() {
  Node node;
  node.id = "5b2c5a8e-0000-4000-8000-000000000001";
  node.secret_id = "secret";
  node.datacenter = "dc1";
  node.name = "client-1";
  node.attributes = {{"kernel.name", "linux"}, {"cpu.arch", "amd64"}};
  node.node_resources.cpu.cpu_shares = 4000;
  node.node_resources.cpu.total_cpu_cores = 2;
  node.node_resources.memory.memory_mb = 24000;
  node.reserved_resources.reserved_host_ports = "22";
  node.drivers["raw_exec"] = DriverInfo{{{"driver.raw_exec", "1"}}, true, true, "Healthy", ""};
  node.drain_strategy = DrainStrategy{Duration(std::chrono::hours(1)), true, 5, 6};
  node.last_drain = DrainMetadata{kDrainStatusDraining,
                                  "2026-12-07T10:00:00Z",
                                  "2026-12-07T10:00:00Z",
                                  "",
                                  {{"message", "kernel"}}};
  node.status = kNodeStatusReady;
  return node;
}

TEST(ClusterJson, NodeUsesNomadKeysAndRoundTrips) {
  Node node = sample_node();
  nlohmann::ordered_json j = to_json(node);
  EXPECT_EQ(j["NodeResources"]["Cpu"]["CpuShares"], 4000);
  EXPECT_EQ(j["Drivers"]["raw_exec"]["Healthy"], true);
  EXPECT_EQ(j["DrainStrategy"]["DrainSpec"]["Deadline"], int64_t{3600} * 1000 * 1000 * 1000);
  EXPECT_EQ(j["DrainStrategy"]["DrainSpec"]["IgnoreSystemJobs"], true);
  EXPECT_EQ(j["DrainStrategy"]["ForceDeadline"], 5);
  EXPECT_EQ(j["LastDrain"]["Status"], "draining");
  EXPECT_EQ(j["LastDrain"]["Meta"]["message"], "kernel");
  EXPECT_EQ(j["SchedulingEligibility"], "eligible");
  EXPECT_EQ(j["ReservedResources"]["Networks"]["ReservedHostPorts"], "22");
  Result<Node> back = from_json<Node>(nlohmann::json::parse(j.dump()), "Node");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, node);
}

TEST(ClusterJson, AllocationEmbedsItsJobAndRoundTrips) {
  auto job = std::make_shared<Job>();
  job->id = "web";
  job->version = 3;
  Allocation alloc;
  alloc.id = "a1";
  alloc.name = allocation_name("web", "frontend", 4);
  alloc.job = job;
  alloc.job_id = "web";
  alloc.allocated_resources.shared.ports = {AllocatedPort{"http", 23456, 8080, "127.0.0.1"}};
  alloc.allocated_resources.tasks["server"].cpu_shares = 500;
  alloc.allocated_resources.tasks["server"].memory_mb = 256;
  alloc.task_states["server"].state = kTaskStateRunning;
  alloc.task_states["server"].events.push_back(TaskEvent{.type = "Started", .time = 42});
  nlohmann::ordered_json j = to_json(alloc);
  EXPECT_EQ(j["Job"]["Version"], 3);
  EXPECT_EQ(j["AllocatedResources"]["Shared"]["Ports"][0]["Value"], 23456);
  EXPECT_EQ(j["AllocatedResources"]["Tasks"]["server"]["Cpu"]["CpuShares"], 500);
  EXPECT_EQ(j["AllocatedResources"]["Tasks"]["server"]["Memory"]["MemoryMB"], 256);
  EXPECT_EQ(j["TaskStates"]["server"]["Events"][0]["Type"], "Started");
  Result<Allocation> back = from_json<Allocation>(nlohmann::json::parse(j.dump()), "Allocation");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_NE(back->job, nullptr);
  EXPECT_EQ(*back->job, *job);
  back->job = job;  // == compares the shared job by pointer
  EXPECT_EQ(*back, alloc);
  EXPECT_EQ(back->index(), 4);
}

TEST(ClusterJson, EvaluationRoundTripsWithFailureMetrics) {
  Evaluation eval;
  eval.id = "e1";
  eval.job_id = "web";
  eval.status = kEvalStatusBlocked;
  eval.failed_tg_allocs["web"].dimension_exhausted["network: reserved port collision http=8080"] = 1;
  eval.failed_tg_allocs["web"].nodes_exhausted = 1;
  nlohmann::ordered_json j = to_json(eval);
  EXPECT_EQ(j["FailedTGAllocs"]["web"]["NodesExhausted"], 1);
  Result<Evaluation> back = from_json<Evaluation>(nlohmann::json::parse(j.dump()), "Evaluation");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(*back, eval);
}

TEST(ClusterJson, WrongTypeNamesThePath) {
  nlohmann::json j = {{"Drivers", {{"exec", {{"Healthy", "yes"}}}}}};
  Result<Node> node = from_json<Node>(j, "Node");
  ASSERT_FALSE(node.has_value());
  EXPECT_EQ(node.error().message(), "Node.Drivers[\"exec\"].Healthy: expected a boolean, got string \"yes\"");
}

TEST(AllocationName, IndexIsParsedFromTheName) {
  Allocation alloc;
  alloc.name = "job.group[12]";
  EXPECT_EQ(alloc.index(), 12);
  alloc.name = "job.group";
  EXPECT_EQ(alloc.index(), -1);
  alloc.name = "job.group[x]";
  EXPECT_EQ(alloc.index(), -1);
}

}  // namespace
}  // namespace caravan::model
