// Task selection and log tailing shared by the alloc commands.
#include "cli/alloc_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace caravan::cli {
namespace {

using ::testing::HasSubstr;

nlohmann::json alloc_with_tasks(std::vector<std::string> tasks) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : tasks) list.push_back({{"Name", t}});
  return {{"ID", "8ba85cef-0000"},
          {"TaskGroup", "web"},
          {"Job", {{"TaskGroups", {{{"Name", "other"}}, {{"Name", "web"}, {"Tasks", list}}}}}}};
}

TEST(SelectTask, TheOnlyTaskIsChosenWithoutAsking) {
  auto task = select_task(alloc_with_tasks({"server"}), "");
  ASSERT_TRUE(task);
  EXPECT_EQ(*task, "server");
}

TEST(SelectTask, SeveralTasksNeedAName) {
  auto task = select_task(alloc_with_tasks({"server", "sidecar"}), "");
  ASSERT_FALSE(task);
  EXPECT_EQ(task.error().message(),
            "Allocation \"8ba85cef\" is running the following tasks:\n  * server\n  * sidecar\n\n"
            "Please specify the task.");
  EXPECT_EQ(*select_task(alloc_with_tasks({"server", "sidecar"}), "sidecar"), "sidecar");
}

TEST(SelectTask, AnUnknownTaskListsTheKnownOnes) {
  auto task = select_task(alloc_with_tasks({"test"}), "foo");
  ASSERT_FALSE(task);
  EXPECT_EQ(task.error().message(), "Could not find task named: foo, found:\n* test\n");
}

TEST(SelectTask, FallsBackToTaskStates) {
  nlohmann::json alloc = {{"ID", "x"}, {"TaskStates", {{"only", {{"State", "running"}}}}}};
  EXPECT_EQ(*select_task(alloc, ""), "only");
}

TEST(LastLines, KeepsTheLastNLines) {
  size_t start = 99;
  EXPECT_EQ(last_lines("a\nb\nc\n", 2, &start), "b\nc\n");
  EXPECT_EQ(start, 2u);
  EXPECT_EQ(last_lines("a\nb\nc", 2), "b\nc");
  EXPECT_EQ(last_lines("a\nb\n", 10, &start), "a\nb\n");
  EXPECT_EQ(start, 0u);
  EXPECT_EQ(last_lines("a\nb\n", 0), "");
}

}  // namespace
}  // namespace caravan::cli
