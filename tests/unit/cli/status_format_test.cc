// The detail and list views of the status commands, from canned API JSON.
#include "cli/status_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "cli/listings.h"

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kNoon = 1714564800LL * kSecond;  // 2024-05-01T12:00:00Z

class StatusFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST_F(StatusFormat, JobListShowsTypeAndStoppedStatus) {
  auto jobs = nlohmann::json::parse(R"([
    {"ID": "example", "Type": "service", "Priority": 50, "Status": "running",
     "SubmitTime": 1714564800000000000},
    {"ID": "nightly", "Type": "batch", "Priority": 40, "Status": "dead", "Stop": true,
     "Periodic": true, "SubmitTime": 1714564800000000000}
  ])");
  EXPECT_EQ(format_job_list(jobs),
            "ID       Type            Priority  Status          Submit Date\n"
            "example  service         50        running         2024-05-01T12:00:00Z\n"
            "nightly  batch/periodic  40        dead (stopped)  2024-05-01T12:00:00Z\n");
  EXPECT_EQ(format_job_list(nlohmann::json::array()), "No running jobs\n");
}

TEST_F(StatusFormat, AllocListUsesShortIdsAndRelativeTimes) {
  auto allocs = nlohmann::json::parse(R"([
    {"ID": "8ba85cef-0000-0000-0000-000000000001", "EvalID": "e1", "NodeID": "171a583b-1111",
     "NodeName": "n1", "TaskGroup": "cache", "JobVersion": 2, "DesiredStatus": "run",
     "ClientStatus": "running", "CreateTime": 1714564670000000000,
     "ModifyTime": 1714564795000000000}
  ])");
  EXPECT_EQ(format_alloc_list(allocs, false, kNoon),
            "ID        Node ID   Task Group  Version  Desired  Status   Created    Modified\n"
            "8ba85cef  171a583b  cache       2        run      running  2m10s ago  5s ago\n");
  EXPECT_THAT(format_alloc_list(allocs, true, kNoon),
              HasSubstr("8ba85cef-0000-0000-0000-000000000001  e1       171a583b-1111  n1"));
  EXPECT_EQ(format_alloc_list(nlohmann::json::array(), false, kNoon), "No allocations placed\n");
}

TEST_F(StatusFormat, NodeListHasNomadsColumns) {
  auto nodes = nlohmann::json::parse(R"([
    {"ID": "f1a2b3c4-0000", "NodePool": "default", "Datacenter": "dc1", "Name": "host1",
     "NodeClass": "", "Drain": false, "SchedulingEligibility": "eligible", "Status": "ready"}
  ])");
  EXPECT_EQ(format_node_list(nodes, false),
            "ID        Node Pool  DC   Name   Class   Drain  Eligibility  Status\n"
            "f1a2b3c4  default    dc1  host1  <none>  false  eligible     ready\n");
}

TEST_F(StatusFormat, JobDetailShowsSummaryPlacementFailuresAndAllocations) {
  JobStatusData data;
  data.job = nlohmann::json::parse(R"({
    "ID": "example", "Name": "example", "Type": "service", "Priority": 50,
    "Datacenters": ["dc1", "dc2"], "Namespace": "default", "NodePool": "default",
    "Status": "pending", "Periodic": null, "ParameterizedJob": null,
    "SubmitTime": 1714564800000000000})");
  data.summary = nlohmann::json::parse(R"({"JobID": "example", "Summary": {
    "cache": {"Queued": 1, "Starting": 0, "Running": 2, "Failed": 0, "Complete": 0, "Lost": 0,
              "Unknown": 0}}})");
  data.evals = nlohmann::json::parse(R"([
    {"ID": "e1", "Status": "complete", "CreateIndex": 10, "FailedTGAllocs": {
      "cache": {"NodesEvaluated": 2, "NodesExhausted": 2, "DimensionExhausted": {"memory": 2}}}},
    {"ID": "e2", "Status": "blocked", "CreateIndex": 11}
  ])");
  std::string out = format_job_status(data, false, kNoon);
  EXPECT_EQ(out,
            "ID            = example\n"
            "Name          = example\n"
            "Submit Date   = 2024-05-01T12:00:00Z\n"
            "Type          = service\n"
            "Priority      = 50\n"
            "Datacenters   = dc1,dc2\n"
            "Namespace     = default\n"
            "Node Pool     = default\n"
            "Status        = pending\n"
            "Periodic      = false\n"
            "Parameterized = false\n"
            "\n"
            "Summary\n"
            "Task Group  Queued  Starting  Running  Failed  Complete  Lost  Unknown\n"
            "cache       1       0         2        0       0         0     0\n"
            "\n"
            "Placement Failure\n"
            "Task Group \"cache\":\n"
            "  * Resources exhausted on 2 nodes\n"
            "  * Dimension \"memory\" exhausted on 2 nodes\n"
            "\n"
            "Allocations\n"
            "No allocations placed\n");
}

