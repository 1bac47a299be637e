// What a task's job file asks of the client, through a real `caravan agent
// -dev` and real processes: the restart policy (attempts, delay, mode "fail"),
// kill_timeout (a task that ignores SIGTERM is SIGKILLed once it runs out) and
// the exec driver's memory limit (a task over it is OOM-killed, and the task
// events and `alloc status` say so); and `system gc` collecting a finished job.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// A one-task batch job that is never rescheduled: the client's restart policy
// alone decides what happens to the task.
std::string one_task_job(const std::string& name, const std::string& driver,
                         const std::string& command, const std::vector<std::string>& args,
                         const std::string& group_extra, const std::string& task_extra) {
  std::string arg_list;
  for (const std::string& a : args) arg_list += (arg_list.empty() ? "" : ", ") + ("\"" + a + "\"");
  return "job \"" + name + "\" {\n"
         "  type        = \"batch\"\n"
         "  datacenters = [\"*\"]\n"
         "  group \"g\" {\n"
         "    reschedule {\n"
         "      attempts  = 0\n"
         "      unlimited = false\n"
         "    }\n" + group_extra +
         "    task \"t\" {\n"
         "      driver = \"" + driver + "\"\n"
         "      config {\n"
         "        command = \"" + command + "\"\n"
         "        args    = [" + arg_list + "]\n"
         "      }\n" + task_extra +
         "      resources {\n"
         "        cpu    = 50\n"
         "        memory = 32\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

class AgentTasks : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(agent_.ready()) << agent_.output();
    ASSERT_TRUE(wait_until([&] { return agent_.get("/v1/nodes").size() == 1; }));
  }

  void run_job(const std::string& name, const std::string& hcl) {
    dir_.write(name + ".nomad.hcl", hcl);
    ProcessResult run =
        run_caravan({"job", "run", "-detach", "-address", agent_.address(), dir_.file(name + ".nomad.hcl")});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  }

  // The job's one allocation, once it exists.
  nlohmann::json alloc_of(const std::string& job) {
    nlohmann::json allocs;
    EXPECT_TRUE(wait_until([&] {
      allocs = agent_.get("/v1/job/" + job + "/allocations");
      return allocs.is_array() && allocs.size() == 1;
    }));
    return allocs.empty() ? nlohmann::json() : agent_.get("/v1/allocation/" + allocs[0]["ID"].get<std::string>());
  }

  // Waits until the job's allocation reaches `status`; returns it.
  nlohmann::json wait_alloc_status(const std::string& job, const std::string& status,
                                   std::chrono::seconds timeout) {
    nlohmann::json alloc;
    bool reached = wait_until(
        [&] {
          alloc = alloc_of(job);
          return alloc.is_object() && alloc["ClientStatus"] == status;
        },
        timeout);
    EXPECT_TRUE(reached) << "allocation of " << job << " never became " << status << ": "
                         << alloc.dump(2);
    return alloc;
  }

  static std::vector<std::string> event_types(const nlohmann::json& task_state) {
    std::vector<std::string> types;
    for (const auto& event : task_state["Events"]) types.push_back(event["Type"]);
    return types;
  }

  AgentProcess agent_{{"-dev"}};
  TempDir dir_;
};

TEST_F(AgentTasks, RestartPolicyRestartsThenFailsTheAllocation) {
  std::string marker = dir_.file("starts");
  run_job("flaky", one_task_job("flaky", "raw_exec", "/bin/sh",
                                {"-c", "echo start >> " + marker + "; exit 3"},
                                "    restart {\n"
                                "      attempts = 2\n"
                                "      interval = \"5m\"\n"
                                "      delay    = \"1s\"\n"
                                "      mode     = \"fail\"\n"
                                "    }\n",
                                ""));
  Clock::time_point start = Clock::now();
  nlohmann::json alloc = wait_alloc_status("flaky", "failed", std::chrono::seconds(30));
  auto took = Clock::now() - start;
  const nlohmann::json& task = alloc["TaskStates"]["t"];
  EXPECT_EQ(task["Restarts"], 2);
  EXPECT_EQ(task["State"], "dead");
  EXPECT_EQ(task["Failed"], true);
  std::vector<std::string> types = event_types(task);
  EXPECT_EQ(std::count(types.begin(), types.end(), "Restarting"), 2) << task.dump(2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "Started"), 3);
  EXPECT_EQ(types.back(), "Not Restarting");
  EXPECT_EQ(dir_.read("starts"), "start\nstart\nstart\n");
  EXPECT_GE(took, std::chrono::seconds(2)) << "two restarts, each after a 1s delay";
}

