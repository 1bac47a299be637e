// The text of the deployment monitor (`job run`, `deployment status -monitor`)
// for sequences of deployment states: plain lines only on change, the closing
// lines and final view, rollbacks, and the in-place redraw on a terminal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/deployment_monitor_printer.h"

namespace caravan::cli {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kNow = "2024-05-01T12:00:00Z";
constexpr std::string_view kLater = "2024-05-01T12:00:05Z";
const std::string kId = "5e2b7a10-aaaa-bbbb-cccc-000000000000";

nlohmann::json group(int desired, int placed, int healthy, int unhealthy = 0) {
  return {{"DesiredTotal", desired},      {"PlacedAllocs", placed}, {"HealthyAllocs", healthy},
          {"UnhealthyAllocs", unhealthy}, {"DesiredCanaries", 0},   {"Promoted", false},
          {"AutoRevert", false},          {"RequireProgressBy", 0}};
}

nlohmann::json deployment(std::string status, std::string description, nlohmann::json web,
                          std::string id = kId, int version = 1) {
  return {{"ID", std::move(id)},
          {"JobID", "web"},
          {"JobVersion", version},
          {"Status", std::move(status)},
          {"StatusDescription", std::move(description)},
          {"TaskGroups", {{"web", std::move(web)}}}};
}

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(DeploymentMonitorPrinter, PlainModePrintsALineOnlyWhenSomethingChanged) {
  DeploymentMonitorPrinter printer;
  std::string out = printer.start(kId, kNow);
  EXPECT_EQ(out, "==> 2024-05-01T12:00:00Z: Monitoring deployment \"5e2b7a10\"\n");
  out = printer.update(deployment("running", "Deployment is running", group(3, 1, 0)), kNow);
  EXPECT_EQ(out,
            "    2024-05-01T12:00:00Z: Deployment \"5e2b7a10\" status \"running\": Deployment is "
            "running\n"
            "    2024-05-01T12:00:00Z: Deployment \"5e2b7a10\" group \"web\": desired 3, placed 1, "
            "healthy 0, unhealthy 0\n");
  // The same look again: nothing to say.
  EXPECT_EQ(printer.update(deployment("running", "Deployment is running", group(3, 1, 0)), kLater),
            "");
  // One count moved: one group line, no status line.
  EXPECT_EQ(printer.update(deployment("running", "Deployment is running", group(3, 2, 1)), kLater),
            "    2024-05-01T12:00:05Z: Deployment \"5e2b7a10\" group \"web\": desired 3, placed 2, "
            "healthy 1, unhealthy 0\n");
  // The status alone moved.
  EXPECT_EQ(printer.update(deployment("paused", "Deployment is paused", group(3, 2, 1)), kLater),
            "    2024-05-01T12:00:05Z: Deployment \"5e2b7a10\" status \"paused\": Deployment is "
            "paused\n");
}

TEST(DeploymentMonitorPrinter, PlainGroupLinesShowCanariesAndTheProgressDeadline) {
  DeploymentMonitorPrinter printer;
  printer.start(kId, kNow);
  nlohmann::json web = group(3, 1, 1);
  web["DesiredCanaries"] = 1;
  web["PlacedCanaries"] = {"a1"};
  web["RequireProgressBy"] = int64_t{1714564800} * 1'000'000'000;  // some time
  std::string out = printer.update(
      deployment("running", "Deployment is running but requires manual promotion", web), kNow);
  EXPECT_THAT(out, HasSubstr("group \"web\": desired 3, canaries 1/1, promoted false, placed 1, "
                             "healthy 1, unhealthy 0, progress deadline 2024-05-01T"));
  // Waiting for a person: the command to run, once.
  EXPECT_THAT(out, HasSubstr("waits for its canaries to be promoted: run \"caravan deployment "
                             "promote 5e2b7a10\""));
  web["HealthyAllocs"] = 1;
  web["PlacedAllocs"] = 2;
  EXPECT_THAT(printer.update(
                  deployment("running", "Deployment is running but requires manual promotion", web),
                  kLater),
              Not(HasSubstr("promote 5e2b7a10")));
}

TEST(DeploymentMonitorPrinter, SuccessEndsWithTheCheckMarkAndTheFinalView) {
  DeploymentMonitorPrinter printer;
  printer.start(kId, kNow);
  nlohmann::json done =
      deployment("successful", "Deployment completed successfully", group(3, 3, 3));
  std::string out = printer.update(done, kLater);
  EXPECT_THAT(out, HasSubstr("status \"successful\": Deployment completed successfully"));
  out = printer.finish(done, kLater);
  EXPECT_EQ(out,
            "  ✓ Deployment \"5e2b7a10\" successful\n"
            "\n"
            "2024-05-01T12:00:05Z\n"
            "ID          = 5e2b7a10\n"
            "Job ID      = web\n"
            "Job Version = 1\n"
            "Status      = successful\n"
            "Description = Deployment completed successfully\n"
            "\n"
            "Deployed\n"
            "Task Group  Desired  Placed  Healthy  Unhealthy  Progress Deadline\n"
            "web         3        3       3        0          N/A\n");
}

TEST(DeploymentMonitorPrinter, FailureNamesTheRollbackAndTheRollbackIsMonitoredNext) {
  DeploymentMonitorPrinter printer;
  printer.start(kId, kNow);
  nlohmann::json failed =
      deployment("failed", "Failed due to unhealthy allocations - rolling back to job version 0",
                 group(3, 1, 0, 1));
  EXPECT_TRUE(deployment_terminal(failed));
  EXPECT_TRUE(deployment_rolls_back(failed));
  std::string out = printer.finish(failed, kNow);
  EXPECT_THAT(out, StartsWith("  ! Deployment \"5e2b7a10\" failed: Failed due to unhealthy "
                              "allocations - rolling back to job version 0\n\n"));
  EXPECT_THAT(out, HasSubstr("Status      = failed\n"));

  nlohmann::json rollback = deployment("running", "Deployment is running", group(3, 0, 0),
                                       "9c41d0e2-0000-0000-0000-000000000000", 2);
  EXPECT_EQ(printer.start_rollback(rollback, kLater),
            "==> 2024-05-01T12:00:05Z: Monitoring deployment \"9c41d0e2\" (the rollback, job "
            "version 2)\n");
  // A fresh deployment: its first look prints everything again.
  out = printer.update(rollback, kLater);
  EXPECT_THAT(out, HasSubstr("Deployment \"9c41d0e2\" status \"running\""));
  EXPECT_THAT(out, HasSubstr("Deployment \"9c41d0e2\" group \"web\": desired 3, placed 0"));
}

TEST(DeploymentMonitorPrinter, TerminalStatuses) {
  EXPECT_FALSE(deployment_terminal(deployment("running", "", group(1, 0, 0))));
  EXPECT_FALSE(deployment_terminal(deployment("paused", "", group(1, 0, 0))));
  EXPECT_TRUE(deployment_terminal(deployment("successful", "", group(1, 1, 1))));
  EXPECT_TRUE(deployment_terminal(deployment("cancelled", "", group(1, 1, 1))));
  EXPECT_FALSE(
      deployment_rolls_back(deployment("failed", "Deployment marked as failed", group(1, 1, 0))));
  EXPECT_FALSE(
      deployment_awaits_promotion(deployment("running", "Deployment is running", group(1, 1, 0))));
  DeploymentMonitorPrinter printer;
  printer.start(kId, kNow);
  EXPECT_THAT(
      printer.finish(
          deployment("cancelled", "Cancelled due to newer version of job", group(3, 1, 1)), kNow),
      StartsWith("  ! Deployment \"5e2b7a10\" cancelled: Cancelled due to newer version "
                 "of job\n"));
}

TEST(DeploymentMonitorPrinter, TerminalModeRedrawsTheBlockInPlace) {
  DeploymentMonitorPrinter printer(DeploymentPrinterOptions{8, /*tty=*/true, 0});
  printer.start(kId, kNow);
  std::string first =
      printer.update(deployment("running", "Deployment is running", group(3, 1, 0)), kNow);
  // Nothing to erase the first time.
  EXPECT_THAT(first, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(first, StartsWith("  ⠋ Deployment \"5e2b7a10\" in progress...\n\n"
                                "    2024-05-01T12:00:00Z\n    ID          = 5e2b7a10\n"));
  EXPECT_THAT(first, HasSubstr("    web         3        1       0        0          N/A\n"));
  const size_t rows = count(first, "\n");

  // Every look redraws (the spinner moves): erase each row of the block, then draw.
  std::string second =
      printer.update(deployment("running", "Deployment is running", group(3, 1, 0)), kLater);
  EXPECT_THAT(second, StartsWith("\r\x1b[1A\x1b[2K"));
  EXPECT_EQ(count(second, "\x1b[1A\x1b[2K"), rows);
  EXPECT_THAT(second, HasSubstr("  ⠙ Deployment \"5e2b7a10\" in progress...\n"));

  // The end replaces the live block with the closing line and the view.
  std::string end = printer.finish(
      deployment("successful", "Deployment completed successfully", group(3, 3, 3)), kLater);
  EXPECT_EQ(count(end, "\x1b[1A\x1b[2K"), rows);
  EXPECT_THAT(end,
              HasSubstr("  ✓ Deployment \"5e2b7a10\" successful\n\n    2024-05-01T12:00:05Z\n"));
  EXPECT_THAT(end, EndsWith("    web         3        3       3        0          N/A\n"));
}

TEST(DeploymentMonitorPrinter, TerminalModeCountsWrappedRowsWhenErasing) {
  DeploymentMonitorPrinter printer(DeploymentPrinterOptions{8, /*tty=*/true, 20});
  printer.start(kId, kNow);
  nlohmann::json d = deployment("running", "Deployment is running", group(3, 1, 0));
  std::string first = printer.update(d, kNow);
  std::string second = printer.update(d, kNow);
  // Lines longer than 20 columns take several rows, all of which are erased.
  EXPECT_GT(count(second, "\x1b[1A\x1b[2K"), count(first, "\n"));
}

TEST(DeploymentMonitorPrinter, TerminalModeNamesTheCommandWhileCanariesWaitForPromotion) {
  DeploymentMonitorPrinter printer(DeploymentPrinterOptions{8, /*tty=*/true, 0});
  printer.start(kId, kNow);
  nlohmann::json web = group(3, 1, 1);
  web["DesiredCanaries"] = 1;
  std::string out = printer.update(
      deployment("running", "Deployment is running but requires manual promotion", web), kNow);
  EXPECT_THAT(out, HasSubstr("Deployment \"5e2b7a10\" waits for promotion: caravan deployment "
                             "promote 5e2b7a10\n"));
  EXPECT_THAT(out, HasSubstr("Canaries"));
  std::string left = printer.leave_waiting(
      deployment("running", "Deployment is running but requires manual promotion", web), kLater);
  EXPECT_THAT(left, HasSubstr("  ! Deployment \"5e2b7a10\" still waits for promotion; stopped "
                              "monitoring"));
}

}  // namespace
}  // namespace caravan::cli
