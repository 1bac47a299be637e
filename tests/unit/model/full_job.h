// A job with every field of every model struct set to a non-default value, for
// tests that must notice a field the JSON codec forgets (round trips, and the
// field-coverage check in job_fields_test.cc).
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "model/job.h"
#include "model/job_json.h"

namespace caravan::model {

// GoogleTest prints a Job in failure messages as its JSON (found by ADL).
inline void PrintTo(const Job& job, std::ostream* os) {
  *os << encode_job(job, JsonStyle::kPretty);
}

}  // namespace caravan::model

namespace caravan::model::fixtures {

using std::chrono::minutes;
using std::chrono::seconds;

inline Constraint constraint(const std::string& r) { return {"${attr.kernel.name}", r, "!="}; }
inline Affinity affinity() { return {"${node.datacenter}", "dc2", "=", -30}; }

inline CheckRestart check_restart() { return {3, seconds(90), true}; }

inline UpdateStrategy update() {
  return {seconds(31), 3, "task_states", seconds(11), minutes(6), minutes(11), true, true, 2};
}

inline MigrateStrategy migrate() { return {2, "task_states", seconds(12), minutes(7)}; }

inline ReschedulePolicy reschedule() {
  return {4, minutes(40), seconds(31), "fibonacci", minutes(61), true};
}

inline RestartPolicy restart() { return {5, minutes(31), seconds(16), "delay", true}; }

inline NetworkResource network() {
  NetworkResource n;
  n.mode = "bridge";
  n.device = "eth1";
  n.cidr = "10.0.0.0/24";
  n.ip = "10.0.0.7";
  n.hostname = "web-1";
  n.mbits = 20;
  n.dns = DnsConfig{{"8.8.8.8"}, {"corp.example"}, {"ndots:2"}};
  n.reserved_ports = {Port{"http", 8080, 80, "public"}};
  n.dynamic_ports = {Port{"metrics", 0, -1, "private"}, Port{"admin", 0, 9000, ""}};
  return n;
}

inline ServiceCheck check() {
  ServiceCheck c;
  c.name = "alive";
  c.type = "http";
  c.command = "/bin/check";
  c.args = {"-v", "--fast"};
  c.path = "/health";
  c.protocol = "https";
  c.port_label = "http";
  c.expose = true;
  c.address_mode = "driver";
  c.advertise = "10.1.1.1";
  c.interval = seconds(11);
  c.timeout = seconds(3);
  c.initial_status = "passing";
  c.notes = "see runbook";
  c.tls_server_name = "web.internal";
  c.tls_skip_verify = true;
  c.method = "POST";
  c.header = {{"Authorization", {"Basic x"}}, {"X-Many", {"a", "b"}}};
  c.body = "{}";
  c.grpc_service = "health.v1";
  c.grpc_use_tls = true;
  c.task_name = "web";
  c.success_before_passing = 2;
  c.failures_before_critical = 3;
  c.failures_before_warning = 1;
  c.on_update = "ignore_warnings";
  c.check_restart = check_restart();
  return c;
}

inline Service service() {
  Service s;
  s.name = "web";
  s.task_name = "server";
  s.port_label = "http";
  s.address_mode = "alloc";
  s.address = "1.2.3.4";
  s.tags = {"urlprefix-/", "v1"};
  s.canary_tags = {"canary"};
  s.enable_tag_override = true;
  s.meta = {{"team", "edge"}};
  s.canary_meta = {{"canary", "yes"}};
  s.tagged_addresses = {{"lan", "10.0.0.1"}};
  s.provider = "nomad";
  s.cluster = "east";
  s.checks = {check()};
  s.check_restart = CheckRestart{1, seconds(5), false};
  s.connect = *RawJson::parse(R"({"sidecar_service": {"proxy": {}}})");
  s.on_update = "ignore";
  s.identity = *RawJson::parse(R"({"aud": ["consul.io"]})");
  return s;
}

inline Task task() {
  Task t;
  t.name = "server";
  t.driver = "raw_exec";
  t.user = "nobody";
  t.config = *RawJson::parse(R"({"command": "/bin/sh", "args": ["-c", "sleep 1"], "n": 1.5})");
  t.env = {{"PORT", "8080"}, {"MODE", "prod"}};
  t.services = {service()};
  t.constraints = {constraint("windows")};
  t.affinities = {affinity()};
  t.resources.cpu = 250;
  t.resources.cores = 2;
  t.resources.memory_mb = 512;
  t.resources.memory_max_mb = 1024;
  t.resources.disk_mb = 100;
  t.resources.networks = {network()};
  t.resources.devices = {RequestedDevice{"nvidia/gpu", 2, {constraint("x")}, {affinity()}}};
  t.restart_policy = RestartPolicy{1, std::nullopt, seconds(3), std::nullopt, false};
  t.meta = {{"owner", "ops"}};
  t.kill_timeout = seconds(20);
  t.kill_signal = "SIGTERM";
  t.log_config = LogConfig{3, 20, true};
  t.artifacts = {TaskArtifact{"https://example.com/app.tgz",
                              {{"checksum", "sha256:abc"}},
                              {{"User-Agent", "caravan"}},
                              "file",
                              "local/app"}};
  Template tmpl;
  tmpl.source_path = "local/in.tpl";
  tmpl.dest_path = "local/out.conf";
  tmpl.embedded_tmpl = "{{ key \"x\" }}";
  tmpl.change_mode = "script";
  tmpl.change_signal = "SIGHUP";
  tmpl.change_script = ChangeScript{"/bin/reload", {"-f"}, seconds(7), true};
  tmpl.splay = Duration(0);
  tmpl.perms = "0600";
  tmpl.uid = 1000;
  tmpl.gid = 0;
  tmpl.left_delim = "[[";
  tmpl.right_delim = "]]";
  tmpl.envvars = true;
  tmpl.vault_grace = seconds(15);
  tmpl.wait = WaitConfig{seconds(2), seconds(40)};
  tmpl.err_missing_key = true;
  tmpl.once = true;
  t.templates = {tmpl};
  t.lifecycle = TaskLifecycle{"prestart", true};
  t.leader = true;
  t.shutdown_delay = seconds(4);
  t.volume_mounts = {VolumeMount{"data", "/srv", true, "bidirectional", "z"}};
  t.vault = *RawJson::parse(R"({"policies": ["read"], "change_mode": "noop"})");
  t.consul = ConsulConfig{"team-a", "east", "p1"};
  t.identity = *RawJson::parse(R"({"env": true})");
  t.identities = {*RawJson::parse(R"({"name": "vault", "aud": ["vault.io"]})")};
  t.dispatch_payload = DispatchPayloadConfig{"input.json"};
  t.kind = "connect-proxy:web";
  return t;
}

inline TaskGroup group() {
  TaskGroup g;
  g.name = "web";
  g.count = 0;  // set, and different from "not given"
  g.constraints = {Constraint{"", "", "distinct_hosts"}};
  g.affinities = {affinity()};
  g.spreads = {Spread{"${node.datacenter}", 70, {{"dc1", 60}, {"dc2", 40}}}};
  g.tasks = {task(), Task{.name = "sidecar", .driver = "exec"}};
  g.restart_policy = restart();
  g.reschedule_policy = reschedule();
  g.ephemeral_disk = EphemeralDisk{true, 500, true};
  g.update = update();
  g.migrate = migrate();
  g.networks = {network()};
  g.services = {service()};
  g.volumes = {
      {"data", VolumeRequest{"data", "csi", "db-vol", true, "single-node-writer", "file-system",
                             true, true, CsiMountOptions{"ext4", {"noatime"}}}}};
  g.scaling = ScalingPolicy{"horizontal", 1, 10, false,
                            *RawJson::parse(R"({"cooldown": "1m", "check": {}})")};
  g.meta = {{"tier", "front"}};
  g.shutdown_delay = seconds(6);
  g.stop_after_client_disconnect = minutes(2);
  g.max_client_disconnect = minutes(3);
  g.prevent_reschedule_on_lost = true;
  g.consul = ConsulConfig{"ns", "c", "p"};
  g.disconnect = DisconnectStrategy{minutes(5), false, "keep_original", minutes(1)};
  return g;
}

inline Job full_job() {
  Job j;
  j.id = "web-app";
  j.name = "Web App";
  j.namespace_name = "prod";
  j.region = "eu";
  j.type = kJobTypeBatch;
  j.priority = 70;
  j.all_at_once = true;
  j.datacenters = {"dc1", "dc2"};
  j.node_pool = "gpu";
  j.constraints = {constraint("linux")};
  j.affinities = {affinity()};
  j.spreads = {Spread{"${meta.rack}", 20, {{"r1", 100}}}};
  j.task_groups = {group(), TaskGroup{.name = "empty"}};
  j.update = update();
  j.migrate = migrate();
  j.reschedule = reschedule();
  j.periodic =
      PeriodicConfig{false, "*/5 * * * *", {"@daily", "0 1 * * *"}, "cron", true, "Europe/Paris"};
  j.parameterized_job = ParameterizedJobConfig{"required", {"input"}, {"extra"}};
  j.meta = {{"version", "3"}, {"unicode", "h\xC3\xA9"}};
  j.consul_token = "ct";
  j.consul_namespace = "cn";
  j.vault_token = "vt";
  j.vault_namespace = "vn";
  j.stop = true;
  j.parent_id = "parent";
  j.dispatched = true;
  j.status = "running";
  j.status_description = "all good";
  j.stable = true;
  j.version = 7;
  j.submit_time = 1700000000000000000;
  j.create_index = 10;
  j.modify_index = 12;
  j.job_modify_index = 11;
  return j;
}

}  // namespace caravan::model::fixtures
