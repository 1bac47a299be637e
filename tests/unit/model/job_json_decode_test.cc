// Decoding Nomad's JSON job format: a realistic job as `nomad job run -output`
// prints it, Nomad's lenient rules (nulls, key case, unknown keys), and errors
// that name the JSON path or the line:column of malformed input.
#include <gtest/gtest.h>

#include <chrono>

#include "model/job.h"
#include "model/job_json.h"

namespace caravan::model {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Written by hand after the docs' JSON job example (api-docs/json-jobs), with
// durations in nanoseconds and the null-valued keys Nomad prints.
constexpr const char* kExampleJob = R"({
  "Job": {
    "Region": null,
    "Namespace": null,
    "ID": "example",
    "Name": "example",
    "Type": "service",
    "Priority": null,
    "AllAtOnce": null,
    "Datacenters": ["dc1"],
    "NodePool": "prod",
    "Constraints": [{"LTarget": "${attr.kernel.name}", "RTarget": "linux", "Operand": "="}],
    "Affinities": null,
    "Update": {
      "Stagger": null, "MaxParallel": 1, "HealthCheck": null,
      "MinHealthyTime": 10000000000, "HealthyDeadline": 180000000000,
      "ProgressDeadline": 600000000000, "AutoRevert": false, "AutoPromote": null,
      "Canary": 0
    },
    "Multiregion": null,
    "Spreads": null,
    "Periodic": null,
    "ParameterizedJob": null,
    "Reschedule": null,
    "Migrate": {"MaxParallel": 1, "HealthCheck": "checks", "MinHealthyTime": 10000000000,
                "HealthyDeadline": 300000000000},
    "Meta": {"owner": "ops"},
    "ConsulToken": null,
    "VaultToken": null,
    "Stop": null,
    "ParentID": null,
    "Dispatched": false,
    "Payload": null,
    "Status": "running",
    "Version": 3,
    "CreateIndex": 10,
    "TaskGroups": [{
      "Name": "cache",
      "Count": 1,
      "Constraints": null,
      "Disconnect": null,
      "Affinities": null,
      "Tasks": [{
        "Name": "redis",
        "Driver": "docker",
        "User": "",
        "Lifecycle": null,
        "Config": {"image": "redis:7", "ports": ["db"], "auth_soft_fail": true},
        "Constraints": null,
        "Affinities": null,
        "Env": {"REDIS_ARGS": "--save 60 1"},
        "Services": null,
        "Resources": {"CPU": 500, "Cores": null, "MemoryMB": 256, "MemoryMaxMB": null,
                      "DiskMB": null, "Networks": null, "Devices": null, "IOPS": null},
        "RestartPolicy": null,
        "Meta": null,
        "KillTimeout": null,
        "LogConfig": {"MaxFiles": 10, "MaxFileSizeMB": 10, "Enabled": null, "Disabled": null},
        "Artifacts": null,
        "Vault": null,
        "Templates": [{
          "SourcePath": null, "DestPath": "local/redis.conf",
          "EmbeddedTmpl": "port {{ env \"NOMAD_PORT_db\" }}\n", "ChangeMode": "signal",
          "ChangeSignal": "SIGHUP", "ChangeScript": null, "Splay": 5000000000,
          "Perms": "0644", "Uid": null, "Gid": null, "LeftDelim": null, "RightDelim": null,
          "Envvars": null, "VaultGrace": null, "Wait": {"Min": 2000000000, "Max": null},
          "ErrMissingKey": false
        }],
        "DispatchPayload": null,
        "VolumeMounts": null,
        "CSIPluginConfig": null,
        "Leader": false,
        "ShutdownDelay": 0,
        "KillSignal": "",
        "Kind": "",
        "ScalingPolicies": null,
        "Identity": null,
        "Identities": null,
        "Actions": null
      }],
      "Spreads": null,
      "Volumes": null,
      "RestartPolicy": {"Interval": 1800000000000, "Attempts": 2, "Delay": 15000000000,
                        "Mode": "fail", "RenderTemplates": null},
      "ReschedulePolicy": null,
      "EphemeralDisk": {"Sticky": null, "Migrate": null, "SizeMB": 300},
      "Update": null,
      "Migrate": null,
      "Networks": [{
        "Mode": "", "Device": "", "CIDR": "", "IP": "",
        "DNS": null,
        "ReservedPorts": null,
        "DynamicPorts": [{"Label": "db", "Value": 0, "To": 6379, "HostNetwork": "default"}],
        "Hostname": "", "MBits": 0
      }],
      "Meta": null,
      "Services": [{
        "Name": "redis-cache",
        "Tags": ["global", "cache"],
        "CanaryTags": null,
        "EnableTagOverride": false,
        "PortLabel": "db",
        "AddressMode": "",
        "Address": "",
        "Checks": [{
          "Name": "alive", "Type": "tcp", "Command": "", "Args": null, "Path": "",
          "Protocol": "", "PortLabel": "", "Expose": false, "AddressMode": "",
          "Interval": 10000000000, "Timeout": 2000000000, "InitialStatus": "",
          "TLSSkipVerify": false, "Header": {"X-Probe": ["1"]}, "Method": "", "CheckRestart":
          {"Limit": 3, "Grace": 90000000000, "IgnoreWarnings": false},
          "GRPCService": "", "GRPCUseTLS": false, "TaskName": "",
          "SuccessBeforePassing": 0, "FailuresBeforeCritical": 0, "Body": "", "OnUpdate": ""
        }],
        "CheckRestart": null,
        "Connect": null,
        "Meta": null,
        "CanaryMeta": null,
        "TaggedAddresses": null,
        "TaskName": "",
        "OnUpdate": "",
        "Provider": "nomad"
      }],
      "ShutdownDelay": null,
      "StopAfterClientDisconnect": null,
      "MaxClientDisconnect": null,
      "Scaling": null,
      "Consul": null
    }]
  }
})";

