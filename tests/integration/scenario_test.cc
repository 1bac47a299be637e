// The five scenarios of a controlled traffic shift, each with a server, two
// client agents and `caravan ingress` as its own process, under a steady load
// of about 250 requests/s (ASan build) from 32 clients (half of them sticky, carrying a
// session cookie): a rolling update, a canary inspected through the canary
// header and then promoted, a failing version rolled back, a node drain with a
// deadline (then the node takes work again) and a scale-down from 5 to 2. Each
// asserts that no request failed (no connection error, no 5xx), that a sticky
// client changed instance only after the instance it left began draining, and
// that clients without a session no longer reached a draining instance; each
// prints requests sent, failed, sessions moved and the total time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "instance_watch.h"
#include "load_generator.h"
#include "scenario_cluster.h"
#include "scenario_report.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;

// The ingress routes of the scenarios: the ingress's sticky cookie, or
// consistent hashing on the application's session cookie.
const std::string kStickyCookieRoute = "    sticky {\n      cookie_name = \"web_srv\"\n    }\n";
const std::string kRingHashRoute =
    "    balance = \"ring_hash\"\n    hash_on {\n      cookie = \"sid\"\n    }\n";

struct WebJob {
  int count = 3;
  int version = 1;             // VERSION in the task's env: a new value is a new version
  bool failing_check = false;  // /health answers 503 for ever
  std::string update;          // an update block, or ""
  std::string migrate;         // a migrate block, or ""
  bool spread_over_nodes = false;
};

