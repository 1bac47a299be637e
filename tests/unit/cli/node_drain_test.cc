// `node drain` and `node eligibility`: the flags become Nomad's request body
// (or an error naming the flags to fix), usage errors come before any API
// call, and the drain monitor prints nomad's lines as the drain progresses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"
#include "cli/drain_monitor.h"
#include "cli/drain_request.h"
#include "unit/cli/command_test_util.h"

namespace caravan::cli {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int64_t kHourNs = int64_t{3600} * 1000 * 1000 * 1000;

TEST(DrainRequestBody, EnableDefaultsToAOneHourDeadline) {
  DrainFlags f;
  f.enable = true;
  f.message = "kernel upgrade";
  f.meta = {"ticket=OPS-1"};
  Result<json> body = drain_request_body(f);
  ASSERT_TRUE(body.has_value()) << body.error().message();
  EXPECT_EQ((*body)["DrainSpec"]["Deadline"], kHourNs);
  EXPECT_EQ((*body)["DrainSpec"]["IgnoreSystemJobs"], false);
  EXPECT_EQ((*body)["MarkEligible"], false);
  EXPECT_EQ((*body)["Meta"]["message"], "kernel upgrade");
  EXPECT_EQ((*body)["Meta"]["ticket"], "OPS-1");
}

TEST(DrainRequestBody, DeadlineForceNoDeadlineAndIgnoreSystem) {
  DrainFlags f;
  f.enable = true;
  f.deadline = "30m";
  f.ignore_system = true;
  EXPECT_EQ(drain_request_body(f).value()["DrainSpec"]["Deadline"], kHourNs / 2);
  EXPECT_EQ(drain_request_body(f).value()["DrainSpec"]["IgnoreSystemJobs"], true);
  f.deadline.clear();
  f.force = true;
  EXPECT_EQ(drain_request_body(f).value()["DrainSpec"]["Deadline"], -1)
      << "Nomad: negative = force";
  f.force = false;
  f.no_deadline = true;
  EXPECT_EQ(drain_request_body(f).value()["DrainSpec"]["Deadline"], 0) << "Nomad: 0 = no deadline";
}

TEST(DrainRequestBody, DisableMarksEligibleUnlessKeepIneligible) {
  DrainFlags f;
  f.disable = true;
  json body = drain_request_body(f).value();
  EXPECT_TRUE(body["DrainSpec"].is_null());
  EXPECT_EQ(body["MarkEligible"], true);
  f.keep_ineligible = true;
  EXPECT_EQ(drain_request_body(f).value()["MarkEligible"], false);
}

TEST(DrainRequestBody, ConflictingFlagsAreErrorsNamingThem) {
  auto error = [](DrainFlags f) {
    Result<json> body = drain_request_body(f);
    return body.has_value() ? std::string("accepted") : body.error().message();
  };
  EXPECT_THAT(error(DrainFlags{}), HasSubstr("-enable"));
  DrainFlags both;
  both.enable = both.disable = true;
  EXPECT_THAT(error(both), HasSubstr("-disable"));
  DrainFlags two_deadlines;
  two_deadlines.enable = two_deadlines.force = two_deadlines.no_deadline = true;
  EXPECT_THAT(error(two_deadlines), HasSubstr("-force"));
  DrainFlags bad_deadline;
  bad_deadline.enable = true;
  bad_deadline.deadline = "soon";
  EXPECT_THAT(error(bad_deadline), HasSubstr("-deadline \"soon\""));
  DrainFlags disable_force;
  disable_force.disable = disable_force.force = true;
  EXPECT_THAT(error(disable_force), HasSubstr("only go with -enable"));
  DrainFlags bad_meta;
  bad_meta.enable = true;
  bad_meta.meta = {"novalue"};
  EXPECT_THAT(error(bad_meta), HasSubstr("key=value"));
  DrainFlags monitor;
  monitor.monitor = true;
  EXPECT_EQ(error(monitor), "accepted");
}

TEST(NodeDrainCommand, UsageErrorsComeBeforeAnyApiCall) {
  // The address points nowhere: these must fail on the flags alone.
  const std::string nowhere = "-address";
  const std::string port1 = "http://127.0.0.1:1";
  Captured none = run({"node", "drain", nowhere, port1, "abc"});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("'-enable' or '-disable'"));
  Captured no_node = run({"node", "drain", nowhere, port1, "-enable"});
  EXPECT_EQ(no_node.code, 1);
  EXPECT_THAT(no_node.err, HasSubstr("<node>"));
  Captured detach_monitor = run({"node", "drain", nowhere, port1, "-monitor", "-detach", "abc"});
  EXPECT_EQ(detach_monitor.code, 1);
  Captured eligibility = run({"node", "eligibility", nowhere, port1, "abc"});
  EXPECT_EQ(eligibility.code, 1);
  EXPECT_THAT(eligibility.err, HasSubstr("'-enable' or '-disable'"));
  Captured unreachable =
      run({"node", "drain", nowhere, port1, "-enable", "--deadline", "10m", "abc"});
  EXPECT_EQ(unreachable.code, 1);
  EXPECT_THAT(unreachable.err, HasSubstr("Error connecting"));
}