TEST(JobJsonDecode, ReadsNomadsExampleJob) {
  std::vector<std::string> unknown;
  Result<Job> job = decode_job(kExampleJob, &unknown);
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_TRUE(unknown.empty()) << unknown.front();

  EXPECT_EQ(job->id, "example");
  EXPECT_EQ(job->type, "service");
  EXPECT_EQ(job->region, "");  // null: unset, defaults are jobspec's job
  EXPECT_EQ(job->priority, 0);
  EXPECT_EQ(job->datacenters, std::vector<std::string>{"dc1"});
  EXPECT_EQ(job->node_pool, "prod");
  ASSERT_EQ(job->constraints.size(), 1u);
  EXPECT_EQ(job->constraints[0].l_target, "${attr.kernel.name}");
  EXPECT_EQ(job->constraints[0].operand, "=");
  ASSERT_TRUE(job->update.has_value());
  EXPECT_EQ(job->update->max_parallel, 1);
  EXPECT_EQ(job->update->stagger, std::nullopt);
  EXPECT_EQ(job->update->healthy_deadline, minutes(3));
  EXPECT_EQ(job->update->auto_revert, false);
  EXPECT_EQ(job->update->canary, 0);
  EXPECT_EQ(job->periodic, std::nullopt);
  ASSERT_TRUE(job->migrate.has_value());
  EXPECT_EQ(job->migrate->health_check, "checks");
  EXPECT_EQ(job->meta.at("owner"), "ops");

  ASSERT_EQ(job->task_groups.size(), 1u);
  const TaskGroup& group = job->task_groups[0];
  EXPECT_EQ(group.name, "cache");
  EXPECT_EQ(group.count, 1);
  ASSERT_TRUE(group.restart_policy.has_value());
  EXPECT_EQ(group.restart_policy->interval, minutes(30));
  EXPECT_EQ(group.restart_policy->attempts, 2);
  EXPECT_EQ(group.restart_policy->mode, "fail");
  EXPECT_EQ(group.restart_policy->render_templates, std::nullopt);
  ASSERT_TRUE(group.ephemeral_disk.has_value());
  EXPECT_EQ(group.ephemeral_disk->size_mb, 300);
  EXPECT_FALSE(group.ephemeral_disk->sticky);
  ASSERT_EQ(group.networks.size(), 1u);
  ASSERT_EQ(group.networks[0].dynamic_ports.size(), 1u);
  EXPECT_EQ(group.networks[0].dynamic_ports[0].label, "db");
  EXPECT_EQ(group.networks[0].dynamic_ports[0].to, 6379);
  ASSERT_EQ(group.services.size(), 1u);
  const Service& service = group.services[0];
  EXPECT_EQ(service.name, "redis-cache");
  EXPECT_EQ(service.provider, "nomad");
  EXPECT_EQ(service.tags, (std::vector<std::string>{"global", "cache"}));
  ASSERT_EQ(service.checks.size(), 1u);
  EXPECT_EQ(service.checks[0].type, "tcp");
  EXPECT_EQ(service.checks[0].interval, seconds(10));
  EXPECT_EQ(service.checks[0].header.at("X-Probe"), std::vector<std::string>{"1"});
  ASSERT_TRUE(service.checks[0].check_restart.has_value());
  EXPECT_EQ(service.checks[0].check_restart->grace, seconds(90));

  ASSERT_EQ(group.tasks.size(), 1u);
  const Task& task = group.tasks[0];
  EXPECT_EQ(task.driver, "docker");
  EXPECT_EQ(task.config.text(), R"({"auth_soft_fail":true,"image":"redis:7","ports":["db"]})");
  EXPECT_EQ(task.config.get("image").as_string(), "redis:7");
  EXPECT_EQ(task.env.at("REDIS_ARGS"), "--save 60 1");
  EXPECT_EQ(task.resources.cpu, 500);
  EXPECT_EQ(task.resources.memory_mb, 256);
  EXPECT_EQ(task.resources.memory_max_mb, 0);
  EXPECT_EQ(task.kill_timeout, std::nullopt);
  ASSERT_TRUE(task.log_config.has_value());
  EXPECT_EQ(task.log_config->max_files, 10);
  ASSERT_EQ(task.templates.size(), 1u);
  EXPECT_EQ(task.templates[0].dest_path, "local/redis.conf");
  EXPECT_EQ(task.templates[0].change_mode, "signal");
  EXPECT_EQ(task.templates[0].splay, seconds(5));
  EXPECT_EQ(task.templates[0].uid, std::nullopt);
  ASSERT_TRUE(task.templates[0].wait.has_value());
  EXPECT_EQ(task.templates[0].wait->min, seconds(2));
  EXPECT_EQ(task.templates[0].wait->max, std::nullopt);
  EXPECT_FALSE(task.vault.has_value());
}