TEST_F(AgentTasks, TaskIgnoringSigtermIsKilledAfterKillTimeout) {
  std::string pid_file = dir_.file("pid");
  run_job("stubborn",
          one_task_job("stubborn", "raw_exec", "/bin/sh",
                       {"-c", "trap '' TERM; echo $$ > " + pid_file + "; while :; do sleep 0.1; done"}, "",
                       "      kill_timeout = \"2s\"\n"));
  wait_alloc_status("stubborn", "running", std::chrono::seconds(20));
  ASSERT_TRUE(wait_until([&] { return !dir_.read("pid").empty(); }));
  int pid = std::stoi(dir_.read("pid"));

  Clock::time_point start = Clock::now();
  ProcessResult stop = run_caravan({"job", "stop", "-detach", "-address", agent_.address(), "stubborn"});
  ASSERT_EQ(stop.exit_code, 0) << stop.out << stop.err;
  ASSERT_TRUE(wait_until([&] { return ::kill(pid, 0) != 0; }, std::chrono::seconds(15)))
      << "the task outlived kill_timeout";
  auto took = Clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(1900)) << "SIGTERM is ignored: only SIGKILL ends it";
  EXPECT_LT(took, std::chrono::seconds(8)) << "SIGKILL must follow kill_timeout";

  nlohmann::json alloc = wait_alloc_status("stubborn", "complete", std::chrono::seconds(15));
  const nlohmann::json& task = alloc["TaskStates"]["t"];
  EXPECT_EQ(task["State"], "dead");
  bool sigkilled = false;
  for (const auto& event : task["Events"]) {
    if (event["Type"] == "Terminated" && event["Signal"] == SIGKILL) sigkilled = true;
  }
  EXPECT_TRUE(sigkilled) << task.dump(2);
}

TEST_F(AgentTasks, ExecTaskOverItsMemoryIsOomKilledAndReportedSo) {
  run_job("hungry", one_task_job("hungry", "exec", "/bin/dd",
                                 {"if=/dev/zero", "of=/dev/null", "bs=200M", "count=1"},
                                 "    restart {\n"
                                 "      attempts = 0\n"
                                 "      mode     = \"fail\"\n"
                                 "    }\n",
                                 ""));
  nlohmann::json alloc = wait_alloc_status("hungry", "failed", std::chrono::seconds(30));
  const nlohmann::json& task = alloc["TaskStates"]["t"];
  bool oom = false;
  for (const auto& event : task["Events"]) {
    if (event["Type"] == "Terminated" && event["Details"].value("oom_killed", "") == "true") {
      oom = true;
      EXPECT_THAT(event["DisplayMessage"].get<std::string>(), HasSubstr("OOM Killed"));
    }
  }
  EXPECT_TRUE(oom) << task.dump(2);
  ProcessResult status =
      run_caravan({"alloc", "status", "-address", agent_.address(), alloc["ID"].get<std::string>()});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("OOM Killed"));
}

TEST_F(AgentTasks, SystemGcPurgesAFinishedBatchJobAndKeepsARunningOne) {
  run_job("done", one_task_job("done", "raw_exec", "/bin/true", {}, "", ""));
  run_job("busy", one_task_job("busy", "raw_exec", "/bin/sleep", {"600"}, "", ""));
  wait_alloc_status("done", "complete", std::chrono::seconds(20));
  wait_alloc_status("busy", "running", std::chrono::seconds(20));
  ASSERT_TRUE(wait_until([&] { return agent_.get("/v1/job/done")["Status"] == "dead"; }));

  ProcessResult gc = run_caravan({"system", "gc", "-address", agent_.address()});
  ASSERT_EQ(gc.exit_code, 0) << gc.out << gc.err;
  EXPECT_EQ(agent_.raw("GET", "/v1/job/done", "").status, 404) << "the finished batch job is collected";
  EXPECT_TRUE(agent_.get("/v1/job/done/allocations").empty());
  EXPECT_EQ(agent_.get("/v1/job/busy")["Status"], "running");
  EXPECT_EQ(agent_.get("/v1/job/busy/allocations").size(), 1u) << "a running job keeps its allocation";
  run_caravan({"job", "stop", "-address", agent_.address(), "busy"});
}

}  // namespace
}  // namespace caravan::testing
