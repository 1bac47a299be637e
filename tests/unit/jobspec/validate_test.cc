// Validation rules, each checked through HCL input with the exact line:col the
// error points at, and through JSON input where the error names the JSON path.
#include "jobspec/validate.h"

#include <gtest/gtest.h>

#include "unit/jobspec/jobspec_test_util.h"

namespace caravan::jobspec {
namespace {

using testing_util::has_error;
using testing_util::has_error_at;
using testing_util::job_with_group;
using testing_util::job_with_task;
using testing_util::parse;

// A task block for group bodies: lines "task", "driver", "}" in that order.
const std::string kTask = "    task \"t\" {\n      driver = \"exec\"\n    }\n";

TEST(Validate, NegativeCountPointsAtTheValue) {
  ParseResult r = parse(job_with_group("    count = -1\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 3, 13, "count can't be negative")) << r.format_diagnostics();
}

TEST(Validate, UnknownJobTypePointsAtTheValue) {
  ParseResult r = parse("job \"j\" {\n  type = \"daemon\"\n  group \"g\" {\n" + kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 2, 10, "type must be one of")) << r.format_diagnostics();
}

TEST(Validate, PriorityOutOfRange) {
  ParseResult r = parse("job \"j\" {\n  priority = 101\n  group \"g\" {\n" + kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 2, 14, "priority must be between 1 and 100"))
      << r.format_diagnostics();
}

TEST(Validate, JobWithoutGroupsPointsAtTheJobKeyword) {
  ParseResult r = parse("job \"j\" {\n  type = \"service\"\n}\n");
  EXPECT_TRUE(has_error_at(r, 1, 1, "has no group blocks")) << r.format_diagnostics();
}

TEST(Validate, GroupWithoutTasksPointsAtTheGroupKeyword) {
  ParseResult r = parse(job_with_group("    count = 1\n"));
  EXPECT_TRUE(has_error_at(r, 2, 3, "has no task blocks")) << r.format_diagnostics();
}

TEST(Validate, DuplicateGroupPointsAtTheSecond) {
  ParseResult r = parse("job \"j\" {\n  group \"g\" {\n" + kTask + "  }\n  group \"g\" {\n" +
                        kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 7, 3, "duplicate")) << r.format_diagnostics();
}

TEST(Validate, DuplicateTaskPointsAtTheSecond) {
  ParseResult r = parse(job_with_group(kTask + kTask));
  EXPECT_TRUE(has_error_at(r, 6, 5, "duplicate")) << r.format_diagnostics();
}

TEST(Validate, StaticPortOutOfRange) {
  ParseResult r = parse(job_with_group(
      "    network {\n      port \"http\" {\n        static = 70000\n      }\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 5, 18, "between 0 and 65535")) << r.format_diagnostics();
}

TEST(Validate, DynamicToPortOutOfRange) {
  ParseResult r = parse(job_with_group(
      "    network {\n      port \"http\" {\n        to = 65536\n      }\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 5, 14, "65535")) << r.format_diagnostics();
}

TEST(Validate, DuplicatePortLabelPointsAtTheSecondPort) {
  ParseResult r = parse(job_with_group(
      "    network {\n      port \"http\" {}\n      port \"http\" {\n        static = 80\n"
      "      }\n    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 5, 7, "duplicate")) << r.format_diagnostics();
}

TEST(Validate, DuplicateStaticPort) {
  ParseResult r = parse(job_with_group(
      "    network {\n      port \"a\" {\n        static = 80\n      }\n      port \"b\" {\n"
      "        static = 80\n      }\n    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 8, 18, "already reserved")) << r.format_diagnostics();
}

const std::string kHttpNetwork = "    network {\n      port \"http\" {}\n    }\n";  // lines 3-5

TEST(Validate, ServicePortMustBeAGroupPortLabel) {
  ParseResult r = parse(
      job_with_group(kHttpNetwork + "    service {\n      port = \"admin\"\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 7, 14, "\"admin\"")) << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Known ports: \"http\"."));
}

TEST(Validate, NumericServicePortIsAccepted) {
  ParseResult r = parse(job_with_group("    service {\n      port = \"8080\"\n    }\n" + kTask));
  EXPECT_TRUE(r.ok()) << r.format_diagnostics();
}

std::string service_with_check(const std::string& check_body) {
  // service on line 6, check on line 8, check body from line 9.
  return job_with_group(kHttpNetwork + "    service {\n      port = \"http\"\n      check {\n" +
                        check_body + "      }\n    }\n" + kTask);
}

TEST(Validate, CheckIntervalBelowOneSecond) {
  ParseResult r = parse(service_with_check(
      "        type = \"tcp\"\n        interval = \"500ms\"\n        timeout = \"1s\"\n"));
  EXPECT_TRUE(has_error_at(r, 10, 20, "interval must be at least 1s")) << r.format_diagnostics();
}

TEST(Validate, CheckWithoutTimeoutPointsAtTheCheck) {
  ParseResult r = parse(service_with_check("        type = \"tcp\"\n        interval = \"5s\"\n"));
  EXPECT_TRUE(has_error_at(r, 8, 7, "timeout")) << r.format_diagnostics();
}

TEST(Validate, CheckWithoutIntervalPointsAtTheCheck) {
  ParseResult r = parse(service_with_check("        type = \"tcp\"\n        timeout = \"5s\"\n"));
  EXPECT_TRUE(has_error_at(r, 8, 7, "no interval")) << r.format_diagnostics();
}

TEST(Validate, ScriptCheckNeedsACommand) {
  ParseResult r = parse(service_with_check(
      "        type = \"script\"\n        interval = \"5s\"\n        timeout = \"1s\"\n"));
  EXPECT_TRUE(has_error_at(r, 8, 7, "needs a command")) << r.format_diagnostics();
}

TEST(Validate, HttpCheckNeedsAPath) {
  ParseResult r = parse(service_with_check(
      "        type = \"http\"\n        interval = \"5s\"\n        timeout = \"1s\"\n"));
  EXPECT_TRUE(has_error_at(r, 8, 7, "needs a path")) << r.format_diagnostics();
}

TEST(Validate, UnknownCheckType) {
  ParseResult r = parse(service_with_check(
      "        type = \"ping\"\n        interval = \"5s\"\n        timeout = \"1s\"\n"));
  EXPECT_TRUE(has_error_at(r, 9, 16, "check type \"ping\"")) << r.format_diagnostics();
}

TEST(Validate, NomadProviderAllowsOnlyHttpAndTcpChecks) {
  ParseResult r =
      parse(job_with_group(kHttpNetwork +
                           "    service {\n      provider = \"nomad\"\n      port = \"http\"\n"
                           "      check {\n        type = \"grpc\"\n        interval = \"5s\"\n"
                           "        timeout = \"1s\"\n      }\n    }\n" +
                           kTask));
  EXPECT_TRUE(has_error_at(r, 10, 16, "nomad provider")) << r.format_diagnostics();
}

TEST(Validate, DuplicateServiceNameAndPort) {
  ParseResult r =
      parse(job_with_group(kHttpNetwork +
                           "    service {\n      name = \"a\"\n      port = \"http\"\n    }\n"
                           "    service {\n      name = \"a\"\n      port = \"http\"\n    }\n" +
                           kTask));
  EXPECT_TRUE(has_error_at(r, 10, 5, "duplicate")) << r.format_diagnostics();
}

TEST(Validate, RestartModeMustBeFailOrDelay) {
  ParseResult r =
      parse(job_with_group("    restart {\n      mode = \"sometimes\"\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 4, 14, "mode must be \"fail\" or \"delay\""))
      << r.format_diagnostics();
}

TEST(Validate, TaskRestartModeIsCheckedAtTheTask) {
  ParseResult r = parse(job_with_task(
      "      driver = \"exec\"\n      restart {\n        mode = \"never\"\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 6, 16, "\"never\"")) << r.format_diagnostics();
}

TEST(Validate, RestartAttemptsMustFitTheInterval) {
  ParseResult r = parse(job_with_group(
      "    restart {\n      attempts = 10\n      delay = \"1m\"\n      interval = \"5m\"\n    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 6, 18, "can't restart 10 times")) << r.format_diagnostics();
}

TEST(Validate, RescheduleDelayFunction) {
  ParseResult r =
      parse(job_with_group("    reschedule {\n      delay_function = \"linear\"\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 4, 24, "delay_function must be")) << r.format_diagnostics();
}

TEST(Validate, JobLevelUpdateErrorPointsAtTheJobBlockOnce) {
  ParseResult r = parse("job \"j\" {\n  update {\n    max_parallel = -2\n  }\n  group \"a\" {\n" +
                        kTask + "  }\n  group \"b\" {\n" + kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 3, 20, "max_parallel can not be less than zero"))
      << r.format_diagnostics();
  int count = 0;
  for (const hcl::Diagnostic& d : r.diagnostics) {
    count += d.detail.find("max_parallel can not") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(count, 1) << r.format_diagnostics();
}

TEST(Validate, NegativeCanary) {
  ParseResult r = parse(job_with_group("    update {\n      canary = -1\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 4, 16, "canary can not be less than zero")) << r.format_diagnostics();
}

TEST(Validate, AutoPromoteNeedsCanaries) {
  ParseResult r = parse(job_with_group("    update {\n      auto_promote = true\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 4, 22, "auto_promote requires a canary")) << r.format_diagnostics();
}

TEST(Validate, MinHealthyTimeBelowHealthyDeadline) {
  ParseResult r =
      parse(job_with_group("    update {\n      min_healthy_time = \"10m\"\n    }\n" + kTask));
  EXPECT_TRUE(has_error_at(r, 4, 26, "must be less than healthy_deadline"))
      << r.format_diagnostics();
}

TEST(Validate, BatchJobsDoNotAllowUpdate) {
  ParseResult r = parse(
      "job \"j\" {\n  type = \"batch\"\n  group \"g\" {\n    update {\n"
      "      max_parallel = 1\n    }\n" +
      kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 4, 5, "does not allow an update block")) << r.format_diagnostics();
}

TEST(Validate, MemoryBelowTenMegabytes) {
  ParseResult r = parse(
      job_with_task("      driver = \"exec\"\n      resources {\n        memory = 5\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 6, 18, "memory must be at least 10 MB")) << r.format_diagnostics();
}

TEST(Validate, ExplicitZeroMemoryAndCpu) {
  ParseResult r =
      parse(job_with_task("      driver = \"exec\"\n      resources {\n        cpu = 0\n        "
                          "memory = 0\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 6, 15, "cpu must be at least 1")) << r.format_diagnostics();
  EXPECT_TRUE(has_error_at(r, 7, 18, "memory must be at least 10 MB")) << r.format_diagnostics();
}

TEST(Validate, MemoryMaxBelowMemory) {
  ParseResult r = parse(job_with_task(
      "      driver = \"exec\"\n      resources {\n        memory = 256\n        memory_max = 128\n"
      "      }\n"));
  EXPECT_TRUE(has_error_at(r, 7, 22, "memory_max (128)")) << r.format_diagnostics();
}

TEST(Validate, ConstraintOperator) {
  ParseResult r = parse(
      "job \"j\" {\n  constraint {\n    attribute = \"${attr.x}\"\n"
      "    operator = \"=~\"\n    value = \"y\"\n  }\n  group \"g\" {\n" +
      kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 4, 16, "operator must be one of")) << r.format_diagnostics();
}

TEST(Validate, ConstraintNeedsAValue) {
  ParseResult r = parse(job_with_group(
      "    constraint {\n      attribute = \"${attr.x}\"\n      operator = \">\"\n    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 3, 5, "needs a value")) << r.format_diagnostics();
}

TEST(Validate, AffinityWeightRange) {
  ParseResult r = parse(job_with_group(
      "    affinity {\n      attribute = \"${attr.x}\"\n      value = \"y\"\n      weight = 150\n"
      "    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 6, 16, "weight must be between -100 and 100"))
      << r.format_diagnostics();
}

TEST(Validate, SpreadTargetsAddUpToAtMost100) {
  ParseResult r = parse(job_with_group(
      "    spread {\n      attribute = \"${node.datacenter}\"\n      target \"a\" {\n"
      "        percent = 60\n      }\n      target \"b\" {\n        percent = 60\n      }\n"
      "    }\n" +
      kTask));
  EXPECT_TRUE(has_error_at(r, 3, 5, "add up to 120%")) << r.format_diagnostics();
}

TEST(Validate, LifecycleHook) {
  ParseResult r = parse(job_with_task(
      "      driver = \"exec\"\n      lifecycle {\n        hook = \"prerun\"\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 6, 16, "hook must be")) << r.format_diagnostics();
}

TEST(Validate, PeriodicCronMustParse) {
  ParseResult r = parse(
      "job \"j\" {\n  type = \"batch\"\n  periodic {\n    cron = \"61 * * * *\"\n"
      "  }\n  group \"g\" {\n" +
      kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 4, 12, "minute value 61 is out of range 0-59"))
      << r.format_diagnostics();
}

TEST(Validate, PeriodicNeedsABatchJob) {
  ParseResult r = parse("job \"j\" {\n  periodic {\n    cron = \"@daily\"\n  }\n  group \"g\" {\n" +
                        kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 2, 3, "batch or sysbatch")) << r.format_diagnostics();
}

TEST(Validate, VolumeMountNeedsAGroupVolume) {
  ParseResult r = parse(
      job_with_task("      driver = \"exec\"\n      volume_mount {\n        volume = \"data\"\n"
                    "        destination = \"/data\"\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 6, 18, "volume \"data\"")) << r.format_diagnostics();
}

TEST(Validate, OnlyOneLeaderTask) {
  std::string leader = "    task \"a\" {\n      driver = \"exec\"\n      leader = true\n    }\n";
  std::string leader2 = "    task \"b\" {\n      driver = \"exec\"\n      leader = true\n    }\n";
  ParseResult r = parse(job_with_group(leader + leader2));
  EXPECT_TRUE(has_error_at(r, 2, 3, "Only one task")) << r.format_diagnostics();
}

TEST(Validate, LogStorageMustFitTheEphemeralDisk) {
  ParseResult r = parse(job_with_task(
      "      driver = \"exec\"\n      logs {\n        max_files = 30\n        max_file_size = 20\n"
      "      }\n"));
  EXPECT_TRUE(has_error_at(r, 5, 7, "must be less than the group's ephemeral_disk"))
      << r.format_diagnostics();
}

TEST(Validate, TemplateNeedsADestination) {
  ParseResult r = parse(
      job_with_task("      driver = \"exec\"\n      template {\n        data = \"x\"\n      }\n"));
  EXPECT_TRUE(has_error_at(r, 5, 7, "needs a destination")) << r.format_diagnostics();
}

TEST(Validate, SystemJobCountAboveOne) {
  ParseResult r = parse("job \"j\" {\n  type = \"system\"\n  group \"g\" {\n    count = 2\n" +
                        kTask + "  }\n}\n");
  EXPECT_TRUE(has_error_at(r, 4, 13, "count cannot exceed 1")) << r.format_diagnostics();
}

TEST(Validate, JsonErrorsNameTheJsonPath) {
  ParseResult r = parse(R"({"Job": {"ID": "j", "TaskGroups": [{"Name": "g", "Count": -3,
      "Tasks": [{"Name": "t"}]}]}})");
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r, "Job.TaskGroups[0].Count: count can't be negative"))
      << r.format_diagnostics();
  EXPECT_TRUE(has_error(r, "Job.TaskGroups[0].Tasks[0].Driver:")) << r.format_diagnostics();
}

TEST(Validate, ValidJobHasNoErrors) {
  model::Job job;
  job.id = "j";
  job.type = "batch";
  job.priority = 50;
  model::TaskGroup g;
  g.name = "g";
  g.count = 1;
  model::Task t;
  t.name = "t";
  t.driver = "exec";
  t.resources.cpu = 100;
  t.resources.memory_mb = 64;
  g.tasks.push_back(t);
  job.task_groups.push_back(g);
  EXPECT_TRUE(validate_job(job).empty());
}

}  // namespace
}  // namespace caravan::jobspec