TEST(JobJsonDecode, AcceptsBareJobObject) {
  Result<Job> job = decode_job(R"({"ID": "a", "TaskGroups": [{"Name": "g", "Count": 3}]})");
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(job->id, "a");
  ASSERT_EQ(job->task_groups.size(), 1u);
  EXPECT_EQ(job->task_groups[0].count, 3);
}

TEST(JobJsonDecode, IgnoresOtherKeysOfTheRegisterRequest) {
  std::vector<std::string> unknown;
  Result<Job> job =
      decode_job(R"({"Job": {"ID": "a"}, "EnforceIndex": true, "JobModifyIndex": 4})", &unknown);
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(job->id, "a");
  EXPECT_TRUE(unknown.empty());
}

TEST(JobJsonDecode, MatchesKeysCaseInsensitivelyAsGoDoes) {
  Result<Job> job = decode_job(R"({"id": "a", "taskgroups": [{"name": "g", "COUNT": 2}]})");
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(job->id, "a");
  ASSERT_EQ(job->task_groups.size(), 1u);
  EXPECT_EQ(job->task_groups[0].name, "g");
  EXPECT_EQ(job->task_groups[0].count, 2);
}

TEST(JobJsonDecode, ExactKeyWinsOverCaseInsensitiveMatch) {
  Result<Job> job = decode_job(R"({"id": "lower", "ID": "exact"})");
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(job->id, "exact");
}

TEST(JobJsonDecode, ReportsUnknownFieldsWithTheirPaths) {
  std::vector<std::string> unknown;
  Result<Job> job = decode_job(
      R"({"Job": {"ID": "a", "Bogus": 1, "TaskGroups": [{"Name": "g", "Cont": 2,
          "Tasks": [{"Name": "t", "Resources": {"Memmory": 5}}]}],
          "Meta": {"free": "form keys are not fields"}, "NullIsQuiet": null}})",
      &unknown);
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(unknown, (std::vector<std::string>{"Job.Bogus", "Job.TaskGroups[0].Cont",
                                               "Job.TaskGroups[0].Tasks[0].Resources.Memmory"}));
}

TEST(JobJsonDecode, NullLeavesFieldsUnset) {
  Result<Job> job = decode_job(R"({"ID": null, "Priority": null, "Update": null,
      "Datacenters": null, "TaskGroups": [null, {"Count": null, "Meta": {"k": null}}]})");
  ASSERT_TRUE(job.has_value()) << job.error().to_string();
  EXPECT_EQ(job->id, "");
  EXPECT_EQ(job->priority, 0);
  EXPECT_EQ(job->update, std::nullopt);
  EXPECT_TRUE(job->datacenters.empty());
  ASSERT_EQ(job->task_groups.size(), 2u);
  EXPECT_EQ(job->task_groups[0], TaskGroup{});
  EXPECT_EQ(job->task_groups[1].count, std::nullopt);
  EXPECT_EQ(job->task_groups[1].meta.at("k"), "");
}

TEST(JobJsonDecode, WrongTypeNamesTheJsonPath) {
  Result<Job> job = decode_job(R"({"Job": {"TaskGroups": [{"Name": "g", "Count": "3"}]}})");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(job.error().message(), "Job.TaskGroups[0].Count: expected a number, got string \"3\"");
}

