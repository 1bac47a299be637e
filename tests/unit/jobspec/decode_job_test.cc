// Decoding of every block of the job specification into the model.
#include <gtest/gtest.h>

#include "unit/jobspec/jobspec_test_util.h"

namespace caravan::jobspec {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing_util::parse;

constexpr const char* kFullJob = R"(
job "shop" {
  name        = "Shop"
  namespace   = "web"
  region      = "eu"
  type        = "service"
  priority    = 70
  all_at_once = true
  datacenters = ["dc1", "dc2"]
  node_pool   = "edge"

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }
  constraint {
    distinct_hosts = true
  }
  constraint {
    attribute = "${attr.nomad.version}"
    version   = ">= 1.6"
  }
  constraint {
    distinct_property = "${meta.rack}"
    value             = "2"
  }
  affinity {
    attribute = "${node.datacenter}"
    value     = "dc1"
    weight    = -40
  }
  spread {
    attribute = "${node.datacenter}"
    weight    = 80
    target "dc1" {
      percent = 70
    }
    target "dc2" {
      percent = 30
    }
  }
  update {
    max_parallel = 2
    canary       = 1
    auto_promote = true
  }
  migrate {
    max_parallel = 3
  }
  reschedule {
    delay          = "1m"
    delay_function = "fibonacci"
    max_delay      = "2h"
    unlimited      = true
  }

  group "web" {
    count                        = 4
    shutdown_delay               = "7s"
    stop_after_client_disconnect = "3m"
    prevent_reschedule_on_lost   = true

    restart {
      attempts         = 5
      interval         = "10m"
      delay            = "20s"
      mode             = "delay"
      render_templates = true
    }
    ephemeral_disk {
      size    = 512
      sticky  = true
      migrate = true
    }
    update {
      canary = 0
      auto_promote = false
    }
    network {
      mode     = "bridge"
      hostname = "web-host"
      port "http" {
        to = 8080
      }
      port "admin" {
        static       = 9000
        to           = -1
        host_network = "private"
      }
      dns {
        servers  = ["1.1.1.1"]
        searches = ["svc"]
        options  = ["ndots:2"]
      }
    }
    volume "data" {
      type            = "csi"
      source          = "shop-data"
      read_only       = true
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
      per_alloc       = true
      mount_options {
        fs_type     = "ext4"
        mount_flags = ["noatime"]
      }
    }
    scaling {
      min = 2
      max = 10
      policy {
        cooldown = "1m"
        check "cpu" {
          source = "prometheus"
        }
      }
    }
    disconnect {
      lost_after = "1h"
      reconcile  = "keep_original"
    }
    consul {
      namespace = "shop"
    }
    service {
      name         = "web"
      port         = "http"
      tags         = ["a", "b"]
      canary_tags  = ["canary"]
      address_mode = "alloc"
      provider     = "consul"
      meta {
        version = "1"
      }
      tagged_addresses = {
        lan = "10.0.0.1"
      }
      check_restart {
        limit = 3
        grace = "30s"
      }
      check {
        name     = "alive"
        type     = "http"
        path     = "/health"
        method   = "POST"
        body     = "{}"
        interval = "10s"
        timeout  = "2s"
        header {
          X-A = ["1", "2"]
        }
        check_restart {
          limit = 5
        }
      }
      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "db"
              local_bind_port  = 5432
            }
            upstreams {
              destination_name = "cache"
              local_bind_port  = 6379
            }
          }
        }
      }
    }

    task "app" {
      driver         = "docker"
      user           = "app"
      kill_timeout   = "20s"
      kill_signal    = "SIGINT"
      leader         = true
      shutdown_delay = "2s"

      config {
        image = "shop:1"
        ports = ["http"]
        mount {
          type   = "bind"
          target = "/a"
        }
        mount {
          type   = "bind"
          target = "/b"
        }
        logging {
          type = "json-file"
          config {
            max-size = "10m"
          }
        }
      }
      env = {
        PORT = "${NOMAD_PORT_http}"
      }
      meta {
        team = "web"
      }
      resources {
        cpu        = 500
        memory     = 256
        memory_max = 512
        device "nvidia/gpu" {
          count = 2
          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "2 GiB"
          }
          affinity {
            attribute = "${device.model}"
            value     = "Tesla"
            weight    = 50
          }
        }
      }
      restart {
        attempts = 1
      }
      logs {
        max_files     = 3
        max_file_size = 15
      }
      artifact {
        source      = "https://example.com/app.tar.gz"
        destination = "local/app"
        mode        = "dir"
        options {
          checksum = "sha256:abc"
        }
        headers {
          Auth = "token"
        }
      }
      template {
        data            = "x={{ key \"x\" }}"
        destination     = "local/x.env"
        change_mode     = "signal"
        change_signal   = "SIGHUP"
        splay           = "0s"
        perms           = "0600"
        env             = true
        left_delimiter  = "[["
        right_delimiter = "]]"
        error_on_missing_key = true
        wait {
          min = "2s"
          max = "10s"
        }
      }
      lifecycle {
        hook    = "prestart"
        sidecar = true
      }
      volume_mount {
        volume      = "data"
        destination = "/data"
        read_only   = true
      }
      vault {
        policies    = ["shop"]
        change_mode = "noop"
      }
      identity {
        env  = true
        file = true
      }
      identity {
        name = "vault_default"
        aud  = ["vault.io"]
        ttl  = "1h"
      }
      dispatch_payload {
        file = "input.json"
      }
    }
  }
}
)";