std::string web_job(const WebJob& job) {
  const std::string backend = std::string(CARAVAN_SOURCE_DIR) + "/tests/data/ingress/backend.py";
  // The backend answers 503 on /health while its third argument names a file.
  const std::string fail_file = job.failing_check ? backend : "/nonexistent/fail";
  return "job \"web\" {\n"
         "  datacenters = [\"*\"]\n" +
         job.update +
         (job.spread_over_nodes ? "  spread {\n    attribute = \"${node.unique.name}\"\n  }\n" : "") +
         "  group \"web\" {\n"
         "    count          = " + std::to_string(job.count) + "\n"
         "    shutdown_delay = \"4s\"\n" +
         job.migrate +
         "    network {\n"
         "      port \"http\" {}\n"
         "    }\n"
         "    service {\n"
         "      name        = \"web\"\n"
         "      port        = \"http\"\n"
         "      canary_tags = [\"canary\"]\n"
         "      check {\n"
         "        type     = \"http\"\n"
         "        path     = \"/health\"\n"
         "        interval = \"1s\"\n"
         "        timeout  = \"2s\"\n"
         "      }\n"
         "    }\n"
         "    task \"server\" {\n"
         "      driver = \"raw_exec\"\n"
         "      config {\n"
         "        command = \"python3\"\n"
         "        args    = [\"" + backend + "\", \"${NOMAD_PORT_http}\", \"${NOMAD_ALLOC_ID}\", \"" +
         fail_file + "\"]\n"
         "      }\n"
         "      env {\n"
         "        VERSION = \"" + std::to_string(job.version) + "\"\n"
         "      }\n"
         "      resources {\n"
         "        cpu    = 50\n"
         "        memory = 48\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

// Nomad's update block, checks-based health.
std::string update_block(int canary = 0, bool auto_revert = false,
                         const std::string& healthy_deadline = "60s") {
  return "  update {\n"
         "    max_parallel     = 1\n"
         "    canary           = " + std::to_string(canary) + "\n"
         "    health_check     = \"checks\"\n"
         "    min_healthy_time = \"1s\"\n"
         "    healthy_deadline = \"" + healthy_deadline + "\"\n"
         "    auto_revert      = " + (auto_revert ? "true" : "false") + "\n"
         "  }\n";
}

class Scenario : public ::testing::Test {
 protected:
  static constexpr int kClients = 32;

  // The cluster, the job at its first version with `instances` passing, the
  // catalog watch. Fatal failures end the test.
  void start(const std::string& route, const std::string& job_text, size_t instances) {
    ClusterOptions options;
    options.route = route;
    cluster_ = std::make_unique<ScenarioCluster>(options);
    ASSERT_TRUE(cluster_->ready());
    watch_ = std::make_unique<InstanceWatch>(cluster_->server().address(), "web");
    ASSERT_EQ(cluster_->run_job(job_text), "");
    ASSERT_TRUE(wait_until([&] { return cluster_->passing() == instances; }, std::chrono::seconds(90)))
        << cluster_->server().get("/v1/service/web").dump(2) << cluster_->logs();
    // A first deployment is done before the change (its version turns stable).
    ASSERT_TRUE(wait_until([&] {
      nlohmann::json d = cluster_->latest_deployment("web");
      return d.is_null() || d.value("Status", "") == "successful";
    }, std::chrono::seconds(60))) << cluster_->latest_deployment("web").dump(2);
  }

  // The load, until every client had about ten answers (sticky ones hold their
  // cookie or hash key by then).
  void start_load(const std::string& sticky_cookie) {
    LoadOptions options;
    options.port = cluster_->ingress_port();
    options.host = cluster_->options().host;
    options.clients = kClients;
    options.sticky_cookie = sticky_cookie;
    load_ = std::make_unique<LoadGenerator>(options);
    ASSERT_TRUE(load_->wait_for_answers(kClients * 10, std::chrono::seconds(60)));
  }

  // Some more load after the change, then the figures: printed, and the
  // assertions every scenario shares.
  ScenarioReport finish(const std::string& name, WallClock::time_point change_at,
                        WallClock::time_point done_at) {
    load_->wait_for_answers(kClients * 10, std::chrono::seconds(30));
    const std::vector<ClientRecord>& records = load_->stop();
    ScenarioReport report = analyse(name, records, watch_->lives(), change_at, done_at);
    std::printf("%s\n", report.line().c_str());
    std::fflush(stdout);
    for (size_t i = 0; i < report.failures.size() && i < 20; ++i) ADD_FAILURE() << report.failures[i];
    EXPECT_EQ(report.failed, 0);
    EXPECT_GE(report.sent, kClients * 20);
    EXPECT_EQ(report.moves_before_drain, 0) << "a sticky client left an instance that was not draining";
    EXPECT_EQ(report.sessionless_on_draining, 0) << "a new request reached a draining instance";
    return report;
  }

  // Allocation ID → job version of every allocation the job has had.
  std::map<std::string, int> versions() {
    std::map<std::string, int> out;
    for (const nlohmann::json& a : cluster_->allocations("web")) {
      out[a.value("ID", "")] = a.value("JobVersion", -1);
    }
    return out;
  }

  // The deployment of job version `version` has `status`.
  bool deployment_of(int version, const std::string& status) {
    for (const nlohmann::json& d : cluster_->server().get("/v1/job/web/deployments")) {
      if (d.value("JobVersion", -1) == version && d.value("Status", "") == status) return true;
    }
    return false;
  }

  // The catalog holds exactly `n` instances, none draining (the stopped ones left).
  bool settled_at(size_t n) {
    nlohmann::json instances = cluster_->server().get("/v1/service/web");
    if (!instances.is_array() || instances.size() != n) return false;
    for (const nlohmann::json& i : instances) {
      if (i.value("Draining", false)) return false;
    }
    return cluster_->passing() == n;
  }

  // Waits until the deployment of job version `version` succeeded and the
  // catalog settled at `instances` (the old ones drained and left).
  void await_rollout(int version, size_t instances) {
    ASSERT_TRUE(wait_until([&] { return deployment_of(version, "successful") && settled_at(instances); },
                           std::chrono::seconds(120)))
        << cluster_->server().get("/v1/job/web/deployments").dump(2) << cluster_->logs();
  }

  // One request through the ingress on a new connection, with the canary
  // header or without; the answering instance or "failed: ...".
  std::string ask(bool canary_header) {
    Result<http::Client> client =
        http::Client::create("http://127.0.0.1:" + std::to_string(cluster_->ingress_port()));
    http::RequestOptions options;
    options.headers.set("Host", cluster_->options().host);
    if (canary_header) options.headers.set("X-Canary", "always");
    Result<http::Response> r = client->get("/", options);
    if (!r) return "failed: " + r.error().message();
    return r->status == 200 ? answering_instance(r->body) : "failed: " + std::to_string(r->status);
  }

  std::unique_ptr<ScenarioCluster> cluster_;
  std::unique_ptr<InstanceWatch> watch_;
  std::unique_ptr<LoadGenerator> load_;
};

TEST_F(Scenario, RollingUpdateOfThreeInstancesOneAtATime) {
  WebJob job;
  job.update = update_block();
  ASSERT_NO_FATAL_FAILURE(start(kStickyCookieRoute, web_job(job), 3));
  ASSERT_NO_FATAL_FAILURE(start_load("web_srv"));

  const WallClock::time_point change_at = WallClock::now();
  job.version = 2;
  ASSERT_EQ(cluster_->run_job(web_job(job)), "");
  ASSERT_NO_FATAL_FAILURE(await_rollout(1, 3));
  const WallClock::time_point done_at = WallClock::now();

  ScenarioReport report = finish("rolling update (3 instances, max_parallel 1)", change_at, done_at);
  // Every old instance drained, so every sticky session moved, and only then.
  EXPECT_EQ(report.sessions_on_drained, report.sticky_clients);
  EXPECT_EQ(report.sessions_moved, report.sessions_on_drained);
  std::map<std::string, int> version_of = versions();
  for (const ClientRecord& c : load_->stop()) {
    ASSERT_FALSE(c.answers.empty());
    EXPECT_EQ(version_of[c.answers.back().instance], 1) << "client " << c.n << " still on the old version";
  }
  // The replacements came one at a time: no two old instances drained together.
  std::vector<std::pair<WallClock::time_point, WallClock::time_point>> drains;
  for (const auto& [alloc, life] : watch_->lives()) {
    if (life.drain_start && life.gone) drains.emplace_back(*life.drain_start, *life.gone);
  }
  ASSERT_EQ(drains.size(), 3u);
  std::sort(drains.begin(), drains.end());
  for (size_t i = 1; i < drains.size(); ++i) {
    EXPECT_GE(drains[i].first, drains[i - 1].first + std::chrono::milliseconds(500))
        << "two old instances began draining at once";
  }
}

TEST_F(Scenario, CanaryInspectedThroughTheCanaryHeaderThenPromoted) {
  WebJob job;
  job.update = update_block(/*canary=*/1);
  ASSERT_NO_FATAL_FAILURE(start(kStickyCookieRoute, web_job(job), 3));
  ASSERT_NO_FATAL_FAILURE(start_load("web_srv"));

  const WallClock::time_point change_at = WallClock::now();
  job.version = 2;
  ASSERT_EQ(cluster_->run_job(web_job(job)), "");
  // The canary runs beside the three old instances and turns healthy; the
  // deployment waits for promotion.
  std::string canary;
  ASSERT_TRUE(wait_until([&] {
    for (const nlohmann::json& a : cluster_->allocations("web")) {
      const nlohmann::json& status = a["DeploymentStatus"];
      if (a.value("JobVersion", -1) == 1 && status.is_object() && status.value("Canary", false) &&
          status["Healthy"] == true) {
        canary = a.value("ID", "");
      }
    }
    return !canary.empty() && cluster_->passing() == 4;
  }, std::chrono::seconds(90))) << cluster_->allocations("web").dump(2) << cluster_->logs();
  nlohmann::json waiting = cluster_->latest_deployment("web");
  EXPECT_EQ(waiting.value("Status", ""), "running");
  EXPECT_EQ(cluster_->running("web"), 4);

  // A tester reaches the canary through the real entry point with the header;
  // without it, nobody does.
  ASSERT_TRUE(wait_until([&] { return ask(true) == canary; })) << ask(true);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(ask(true), canary);
  for (int i = 0; i < 10; ++i) {
    std::string answer = ask(false);
    EXPECT_NE(answer, canary);
    EXPECT_THAT(answer, ::testing::Not(HasSubstr("failed"))) << answer;
  }

  const WallClock::time_point promoted_at = WallClock::now();
  ProcessResult promote = cluster_->caravan({"job", "promote", "-detach", "web"});
  ASSERT_EQ(promote.exit_code, 0) << promote.out << promote.err;
  ASSERT_NO_FATAL_FAILURE(await_rollout(1, 3));
  const WallClock::time_point done_at = WallClock::now();

  ScenarioReport report = finish("canary 1 of 3, inspected, promoted", change_at, done_at);
  EXPECT_EQ(report.sessions_moved, report.sessions_on_drained);
  // The load never reached the canary before its promotion, and did after.
  int before = 0, after = 0;
  for (const ClientRecord& c : load_->stop()) {
    for (const ClientRecord::Answer& a : c.answers) {
      if (a.instance == canary) (a.at < promoted_at ? before : after) += 1;
    }
  }
  std::printf("scenario canary: load requests answered by the canary before promotion=%d, after=%d\n",
              before, after);
  EXPECT_EQ(before, 0);
  EXPECT_GT(after, 0);
  EXPECT_EQ(versions()[canary], 1);
}

TEST_F(Scenario, AFailingVersionIsRolledBackAndNeverServes) {
  WebJob job;
  job.update = update_block(/*canary=*/0, /*auto_revert=*/true, /*healthy_deadline=*/"6s");
  ASSERT_NO_FATAL_FAILURE(start(kStickyCookieRoute, web_job(job), 3));
  ASSERT_NO_FATAL_FAILURE(start_load("web_srv"));

  const WallClock::time_point change_at = WallClock::now();
  WebJob broken = job;
  broken.version = 2;
  broken.failing_check = true;
  ASSERT_EQ(cluster_->run_job(web_job(broken)), "");
  // Its deployment fails; the job rolls back to version 0 as version 2, whose
  // own deployment succeeds.
  ASSERT_TRUE(wait_until([&] { return deployment_of(1, "failed"); }, std::chrono::seconds(90)))
      << cluster_->server().get("/v1/job/web/deployments").dump(2) << cluster_->logs();
  ASSERT_NO_FATAL_FAILURE(await_rollout(2, 3));
  const WallClock::time_point done_at = WallClock::now();

  ScenarioReport report = finish("failing version, auto-revert", change_at, done_at);
  EXPECT_EQ(report.sessions_moved, report.sessions_on_drained);
  std::string description;
  for (const nlohmann::json& d : cluster_->server().get("/v1/job/web/deployments")) {
    if (d.value("JobVersion", -1) == 1) description = d.value("StatusDescription", "");
  }
  EXPECT_THAT(description, HasSubstr("rolling back to job version 0"));
  // No request ever reached the broken version, and it no longer runs.
  std::map<std::string, int> version_of = versions();
  int bad_allocs = 0, bad_answers = 0;
  for (const auto& [alloc, version] : version_of) bad_allocs += version == 1;
  for (const ClientRecord& c : load_->stop()) {
    for (const ClientRecord::Answer& a : c.answers) bad_answers += version_of[a.instance] == 1;
  }
  std::printf("scenario failing version: broken allocations placed=%d, requests they answered=%d\n",
              bad_allocs, bad_answers);
  EXPECT_GE(bad_allocs, 1);
  EXPECT_EQ(bad_answers, 0);
  for (const nlohmann::json& a : cluster_->allocations("web")) {
    if (a.value("DesiredStatus", "") == "run") {
      EXPECT_NE(a.value("JobVersion", -1), 1) << a.dump(2);
    }
  }
}

TEST_F(Scenario, NodeDrainWithADeadlineThenTheNodeTakesWorkAgain) {
  WebJob job;
  job.spread_over_nodes = true;
  job.migrate = "    migrate {\n      max_parallel     = 1\n      min_healthy_time = \"1s\"\n    }\n";
  ASSERT_NO_FATAL_FAILURE(start(kStickyCookieRoute, web_job(job), 3));
  // The node holding two of the three instances.
  int drained = 0;
  for (int n = 1; n <= 2; ++n) {
    if (cluster_->running("web", cluster_->node_id(n)) == 2) drained = n;
  }
  ASSERT_NE(drained, 0) << cluster_->allocations("web").dump(2);
  const std::string node = cluster_->node_id(drained);
  const std::string other = cluster_->node_id(3 - drained);
  ASSERT_NO_FATAL_FAILURE(start_load("web_srv"));

  const WallClock::time_point change_at = WallClock::now();
  ProcessResult drain = cluster_->caravan({"node", "drain", "-enable", "-deadline", "2m", "-m",
                                           "kernel upgrade", "-yes", "-detach", node});
  ASSERT_EQ(drain.exit_code, 0) << drain.out << drain.err;
  ASSERT_TRUE(wait_until([&] {
    return cluster_->server().get("/v1/node/" + node)["LastDrain"].value("Status", "") == "complete" &&
           cluster_->running("web", other) == 3 && settled_at(3);
  }, std::chrono::seconds(120))) << cluster_->allocations("web").dump(2) << cluster_->logs();
  const WallClock::time_point done_at = WallClock::now();
  EXPECT_EQ(cluster_->server().get("/v1/node/" + node)["SchedulingEligibility"], "ineligible");

  // The drain is over: the node is eligible again and takes new work (a
  // scale-up spreads onto it), still under load.
  ProcessResult undrain = cluster_->caravan({"node", "drain", "-disable", node});
  ASSERT_EQ(undrain.exit_code, 0) << undrain.out << undrain.err;
  EXPECT_EQ(cluster_->server().get("/v1/node/" + node)["SchedulingEligibility"], "eligible");
  job.count = 5;
  ASSERT_EQ(cluster_->run_job(web_job(job)), "");
  EXPECT_TRUE(wait_until([&] { return cluster_->running("web", node) >= 1 && settled_at(5); },
                         std::chrono::seconds(90)))
      << cluster_->allocations("web").dump(2);

  ScenarioReport report = finish("node drain of the node holding 2 of 3, deadline 2m", change_at, done_at);
  // The two instances of the drained node drained; only their sessions moved.
  EXPECT_EQ(report.sessions_moved, report.sessions_on_drained);
  EXPECT_GT(report.sessions_on_drained, 0);
  EXPECT_LT(report.sessions_on_drained, report.sticky_clients);
}

TEST_F(Scenario, ScaleDownFromFiveToTwoMovesOnlyTheStoppedInstancesSessions) {
  WebJob job;
  job.count = 5;
  ASSERT_NO_FATAL_FAILURE(start(kRingHashRoute, web_job(job), 5));
  ASSERT_NO_FATAL_FAILURE(start_load(""));

  const WallClock::time_point change_at = WallClock::now();
  job.count = 2;
  ASSERT_EQ(cluster_->run_job(web_job(job)), "");
  // While the three drain: tools that read ?passing (Consul's and Nomad's)
  // see only the two that stay; the ingress shows the three it still routes
  // live sessions to.
  size_t consul_passing = 0, nomad_passing = 0, ingress_draining = 0;
  bool saw_drain = wait_until([&] {
    int draining = 0;
    for (const nlohmann::json& i : cluster_->server().get("/v1/service/web")) draining += i.value("Draining", false);
    if (draining < 3) return false;
    consul_passing = cluster_->passing();
    nomad_passing = cluster_->server().get("/v1/service/web?passing").size();
    nlohmann::json status = cluster_->ingress_status();
    ingress_draining = status.is_object() ? status["Draining"].size() : 0;
    return true;
  }, std::chrono::seconds(30));
  ASSERT_TRUE(wait_until([&] { return settled_at(2); }, std::chrono::seconds(90)))
      << cluster_->server().get("/v1/service/web").dump(2) << cluster_->logs();
  const WallClock::time_point done_at = WallClock::now();
  EXPECT_TRUE(saw_drain);
  EXPECT_EQ(consul_passing, 2u);
  EXPECT_EQ(nomad_passing, 2u);
  EXPECT_EQ(ingress_draining, 3u);

  ScenarioReport report = finish("scale down 5 to 2 (consistent hashing)", change_at, done_at);
  // Consistent hashing: exactly the sessions of the three stopped instances
  // moved; the others kept theirs.
  EXPECT_EQ(report.sessions_moved, report.sessions_on_drained);
  EXPECT_GT(report.sessions_on_drained, 0);
  EXPECT_LT(report.sessions_on_drained, report.sticky_clients);
  // While they drained, the ingress reported their live sessions to the catalog.
  // An instance with live sessions stays until the shutdown_delay (4 s) runs out.
  int stopped = 0, reported = 0;
  for (const auto& [alloc, life] : watch_->lives()) {
    if (!life.drain_start) continue;
    ++stopped;
    if (life.most_sessions_reported == 0) continue;
    ++reported;
    ASSERT_TRUE(life.gone.has_value());
    EXPECT_GE(*life.gone - *life.drain_start, std::chrono::milliseconds(3500)) << alloc;
  }
  std::printf("scenario scale down: %d of %d sticky sessions moved (%.0f%%), the sessions of the "
              "3 stopped instances of 5; draining instances with sessions reported: %d of %d\n",
              report.sessions_moved, report.sticky_clients,
              100.0 * report.sessions_moved / std::max(1, report.sticky_clients), reported, stopped);
  EXPECT_EQ(stopped, 3);
  EXPECT_GT(reported, 0);
}

}  // namespace
}  // namespace caravan::testing