TEST(JobJsonDecode, WrongTypeInsideMapsAndListsNamesTheElement) {
  Result<Job> meta = decode_job(R"({"Meta": {"a": "x", "b": 2}})");
  ASSERT_FALSE(meta.has_value());
  EXPECT_EQ(meta.error().message(), "Job.Meta[\"b\"]: expected a string, got number 2");

  Result<Job> tags = decode_job(R"({"TaskGroups": [{}, {"Services": [{"Tags": ["ok", true]}]}]})");
  ASSERT_FALSE(tags.has_value());
  EXPECT_EQ(tags.error().message(),
            "Job.TaskGroups[1].Services[0].Tags[1]: expected a string, got boolean true");

  Result<Job> object = decode_job(R"({"Update": [1]})");
  ASSERT_FALSE(object.has_value());
  EXPECT_EQ(object.error().message(), "Job.Update: expected an object, got array");
}

TEST(JobJsonDecode, FractionalAndOutOfRangeIntegersAreErrors) {
  Result<Job> fractional = decode_job(R"({"Priority": 1.5})");
  ASSERT_FALSE(fractional.has_value());
  EXPECT_EQ(fractional.error().message(), "Job.Priority: expected an integer, got number 1.5");

  Result<Job> integral_float = decode_job(R"({"Priority": 70.0})");
  ASSERT_TRUE(integral_float.has_value()) << integral_float.error().to_string();
  EXPECT_EQ(integral_float->priority, 70);

  Result<Job> too_big = decode_job(R"({"Priority": 4294967296})");
  ASSERT_FALSE(too_big.has_value());
  EXPECT_NE(too_big.error().message().find("Job.Priority: 4294967296 is out of range"),
            std::string::npos)
      << too_big.error().message();
}

TEST(JobJsonDecode, DurationTextSuggestsNanoseconds) {
  Result<Job> job = decode_job(R"({"Update": {"MinHealthyTime": "10s"}})");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().message(),
            "Job.Update.MinHealthyTime: expected a duration in integer nanoseconds, got string "
            "\"10s\"; write 10000000000");
}

TEST(JobJsonDecode, MalformedJsonReportsLineAndColumn) {
  Result<Job> job = decode_job("{\n  \"ID\": \"a\",\n  \"Name\" \"b\"\n}");
  ASSERT_FALSE(job.has_value());
  EXPECT_EQ(job.error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(job.error().message().starts_with("invalid JSON: ")) << job.error().message();
  ASSERT_TRUE(job.error().where().has_value());
  EXPECT_EQ(job.error().where()->start.line, 3);
  EXPECT_EQ(job.error().where()->start.column, 10);
  EXPECT_TRUE(job.error().to_string().starts_with("3:10: invalid JSON")) << job.error().to_string();
}

TEST(JobJsonDecode, MalformedJsonColumnsCountCharactersNotBytes) {
  // "é" is two bytes; the "}" after the stray comma is the 12th character of line 1.
  Result<Job> job = decode_job("{\"ID\": \"\xC3\xA9\",}");
  ASSERT_FALSE(job.has_value());
  ASSERT_TRUE(job.error().where().has_value());
  EXPECT_EQ(job.error().where()->start.line, 1);
  EXPECT_EQ(job.error().where()->start.column, 12);
}

TEST(JobJsonDecode, MalformedJsonPointsAtTheStartOfTheBadToken) {
  Result<Job> word = decode_job("{\"ID\": \"a\" true}");
  ASSERT_FALSE(word.has_value());
  ASSERT_TRUE(word.error().where().has_value());
  EXPECT_EQ(word.error().where()->start.column, 12);

  Result<Job> escaped = decode_job("{\"ID\": \"a\" \"x\\\"y\"}");
  ASSERT_FALSE(escaped.has_value());
  ASSERT_TRUE(escaped.error().where().has_value());
  EXPECT_EQ(escaped.error().where()->start.column, 12);

  Result<Job> lexer = decode_job("{\"ID\": tru}");
  ASSERT_FALSE(lexer.has_value());
  EXPECT_NE(lexer.error().message().find("last read"), std::string::npos);
  ASSERT_TRUE(lexer.error().where().has_value());
  EXPECT_EQ(lexer.error().where()->start.column, 11);
}

TEST(JobJsonDecode, TruncatedJsonIsAnError) {
  Result<Job> job = decode_job("{\"Job\": {\"ID\": \"a\"");
  ASSERT_FALSE(job.has_value());
  EXPECT_TRUE(job.error().message().starts_with("invalid JSON: ")) << job.error().message();
  EXPECT_TRUE(job.error().where().has_value());
}

TEST(JobJsonDecode, NonObjectTopLevelIsAnError) {
  Result<Job> array = decode_job("[1, 2]");
  ASSERT_FALSE(array.has_value());
  EXPECT_NE(array.error().message().find("must be an object"), std::string::npos);

  Result<Job> wrapped = decode_job(R"({"Job": "web"})");
  ASSERT_FALSE(wrapped.has_value());
  EXPECT_EQ(wrapped.error().message(), "Job: expected an object, got string");
}

}  // namespace
}  // namespace caravan::model
