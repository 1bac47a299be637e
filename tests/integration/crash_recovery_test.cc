// kill -9 of an agent (server + client, real data dir) at random moments while a
// stream of job registrations comes in, three times over, then a restart on the
// same data dir: every registration the agent acknowledged is there, and every
// task was started exactly once — the client re-attached to what was running
// instead of starting it again. Each task appends a line to its own marker file
// when it starts, so a second start of any task shows.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <signal.h>
#include <string>
#include <thread>
#include <vector>

#include "agent_process.h"
#include "process.h"

namespace caravan::testing {
namespace {

namespace fs = std::filesystem;

// A long-running service task that records each start in markers/<job>.
std::string job_hcl(const std::string& markers) {
  return "job \"crash\" {\n"
         "  datacenters = [\"*\"]\n"
         "  group \"g\" {\n"
         "    restart {\n"
         "      attempts = 0\n"
         "      mode     = \"fail\"\n"
         "    }\n"
         "    task \"t\" {\n"
         "      driver = \"raw_exec\"\n"
         "      config {\n"
         "        command = \"/bin/sh\"\n"
         "        args    = [\"-c\", \"echo $$ >> " + markers + "/${NOMAD_JOB_NAME}; exec sleep 600\"]\n"
         "      }\n"
         "      resources {\n"
         "        cpu    = 10\n"
         "        memory = 16\n"
         "      }\n"
         "    }\n"
         "  }\n"
         "}\n";
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// What became of a job's allocations and their tasks, for failure messages.
std::string allocations_told(AgentProcess& agent, const std::string& job) {
  std::string out;
  for (const auto& stub : agent.get("/v1/job/" + job + "/allocations")) {
    nlohmann::json alloc = agent.get("/v1/allocation/" + stub["ID"].get<std::string>());
    out += "\n  alloc " + alloc["ID"].get<std::string>() + " " + alloc["ClientStatus"].get<std::string>();
    for (const auto& [task, state] : alloc["TaskStates"].items()) {
      for (const auto& event : state["Events"]) {
        out += "\n    " + event["Type"].get<std::string>() + ": " + event["DisplayMessage"].get<std::string>();
      }
    }
  }
  return out;
}

// Registers crash-<n>, crash-<n+1>, ... until the agent stops answering;
// records each job the agent acknowledged with a 200.
void register_stream(const std::string& address, const nlohmann::json& request, int& next,
                     std::set<std::string>& acked, std::mutex& mu) {
  Result<http::Client> client = http::Client::create(address);
  if (!client) return;
  while (true) {
    nlohmann::json body = request;
    std::string id = "crash-" + std::to_string(next);
    body["Job"]["ID"] = id;
    body["Job"]["Name"] = id;
    Result<http::Response> r = client->request("POST", "/v1/jobs", body.dump());
    if (!r || r->status != 200) return;
    std::lock_guard lock(mu);
    acked.insert(id);
    ++next;
  }
}

TEST(CrashRecovery, KillMinusNineDuringRegistrationsLosesNoAckedJobAndStartsNoTaskTwice) {
  TempDir data;
  TempDir markers;
  data.write("crash.nomad.hcl", job_hcl(markers.path()));
  ProcessResult inspected = run_caravan({"job", "inspect", data.file("crash.nomad.hcl")});
  ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
  nlohmann::json request = nlohmann::json::parse(inspected.out);
  std::vector<std::string> agent_args{"-server", "-client", "-data-dir", data.path() + "/agent"};

  std::mt19937 rng(std::random_device{}());
  std::set<std::string> acked;
  std::mutex mu;
  int next = 0;
  for (int round = 0; round < 3; ++round) {
    AgentProcess agent(agent_args);
    ASSERT_TRUE(agent.ready()) << agent.output();
    std::thread writer([&] { register_stream(agent.address(), request, next, acked, mu); });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(300, 1500)(rng)));
    agent.kill9();
    writer.join();
  }
  ASSERT_GE(acked.size(), 3u) << "the agent must have acknowledged registrations";

  AgentProcess agent(agent_args);
  ASSERT_TRUE(agent.ready()) << agent.output();
  for (const std::string& id : acked) {
    http::Response r = agent.raw("GET", "/v1/job/" + id, "");
    EXPECT_EQ(r.status, 200) << "acknowledged job " << id << " is missing";
  }
  // Every stored job (acknowledged or caught by the kill after its commit)
  // ends up with its one task running.
  nlohmann::json jobs = agent.get("/v1/jobs");
  ASSERT_GE(jobs.size(), acked.size());
  auto all_running = [&] {
    for (const auto& job : jobs) {
      nlohmann::json summary = agent.get("/v1/job/" + job["ID"].get<std::string>() + "/summary");
      if (summary["Summary"]["g"]["Running"] != 1) return false;
    }
    return true;
  };
  EXPECT_TRUE(wait_until(all_running, std::chrono::seconds(60))) << agent.output();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a duplicate start would show by now

  std::vector<int> pids;
  for (const auto& job : jobs) {
    std::string id = job["ID"];
    std::vector<std::string> starts = lines_of(markers.path() + "/" + id);
    EXPECT_EQ(starts.size(), 1u) << id << " was started " << starts.size() << " times: "
                                 << allocations_told(agent, id);
    for (const std::string& pid : starts) pids.push_back(std::stoi(pid));
  }
  for (const auto& job : jobs) {
    agent.raw("DELETE", "/v1/job/" + job["ID"].get<std::string>() + "?purge=true", "");
  }
  bool stopped = wait_until([&] {
    for (int pid : pids) {
      if (::kill(pid, 0) == 0) return false;
    }
    return true;
  });
  EXPECT_TRUE(stopped) << "the tasks must stop with their jobs";
  for (int pid : pids) ::kill(pid, SIGKILL);  // never leave a sleep behind
}

}  // namespace
}  // namespace caravan::testing
