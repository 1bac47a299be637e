// Nomad's defaults, applied by one pass to HCL and JSON input alike.
#include "jobspec/defaults.h"

#include <gtest/gtest.h>

namespace caravan::jobspec {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

model::Job minimal_job(const std::string& type = "") {
  model::Job job;
  job.id = "j";
  job.type = type;
  model::TaskGroup group;
  group.name = "g";
  model::Task task;
  task.name = "t";
  task.driver = "exec";
  group.tasks.push_back(task);
  job.task_groups.push_back(group);
  return job;
}

TEST(Defaults, JobHeaderGetsNomadDefaults) {
  model::Job job = minimal_job();
  apply_defaults(job);
  EXPECT_EQ(job.name, "j");
  EXPECT_EQ(job.type, "service");
  EXPECT_EQ(job.priority, 50);
  EXPECT_EQ(job.region, "global");
  EXPECT_EQ(job.namespace_name, "default");
  EXPECT_EQ(job.datacenters, (std::vector<std::string>{"*"}));
  EXPECT_EQ(job.node_pool, "default");
}

TEST(Defaults, GroupCountIsOneAndEphemeralDisk300) {
  model::Job job = minimal_job();
  apply_defaults(job);
  const model::TaskGroup& g = job.task_groups[0];
  EXPECT_EQ(g.count, 1);
  EXPECT_EQ(*g.ephemeral_disk, (model::EphemeralDisk{false, 300, false}));
}

TEST(Defaults, ExplicitZeroCountIsKept) {
  model::Job job = minimal_job();
  job.task_groups[0].count = 0;
  apply_defaults(job);
  EXPECT_EQ(job.task_groups[0].count, 0);
}

TEST(Defaults, CountComesFromScalingMinAndMinFromCount) {
  model::Job job = minimal_job();
  job.task_groups[0].scaling = model::ScalingPolicy{.min = 3, .max = 9};
  apply_defaults(job);
  EXPECT_EQ(job.task_groups[0].count, 3);
  EXPECT_EQ(job.task_groups[0].scaling->enabled, true);
  EXPECT_EQ(job.task_groups[0].scaling->type, "horizontal");

  model::Job job2 = minimal_job();
  job2.task_groups[0].count = 4;
  job2.task_groups[0].scaling = model::ScalingPolicy{.max = 9};
  apply_defaults(job2);
  EXPECT_EQ(job2.task_groups[0].scaling->min, 4);
}

TEST(Defaults, ServiceRestartAndReschedule) {
  model::Job job = minimal_job("service");
  apply_defaults(job);
  const model::TaskGroup& g = job.task_groups[0];
  EXPECT_EQ(*g.restart_policy,
            (model::RestartPolicy{2, Duration(minutes(30)), Duration(seconds(15)), "fail", false}));
  EXPECT_EQ(*g.reschedule_policy,
            (model::ReschedulePolicy{0, Duration(0), Duration(seconds(30)), "exponential",
                                     Duration(hours(1)), true}));
  // Every task carries the effective restart policy.
  EXPECT_EQ(g.tasks[0].restart_policy, g.restart_policy);
}

TEST(Defaults, BatchRestartAndReschedule) {
  model::Job job = minimal_job("batch");
  apply_defaults(job);
  const model::TaskGroup& g = job.task_groups[0];
  EXPECT_EQ(*g.restart_policy,
            (model::RestartPolicy{3, Duration(hours(24)), Duration(seconds(15)), "fail", false}));
  EXPECT_EQ(*g.reschedule_policy,
            (model::ReschedulePolicy{1, Duration(hours(24)), Duration(seconds(5)), "constant",
                                     Duration(0), false}));
  EXPECT_FALSE(g.update.has_value());
  EXPECT_FALSE(g.migrate.has_value());
}

TEST(Defaults, SystemJobsAreNotRescheduled) {
  model::Job job = minimal_job("system");
  apply_defaults(job);
  EXPECT_FALSE(job.task_groups[0].reschedule_policy.has_value());
  EXPECT_EQ(job.task_groups[0].restart_policy->attempts, 2);
}

TEST(Defaults, ServiceJobsGetTheDefaultUpdateAndMigrateStrategies) {
  model::Job job = minimal_job("service");
  apply_defaults(job);
  model::UpdateStrategy expected{Duration(seconds(30)),
                                 1,
                                 "checks",
                                 Duration(seconds(10)),
                                 Duration(minutes(5)),
                                 Duration(minutes(10)),
                                 false,
                                 false,
                                 0};
  EXPECT_EQ(*job.update, expected);
  EXPECT_EQ(*job.task_groups[0].update, expected);
  EXPECT_EQ(*job.task_groups[0].migrate,
            (model::MigrateStrategy{1, "checks", Duration(seconds(10)), Duration(minutes(5))}));
}

TEST(Defaults, JobUpdateIsMergedUnderTheGroupUpdate) {
  model::Job job = minimal_job("service");
  job.update = model::UpdateStrategy{.max_parallel = 3, .canary = 2};
  job.task_groups[0].update = model::UpdateStrategy{.canary = 0};
  apply_defaults(job);
  EXPECT_EQ(job.task_groups[0].update->max_parallel, 3);
  EXPECT_EQ(job.task_groups[0].update->canary, 0);
  EXPECT_EQ(job.task_groups[0].update->healthy_deadline, Duration(minutes(5)));
}

TEST(Defaults, TaskResourcesKillTimeoutAndLogs) {
  model::Job job = minimal_job();
  apply_defaults(job);
  const model::Task& t = job.task_groups[0].tasks[0];
  EXPECT_EQ(t.resources.cpu, 100);
  EXPECT_EQ(t.resources.memory_mb, 300);
  EXPECT_EQ(t.kill_timeout, Duration(seconds(5)));
  EXPECT_EQ(*t.log_config, (model::LogConfig{10, 10, false}));
}

TEST(Defaults, CoresLeaveCpuUnset) {
  model::Job job = minimal_job();
  job.task_groups[0].tasks[0].resources.cores = 2;
  apply_defaults(job);
  EXPECT_EQ(job.task_groups[0].tasks[0].resources.cpu, 0);
}

TEST(Defaults, ServicesAndChecks) {
  model::Job job = minimal_job();
  model::Service group_service;
  group_service.check_restart = model::CheckRestart{.limit = 2};
  group_service.checks.push_back(model::ServiceCheck{.type = "tcp"});
  job.task_groups[0].services.push_back(group_service);
  job.task_groups[0].tasks[0].services.push_back(model::Service{});
  apply_defaults(job);
  const model::Service& s = job.task_groups[0].services[0];
  EXPECT_EQ(s.name, "j-g");
  EXPECT_EQ(s.provider, "consul");
  EXPECT_EQ(s.address_mode, "auto");
  EXPECT_EQ(s.on_update, "require_healthy");
  EXPECT_EQ(s.checks[0].on_update, "require_healthy");
  ASSERT_TRUE(s.checks[0].check_restart.has_value());
  EXPECT_EQ(s.checks[0].check_restart->limit, 2);
  EXPECT_EQ(s.checks[0].check_restart->grace, Duration(seconds(1)));
  EXPECT_EQ(job.task_groups[0].tasks[0].services[0].name, "j-g-t");
}

TEST(Defaults, NetworkPlacementTemplatesArtifacts) {
  model::Job job = minimal_job();
  model::NetworkResource net;
  net.dynamic_ports.push_back(model::Port{.label = "http"});
  job.task_groups[0].networks.push_back(net);
  job.constraints.push_back(model::Constraint{.l_target = "${attr.x}", .r_target = "y"});
  job.affinities.push_back(model::Affinity{.l_target = "${attr.x}", .r_target = "y"});
  job.spreads.push_back(model::Spread{.attribute = "${node.datacenter}"});
  model::Task& t = job.task_groups[0].tasks[0];
  t.templates.push_back(model::Template{.dest_path = "local/a", .change_mode = "signal"});
  t.artifacts.push_back(
      model::TaskArtifact{.getter_source = "https://x/y/app.jar?a=1", .getter_mode = "file"});
  t.artifacts.push_back(model::TaskArtifact{.getter_source = "https://x/y.tgz"});
  apply_defaults(job);
  const model::NetworkResource& n = job.task_groups[0].networks[0];
  EXPECT_EQ(n.mode, "host");
  EXPECT_EQ(n.dynamic_ports[0].host_network, "default");
  EXPECT_EQ(job.constraints[0].operand, "=");
  EXPECT_EQ(job.affinities[0].operand, "=");
  EXPECT_EQ(job.affinities[0].weight, 50);
  EXPECT_EQ(job.spreads[0].weight, 50);
  const model::Template& tmpl = job.task_groups[0].tasks[0].templates[0];
  EXPECT_EQ(tmpl.change_signal, "SIGHUP");
  EXPECT_EQ(tmpl.splay, Duration(seconds(5)));
  EXPECT_EQ(tmpl.perms, "0644");
  EXPECT_EQ(tmpl.left_delim, "{{");
  EXPECT_EQ(tmpl.right_delim, "}}");
  const auto& artifacts = job.task_groups[0].tasks[0].artifacts;
  EXPECT_EQ(artifacts[0].relative_dest, "local/app.jar");
  EXPECT_EQ(artifacts[1].getter_mode, "any");
  EXPECT_EQ(artifacts[1].relative_dest, "local/");
}

TEST(Defaults, PeriodicAndParameterized) {
  model::Job job = minimal_job("batch");
  job.periodic = model::PeriodicConfig{.spec = "@daily"};
  job.parameterized_job = model::ParameterizedJobConfig{};
  apply_defaults(job);
  EXPECT_EQ(job.periodic->enabled, true);
  EXPECT_EQ(job.periodic->spec_type, "cron");
  EXPECT_EQ(job.periodic->time_zone, "UTC");
  EXPECT_EQ(job.parameterized_job->payload, "optional");
}

TEST(Defaults, AreIdempotent) {
  model::Job job = minimal_job("service");
  job.update = model::UpdateStrategy{.canary = 1};
  job.task_groups[0].restart_policy = model::RestartPolicy{.attempts = 7};
  job.task_groups[0].tasks[0].restart_policy = model::RestartPolicy{.delay = Duration(seconds(1))};
  apply_defaults(job);
  model::Job again = job;
  apply_defaults(again);
  EXPECT_EQ(again, job);
  EXPECT_EQ(job.task_groups[0].tasks[0].restart_policy->attempts, 7);
  EXPECT_EQ(job.task_groups[0].tasks[0].restart_policy->delay, Duration(seconds(1)));
}

}  // namespace
}  // namespace caravan::jobspec
