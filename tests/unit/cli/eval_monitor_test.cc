// The lines of the evaluation monitor (`job run`, `job stop`) for sequences of evaluation states.
#include "cli/eval_monitor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kNow = "2024-05-01T12:00:00Z";
const std::string kEvalId = "0d14c3d2-aaaa-bbbb-cccc-000000000000";

model::Evaluation eval(std::string status) {
  model::Evaluation e;
  e.id = kEvalId;
  e.job_id = "example";
  e.status = std::move(status);
  e.create_index = 10;
  return e;
}

nlohmann::json alloc(const std::string& id, const std::string& client, int64_t create_index) {
  return {{"ID", id},
          {"NodeID", "171a583b-0000-0000-0000-000000000000"},
          {"TaskGroup", "cache"},
          {"DesiredStatus", "run"},
          {"ClientStatus", client},
          {"CreateIndex", create_index}};
}

TEST(EvalMonitorPrinter, PrintsNomadsLinesForASuccessfulPlacement) {
  EvalMonitorPrinter printer;
  std::string out = printer.start(kEvalId, kNow);
  out += printer.update({eval("pending"), nlohmann::json::array()}, kNow);
  out += printer.update(
      {eval("complete"), nlohmann::json::array({alloc("5f2b3e91-1111", "pending", 11)})}, kNow);
  out += printer.finish(eval("complete"), kNow);
  EXPECT_EQ(
      out,
      "==> 2024-05-01T12:00:00Z: Monitoring evaluation \"0d14c3d2\"\n"
      "    2024-05-01T12:00:00Z: Evaluation triggered by job \"example\"\n"
      "    2024-05-01T12:00:00Z: Allocation \"5f2b3e91\" created: node \"171a583b\", "
      "group \"cache\"\n"
      "    2024-05-01T12:00:00Z: Evaluation status changed: \"pending\" -> \"complete\"\n"
      "==> 2024-05-01T12:00:00Z: Evaluation \"0d14c3d2\" finished with status \"complete\"\n");
  EXPECT_FALSE(printer.failed());
}

TEST(EvalMonitorPrinter, ReportsModifiedAllocationsAndClientStatusChanges) {
  EvalMonitorPrinter printer;
  printer.start(kEvalId, kNow);
  std::string first = printer.update(
      {eval("pending"), nlohmann::json::array({alloc("aaaaaaaa-1", "running", 5)})}, kNow);
  EXPECT_THAT(first, HasSubstr("Allocation \"aaaaaaaa\" modified: node \"171a583b\""));
  nlohmann::json failed = alloc("aaaaaaaa-1", "failed", 5);
  failed["ClientDescription"] = "Failed tasks";
  std::string second = printer.update({eval("pending"), nlohmann::json::array({failed})}, kNow);
  EXPECT_EQ(second,
            "    2024-05-01T12:00:00Z: Allocation \"aaaaaaaa\" status changed: \"running\" -> "
            "\"failed\" (Failed tasks)\n");
}

TEST(EvalMonitorPrinter, ListsPlacementFailuresAndTheBlockedEvaluation) {
  EvalMonitorPrinter printer;
  printer.start(kEvalId, kNow);
  model::Evaluation done = eval("complete");
  model::AllocMetric metric;
  metric.nodes_evaluated = 1;
  metric.nodes_exhausted = 1;
  metric.dimension_exhausted["memory"] = 1;
  done.failed_tg_allocs["cache"] = metric;
  done.blocked_eval = "b10cced0-0000";
  std::string out = printer.finish(done, kNow);
  EXPECT_EQ(out,
            "==> 2024-05-01T12:00:00Z: Evaluation \"0d14c3d2\" finished with status \"complete\" "
            "but failed to place all allocations:\n"
            "    2024-05-01T12:00:00Z: Task Group \"cache\" (failed to place 1 allocation):\n"
            "      * Resources exhausted on 1 nodes\n"
            "      * Dimension \"memory\" exhausted on 1 nodes\n"
            "    2024-05-01T12:00:00Z: Evaluation \"b10cced0\" waiting for additional capacity "
            "to place remainder\n");
  EXPECT_TRUE(printer.failed());
}

TEST(EvalMonitorPrinter, VerboseShowsFullIds) {
  EvalMonitorPrinter printer(36);
  EXPECT_EQ(printer.start(kEvalId, kNow),
            "==> 2024-05-01T12:00:00Z: Monitoring evaluation \"" + kEvalId + "\"\n");
}

TEST(EvalMonitorPrinter, AFailedEvaluationFails) {
  EvalMonitorPrinter printer;
  printer.start(kEvalId, kNow);
  EXPECT_THAT(printer.finish(eval("failed"), kNow), HasSubstr("finished with status \"failed\""));
  EXPECT_TRUE(printer.failed());
}

}  // namespace
}  // namespace caravan::cli