TEST_F(StatusFormat, JobDetailShowsTheLatestDeployment) {
  JobStatusData data;
  data.job = nlohmann::json::parse(R"({"ID": "web", "Name": "web", "Type": "service",
    "Status": "running", "SubmitTime": 1714564800000000000})");
  data.summary = nlohmann::json::parse(R"({"JobID": "web", "Summary": {}})");
  data.deployment = nlohmann::json::parse(R"({
    "ID": "5e2b7a10-1111-2222-3333-444455556666", "Status": "running",
    "StatusDescription": "Deployment is running but requires manual promotion",
    "TaskGroups": {"web": {"DesiredTotal": 3, "DesiredCanaries": 1, "Promoted": false,
      "PlacedAllocs": 1, "HealthyAllocs": 1, "UnhealthyAllocs": 0, "RequireProgressBy": 0}}})");
  std::string out = format_job_status(data, false, kNoon);
  EXPECT_NE(out.find("\nLatest Deployment\n"
                     "ID          = 5e2b7a10\n"
                     "Status      = running\n"
                     "Description = Deployment is running but requires manual promotion\n"
                     "\nDeployed\n"
                     "Task Group  Promoted  Desired  Canaries  Placed  Healthy  Unhealthy  Progress Deadline\n"
                     "web         false     3        1         1       1        0          N/A\n"
                     "\nAllocations\n"),
            std::string::npos)
      << out;
  // A job without a deployment (batch, or nothing deployed yet) has no section.
  data.deployment = nullptr;
  EXPECT_EQ(format_job_status(data, false, kNoon).find("Latest Deployment"), std::string::npos);
}

TEST_F(StatusFormat, AllocDetailShowsTasksNewestEventFirst) {
  auto alloc = nlohmann::json::parse(R"({
    "ID": "8ba85cef-0000-0000-0000-000000000001", "EvalID": "0d14c3d2-9999",
    "Name": "example.cache[0]", "NodeID": "171a583b-1111", "NodeName": "host1",
    "JobID": "example", "Job": {"Version": 3, "TaskGroups": [{"Name": "cache",
      "Networks": [{"ReservedPorts": [{"Label": "admin", "Value": 9000}]}],
      "Tasks": [{"Name": "redis"}]}]},
    "TaskGroup": "cache", "ClientStatus": "running", "ClientDescription": "Tasks are running",
    "DesiredStatus": "run", "DesiredDescription": "",
    "CreateTime": 1714564670000000000, "ModifyTime": 1714564795000000000,
    "AllocatedResources": {"Tasks": {"redis": {"Cpu": {"CpuShares": 500},
                                               "Memory": {"MemoryMB": 256}}},
                           "Shared": {"DiskMB": 300, "Ports": [
                             {"Label": "db", "Value": 23456, "HostIP": "10.0.0.5"},
                             {"Label": "admin", "Value": 9000, "HostIP": "10.0.0.5"}]}},
    "TaskStates": {"redis": {"State": "running", "Restarts": 0,
      "StartedAt": "2024-05-01T11:58:00Z", "FinishedAt": "0001-01-01T00:00:00Z",
      "Events": [
        {"Type": "Received", "Time": 1714564670000000000, "DisplayMessage": "Task received by client"},
        {"Type": "Started", "Time": 1714564680000000000, "DisplayMessage": "Task started by client"}
      ]}}})");
  std::string out = format_alloc_status(alloc, false, kNoon);
  EXPECT_THAT(out, HasSubstr("ID                  = 8ba85cef-0000-0000-0000-000000000001\n"
                             "Eval ID             = 0d14c3d2\n"
                             "Name                = example.cache[0]\n"
                             "Node ID             = 171a583b\n"
                             "Node Name           = host1\n"
                             "Job ID              = example\n"
                             "Job Version         = 3\n"
                             "Client Status       = running\n"
                             "Client Description  = Tasks are running\n"
                             "Desired Status      = run\n"
                             "Desired Description = <none>\n"
                             "Created             = 2m10s ago\n"
                             "Modified            = 5s ago\n"));
  EXPECT_THAT(out, HasSubstr("Allocation Addresses:\n"
                             "Label  Dynamic  Address\n"
                             "*db    yes      10.0.0.5:23456\n"
                             "admin  no       10.0.0.5:9000\n"));
  EXPECT_THAT(out, HasSubstr("\nTask \"redis\" is \"running\"\n"
                             "Task Resources:\n"
                             "CPU      Memory   Disk     Addresses\n"
                             "500 MHz  256 MiB  300 MiB  <none>\n"
                             "\n"
                             "Task Events:\n"
                             "Started At     = 2024-05-01T11:58:00Z\n"
                             "Finished At    = N/A\n"
                             "Total Restarts = 0\n"
                             "Last Restart   = N/A\n"
                             "\n"
                             "Recent Events:\n"
                             "Time                  Type      Description\n"
                             "2024-05-01T11:58:00Z  Started   Task started by client\n"
                             "2024-05-01T11:57:50Z  Received  Task received by client\n"));
}