class DecodeFullJob : public testing::Test {
 protected:
  void SetUp() override {
    result_ = parse(kFullJob);
    ASSERT_TRUE(result_.ok()) << result_.format_diagnostics();
    job_ = &*result_.job;
    group_ = &job_->task_groups.at(0);
    task_ = &group_->tasks.at(0);
  }
  ParseResult result_;
  const model::Job* job_ = nullptr;
  const model::TaskGroup* group_ = nullptr;
  const model::Task* task_ = nullptr;
};

TEST_F(DecodeFullJob, JobHeaderFields) {
  EXPECT_EQ(job_->id, "shop");
  EXPECT_EQ(job_->name, "Shop");
  EXPECT_EQ(job_->namespace_name, "web");
  EXPECT_EQ(job_->region, "eu");
  EXPECT_EQ(job_->type, "service");
  EXPECT_EQ(job_->priority, 70);
  EXPECT_TRUE(job_->all_at_once);
  EXPECT_EQ(job_->datacenters, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(job_->node_pool, "edge");
}

TEST_F(DecodeFullJob, ConstraintShorthands) {
  ASSERT_EQ(job_->constraints.size(), 4u);
  EXPECT_EQ(job_->constraints[0], (model::Constraint{"${attr.kernel.name}", "linux", "="}));
  EXPECT_EQ(job_->constraints[1].operand, "distinct_hosts");
  EXPECT_EQ(job_->constraints[2],
            (model::Constraint{"${attr.nomad.version}", ">= 1.6", "version"}));
  EXPECT_EQ(job_->constraints[3], (model::Constraint{"${meta.rack}", "2", "distinct_property"}));
}

TEST_F(DecodeFullJob, AffinityAndSpread) {
  ASSERT_EQ(job_->affinities.size(), 1u);
  EXPECT_EQ(job_->affinities[0], (model::Affinity{"${node.datacenter}", "dc1", "=", -40}));
  ASSERT_EQ(job_->spreads.size(), 1u);
  EXPECT_EQ(job_->spreads[0].attribute, "${node.datacenter}");
  EXPECT_EQ(job_->spreads[0].weight, 80);
  EXPECT_EQ(job_->spreads[0].spread_target,
            (std::vector<model::SpreadTarget>{{"dc1", 70}, {"dc2", 30}}));
}

TEST_F(DecodeFullJob, GroupUpdateOverridesJobUpdateFieldByField) {
  ASSERT_TRUE(job_->update.has_value());
  EXPECT_EQ(job_->update->canary, 1);
  ASSERT_TRUE(group_->update.has_value());
  EXPECT_EQ(group_->update->max_parallel, 2);  // from the job
  EXPECT_EQ(group_->update->canary, 0);        // the group's own 0 wins
  EXPECT_EQ(group_->update->auto_promote, false);
  EXPECT_EQ(group_->update->stagger, Duration(seconds(30)));  // default
}

TEST_F(DecodeFullJob, GroupInheritsJobMigrateAndReschedule) {
  ASSERT_TRUE(group_->migrate.has_value());
  EXPECT_EQ(group_->migrate->max_parallel, 3);
  EXPECT_EQ(group_->migrate->health_check, "checks");
  ASSERT_TRUE(group_->reschedule_policy.has_value());
  EXPECT_EQ(group_->reschedule_policy->delay, Duration(minutes(1)));
  EXPECT_EQ(group_->reschedule_policy->delay_function, "fibonacci");
  EXPECT_EQ(group_->reschedule_policy->max_delay, Duration(hours(2)));
  EXPECT_EQ(group_->reschedule_policy->unlimited, true);
}

TEST_F(DecodeFullJob, GroupFields) {
  EXPECT_EQ(group_->name, "web");
  EXPECT_EQ(group_->count, 4);
  EXPECT_EQ(group_->shutdown_delay, Duration(seconds(7)));
  EXPECT_EQ(group_->stop_after_client_disconnect, Duration(minutes(3)));
  EXPECT_TRUE(group_->prevent_reschedule_on_lost);
  EXPECT_EQ(*group_->restart_policy,
            (model::RestartPolicy{5, Duration(minutes(10)), Duration(seconds(20)), "delay", true}));
  EXPECT_EQ(*group_->ephemeral_disk, (model::EphemeralDisk{true, 512, true}));
  ASSERT_TRUE(group_->consul.has_value());
  EXPECT_EQ(group_->consul->namespace_name, "shop");
  ASSERT_TRUE(group_->disconnect.has_value());
  EXPECT_EQ(group_->disconnect->lost_after, Duration(hours(1)));
  EXPECT_EQ(group_->disconnect->reconcile, "keep_original");
}

TEST_F(DecodeFullJob, NetworkPortsAndDns) {
  ASSERT_EQ(group_->networks.size(), 1u);
  const model::NetworkResource& n = group_->networks[0];
  EXPECT_EQ(n.mode, "bridge");
  EXPECT_EQ(n.hostname, "web-host");
  EXPECT_EQ(n.dynamic_ports, (std::vector<model::Port>{{"http", 0, 8080, "default"}}));
  EXPECT_EQ(n.reserved_ports, (std::vector<model::Port>{{"admin", 9000, -1, "private"}}));
  ASSERT_TRUE(n.dns.has_value());
  EXPECT_EQ(n.dns->servers, (std::vector<std::string>{"1.1.1.1"}));
  EXPECT_EQ(n.dns->searches, (std::vector<std::string>{"svc"}));
  EXPECT_EQ(n.dns->options, (std::vector<std::string>{"ndots:2"}));
}

TEST_F(DecodeFullJob, VolumeAndScaling) {
  const model::VolumeRequest& v = group_->volumes.at("data");
  EXPECT_EQ(v.name, "data");
  EXPECT_EQ(v.type, "csi");
  EXPECT_EQ(v.source, "shop-data");
  EXPECT_TRUE(v.read_only);
  EXPECT_EQ(v.access_mode, "single-node-writer");
  EXPECT_EQ(v.attachment_mode, "file-system");
  EXPECT_TRUE(v.per_alloc);
  ASSERT_TRUE(v.mount_options.has_value());
  EXPECT_EQ(v.mount_options->fs_type, "ext4");
  EXPECT_EQ(v.mount_options->mount_flags, (std::vector<std::string>{"noatime"}));
  ASSERT_TRUE(group_->scaling.has_value());
  EXPECT_EQ(group_->scaling->min, 2);
  EXPECT_EQ(group_->scaling->max, 10);
  EXPECT_EQ(group_->scaling->policy.text(),
            R"({"check":[{"cpu":{"source":"prometheus"}}],"cooldown":"1m"})");
}

TEST_F(DecodeFullJob, ServiceChecksAndConnect) {
  ASSERT_EQ(group_->services.size(), 1u);
  const model::Service& s = group_->services[0];
  EXPECT_EQ(s.name, "web");
  EXPECT_EQ(s.port_label, "http");
  EXPECT_EQ(s.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.canary_tags, (std::vector<std::string>{"canary"}));
  EXPECT_EQ(s.address_mode, "alloc");
  EXPECT_EQ(s.meta, (std::map<std::string, std::string>{{"version", "1"}}));
  EXPECT_EQ(s.tagged_addresses, (std::map<std::string, std::string>{{"lan", "10.0.0.1"}}));
  ASSERT_TRUE(s.check_restart.has_value());
  EXPECT_EQ(s.check_restart->limit, 3);
  ASSERT_EQ(s.checks.size(), 1u);
  const model::ServiceCheck& c = s.checks[0];
  EXPECT_EQ(c.name, "alive");
  EXPECT_EQ(c.type, "http");
  EXPECT_EQ(c.path, "/health");
  EXPECT_EQ(c.method, "POST");
  EXPECT_EQ(c.body, "{}");
  EXPECT_EQ(c.interval, Duration(seconds(10)));
  EXPECT_EQ(c.timeout, Duration(seconds(2)));
  EXPECT_EQ(c.header, (std::map<std::string, std::vector<std::string>>{{"X-A", {"1", "2"}}}));
  ASSERT_TRUE(c.check_restart.has_value());
  EXPECT_EQ(c.check_restart->limit, 5);                      // the check's own
  EXPECT_EQ(c.check_restart->grace, Duration(seconds(30)));  // from the service
  EXPECT_EQ(
      s.connect.text(),
      R"({"SidecarService":{"Proxy":{"Upstreams":[{"DestinationName":"db","LocalBindPort":5432},)"
      R"({"DestinationName":"cache","LocalBindPort":6379}]}}})");
}

TEST_F(DecodeFullJob, TaskFields) {
  EXPECT_EQ(task_->name, "app");
  EXPECT_EQ(task_->driver, "docker");
  EXPECT_EQ(task_->user, "app");
  EXPECT_EQ(task_->kill_timeout, Duration(seconds(20)));
  EXPECT_EQ(task_->kill_signal, "SIGINT");
  EXPECT_TRUE(task_->leader);
  EXPECT_EQ(task_->shutdown_delay, Duration(seconds(2)));
  EXPECT_EQ(task_->env, (std::map<std::string, std::string>{{"PORT", "${NOMAD_PORT_http}"}}));
  EXPECT_EQ(task_->meta, (std::map<std::string, std::string>{{"team", "web"}}));
}

TEST_F(DecodeFullJob, FreeFormConfigNestsRepeatedBlocksAsLists) {
  EXPECT_EQ(task_->config.text(),
            R"({"image":"shop:1","logging":[{"config":[{"max-size":"10m"}],"type":"json-file"}],)"
            R"("mount":[{"target":"/a","type":"bind"},{"target":"/b","type":"bind"}],)"
            R"("ports":["http"]})");
}

TEST_F(DecodeFullJob, ResourcesAndDevices) {
  EXPECT_EQ(task_->resources.cpu, 500);
  EXPECT_EQ(task_->resources.memory_mb, 256);
  EXPECT_EQ(task_->resources.memory_max_mb, 512);
  ASSERT_EQ(task_->resources.devices.size(), 1u);
  const model::RequestedDevice& d = task_->resources.devices[0];
  EXPECT_EQ(d.name, "nvidia/gpu");
  EXPECT_EQ(d.count, 2);
  EXPECT_EQ(d.constraints,
            (std::vector<model::Constraint>{{"${device.attr.memory}", "2 GiB", ">="}}));
  EXPECT_EQ(d.affinities, (std::vector<model::Affinity>{{"${device.model}", "Tesla", "=", 50}}));
}

TEST_F(DecodeFullJob, TaskRestartMergesOntoGroupRestart) {
  ASSERT_TRUE(task_->restart_policy.has_value());
  EXPECT_EQ(task_->restart_policy->attempts, 1);
  EXPECT_EQ(task_->restart_policy->mode, "delay");
  EXPECT_EQ(task_->restart_policy->interval, Duration(minutes(10)));
}

TEST_F(DecodeFullJob, LogsArtifactsTemplates) {
  EXPECT_EQ(*task_->log_config, (model::LogConfig{3, 15, false}));
  ASSERT_EQ(task_->artifacts.size(), 1u);
  const model::TaskArtifact& a = task_->artifacts[0];
  EXPECT_EQ(a.getter_source, "https://example.com/app.tar.gz");
  EXPECT_EQ(a.relative_dest, "local/app");
  EXPECT_EQ(a.getter_mode, "dir");
  EXPECT_EQ(a.getter_options, (std::map<std::string, std::string>{{"checksum", "sha256:abc"}}));
  EXPECT_EQ(a.getter_headers, (std::map<std::string, std::string>{{"Auth", "token"}}));
  ASSERT_EQ(task_->templates.size(), 1u);
  const model::Template& t = task_->templates[0];
  EXPECT_EQ(t.embedded_tmpl, "x={{ key \"x\" }}");
  EXPECT_EQ(t.dest_path, "local/x.env");
  EXPECT_EQ(t.change_mode, "signal");
  EXPECT_EQ(t.change_signal, "SIGHUP");
  EXPECT_EQ(t.splay, Duration(0));  // an explicit 0 is kept
  EXPECT_EQ(t.perms, "0600");
  EXPECT_TRUE(t.envvars);
  EXPECT_EQ(t.left_delim, "[[");
  EXPECT_EQ(t.right_delim, "]]");
  EXPECT_TRUE(t.err_missing_key);
  ASSERT_TRUE(t.wait.has_value());
  EXPECT_EQ(t.wait->min, Duration(seconds(2)));
  EXPECT_EQ(t.wait->max, Duration(seconds(10)));
}

TEST_F(DecodeFullJob, LifecycleVolumeMountVaultIdentityPayload) {
  EXPECT_EQ(*task_->lifecycle, (model::TaskLifecycle{"prestart", true}));
  EXPECT_EQ(task_->volume_mounts,
            (std::vector<model::VolumeMount>{{"data", "/data", true, "private", ""}}));
  EXPECT_EQ(task_->vault.text(), R"({"ChangeMode":"noop","Policies":["shop"]})");
  EXPECT_EQ(task_->identity.text(), R"({"Env":true,"File":true})");
  ASSERT_EQ(task_->identities.size(), 1u);
  EXPECT_EQ(task_->identities[0].text(),
            R"({"Audience":["vault.io"],"Name":"vault_default","TTL":"1h"})");
  ASSERT_TRUE(task_->dispatch_payload.has_value());
  EXPECT_EQ(task_->dispatch_payload->file, "input.json");
}

TEST(DecodeJob, ConfigAcceptsMapAttributeForm) {
  ParseResult r = parse(testing_util::job_with_task(
      "      driver = \"raw_exec\"\n      config = {\n        command = \"/bin/true\"\n        "
      "args = [\"-x\", 1]\n      }\n"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_EQ(r.job->task_groups[0].tasks[0].config.text(),
            R"({"args":["-x",1],"command":"/bin/true"})");
}

TEST(DecodeJob, RuntimeReferencesStayVerbatim) {
  ParseResult r = parse(testing_util::job_with_task(
      "      driver = \"raw_exec\"\n      env {\n        A = \"${attr.kernel.name}-${meta.rack}\"\n"
      "        B = \"${node.unique.name}\"\n        C = \"${env[\"HOME\"]}\"\n      }\n"));
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  const auto& env = r.job->task_groups[0].tasks[0].env;
  EXPECT_EQ(env.at("A"), "${attr.kernel.name}-${meta.rack}");
  EXPECT_EQ(env.at("B"), "${node.unique.name}");
  EXPECT_EQ(env.at("C"), "${env[\"HOME\"]}");
}

TEST(DecodeJob, PeriodicAndParameterized) {
  ParseResult r = parse(R"(job "b" {
  type = "batch"
  periodic {
    crons            = ["0 3 * * *", "@hourly"]
    prohibit_overlap = true
    time_zone        = "Europe/Berlin"
  }
  parameterized {
    payload       = "required"
    meta_required = ["input"]
    meta_optional = ["quality"]
  }
  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
)");
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  ASSERT_TRUE(r.job->periodic.has_value());
  EXPECT_EQ(r.job->periodic->specs, (std::vector<std::string>{"0 3 * * *", "@hourly"}));
  EXPECT_TRUE(r.job->periodic->prohibit_overlap);
  EXPECT_EQ(r.job->periodic->time_zone, "Europe/Berlin");
  ASSERT_TRUE(r.job->parameterized_job.has_value());
  EXPECT_EQ(r.job->parameterized_job->payload, "required");
  EXPECT_EQ(r.job->parameterized_job->meta_required, (std::vector<std::string>{"input"}));
  EXPECT_EQ(r.job->parameterized_job->meta_optional, (std::vector<std::string>{"quality"}));
}

TEST(DecodeJob, DistinctHostsFalseIsNoConstraint) {
  ParseResult r = parse(R"(job "j" {
  constraint {
    distinct_hosts = false
  }
  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
)");
  ASSERT_TRUE(r.ok()) << r.format_diagnostics();
  EXPECT_TRUE(r.job->constraints.empty());
}

TEST(DecodeJob, TaskLevelNetworkBlockIsUnsupported) {
  ParseResult r = parse(testing_util::job_with_task(
      "      driver = \"exec\"\n      network {\n        port \"http\" {}\n      }\n"));
  EXPECT_TRUE(testing_util::has_error_at(r, 5, 7, "Blocks of type \"network\" are not expected"))
      << r.format_diagnostics();
}

}  // namespace
}  // namespace caravan::jobspec