json alloc(const std::string& id, const std::string& client, const std::string& desired,
           bool migrate) {
  return json{{"ID", id},
              {"ClientStatus", client},
              {"DesiredStatus", desired},
              {"DesiredTransition", {{"Migrate", migrate ? json(true) : json()}}}};
}

TEST(DrainMonitor, PrintsNomadsLinesUntilEveryAllocationStopped) {
  DrainMonitor monitor("node-1");
  json draining = {{"ID", "node-1"}, {"DrainStrategy", {{"ForceDeadline", 1}}}};
  const std::string a = "aaaaaaaa-1111";
  const std::string b = "bbbbbbbb-2222";
  std::string out = monitor.update(
      draining, json::array({alloc(a, "running", "run", false), alloc(b, "running", "run", false)}),
      "T1");
  EXPECT_EQ(out, "==> T1: Node \"node-1\" drain strategy set\n");
  out = monitor.update(
      draining, json::array({alloc(a, "running", "run", true), alloc(b, "running", "run", false)}),
      "T2");
  EXPECT_EQ(out, "    T2: Alloc \"aaaaaaaa\" marked for migration\n");
  out = monitor.update(
      draining, json::array({alloc(a, "running", "stop", true), alloc(b, "running", "run", false)}),
      "T3");
  EXPECT_EQ(out, "    T3: Alloc \"aaaaaaaa\" draining\n");
  out = monitor.update(
      draining,
      json::array({alloc(a, "complete", "stop", true), alloc(b, "running", "stop", true)}), "T4");
  EXPECT_THAT(out, HasSubstr("==> T4: Alloc \"aaaaaaaa\" status running -> complete\n"));
  EXPECT_THAT(out, HasSubstr("    T4: Alloc \"bbbbbbbb\" marked for migration\n"));
  EXPECT_THAT(out, HasSubstr("    T4: Alloc \"bbbbbbbb\" draining\n"));
  json complete = {
      {"ID", "node-1"}, {"DrainStrategy", nullptr}, {"LastDrain", {{"Status", "complete"}}}};
  out = monitor.update(
      complete,
      json::array({alloc(a, "complete", "stop", true), alloc(b, "running", "stop", true)}), "T5");
  EXPECT_EQ(out, "==> T5: Drain complete for node node-1\n");
  EXPECT_FALSE(monitor.done()) << "b still stopping on its client";
  out = monitor.update(
      complete,
      json::array({alloc(a, "complete", "stop", true), alloc(b, "complete", "stop", true)}), "T6");
  EXPECT_THAT(out, HasSubstr("status running -> complete"));
  EXPECT_THAT(out, HasSubstr("All allocations on node \"node-1\" have stopped"));
  EXPECT_TRUE(monitor.done());
}

TEST(DrainMonitor, CanceledDrainEndsTheMonitor) {
  DrainMonitor monitor("node-1");
  json canceled = {
      {"ID", "node-1"}, {"DrainStrategy", nullptr}, {"LastDrain", {{"Status", "canceled"}}}};
  EXPECT_EQ(monitor.update(canceled, json::array(), "T1"),
            "==> T1: No drain strategy set for node node-1\n");
  EXPECT_TRUE(monitor.done());
  EXPECT_TRUE(monitor.canceled());
}

}  // namespace
}  // namespace caravan::cli