TEST_F(StatusFormat, NodeDetailSumsResourcesOfRunningAllocations) {
  auto node = nlohmann::json::parse(R"({
    "ID": "f1a2b3c4-0000", "Name": "host1", "NodePool": "default", "NodeClass": "",
    "Datacenter": "dc1", "SchedulingEligibility": "eligible", "Status": "ready",
    "Drivers": {"raw_exec": {"Detected": true, "Healthy": true},
                "exec": {"Detected": true, "Healthy": false},
                "java": {"Detected": false}},
    "NodeResources": {"Cpu": {"CpuShares": 4000}, "Memory": {"MemoryMB": 8192},
                      "Disk": {"DiskMB": 10240}},
    "ReservedResources": {"Cpu": {"CpuShares": 100}, "Memory": {"MemoryMB": 0},
                          "Disk": {"DiskMB": 0}},
    "Events": [{"Message": "Node registered", "Subsystem": "Cluster",
                "Timestamp": 1714564800000000000}]})");
  auto allocs = nlohmann::json::parse(R"([
    {"ID": "a1", "DesiredStatus": "run", "ClientStatus": "running", "Job": {"Version": 0},
     "AllocatedResources": {"Tasks": {"t": {"Cpu": {"CpuShares": 500}, "Memory": {"MemoryMB": 256}}},
                            "Shared": {"DiskMB": 300}}},
    {"ID": "a2", "DesiredStatus": "stop", "ClientStatus": "complete", "Job": {"Version": 0},
     "AllocatedResources": {"Tasks": {"t": {"Cpu": {"CpuShares": 900}, "Memory": {"MemoryMB": 900}}},
                            "Shared": {"DiskMB": 900}}}
  ])");
  std::string out = format_node_status(node, allocs, false, kNoon);
  EXPECT_THAT(out, HasSubstr("Driver Status = exec (unhealthy),raw_exec\n"));
  EXPECT_THAT(out, HasSubstr("\nNode Events\nTime                  Subsystem  Message\n"
                             "2024-05-01T12:00:00Z  Cluster    Node registered\n"));
  EXPECT_THAT(out, HasSubstr("\nAllocated Resources\nCPU           Memory           Disk\n"
                             "500/3900 MHz  256 MiB/8.0 GiB  300 MiB/10 GiB\n"));
}

TEST_F(StatusFormat, EvalDetailExplainsFailedPlacements) {
  auto eval = nlohmann::json::parse(R"({
    "ID": "0d14c3d2-0000", "Status": "complete", "Type": "service",
    "TriggeredBy": "job-register", "JobID": "example", "Namespace": "default", "Priority": 50,
    "BlockedEval": "b10cced0-0000", "CreateTime": 1714564790000000000,
    "ModifyTime": 1714564795000000000,
    "FailedTGAllocs": {"cache": {"NodesEvaluated": 0, "CoalescedFailures": 2}}})");
  std::string out = format_eval_status(eval, nlohmann::json::array(), false, kNoon);
  EXPECT_THAT(out, HasSubstr("Status Description = complete\n"));
  EXPECT_THAT(out, HasSubstr("Placement Failures = true\n"));
  EXPECT_THAT(out, HasSubstr("Blocked Eval       = b10cced0\n"));
  EXPECT_THAT(out, HasSubstr("Failed Placements\n"
                             "Task Group \"cache\" (failed to place 3 allocations):\n"
                             "  * No nodes were eligible for evaluation\n"
                             "\nEvaluation \"b10cced0\" waiting for additional capacity to place "
                             "remainder\n"));
}

TEST_F(StatusFormat, HistoryShowsVersionsNewestFirstWithDiffs) {
  auto versions = nlohmann::json::parse(R"({"Versions": [
    {"ID": "example", "Name": "example", "Type": "service", "Version": 0, "Stable": true,
     "Priority": 50, "SubmitTime": 1714564700000000000},
    {"ID": "example", "Name": "example", "Type": "service", "Version": 1, "Stable": false,
     "Priority": 70, "SubmitTime": 1714564800000000000}
  ]})");
  auto plain = format_job_history(versions, false);
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_EQ(*plain,
            "Version     = 1\n"
            "Stable      = false\n"
            "Submit Date = 2024-05-01T12:00:00Z\n"
            "\n"
            "Version     = 0\n"
            "Stable      = true\n"
            "Submit Date = 2024-05-01T11:58:20Z\n");
  auto with_diffs = format_job_history(versions, true);
  ASSERT_TRUE(with_diffs);
  EXPECT_THAT(*with_diffs, HasSubstr("Submit Date = 2024-05-01T12:00:00Z\n"
                                     "Diff        =\n"
                                     "+/- Job: \"example\"\n"
                                     "+/- Priority: \"50\" => \"70\"\n"));
}

}  // namespace
}  // namespace caravan::cli
