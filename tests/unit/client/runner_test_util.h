// Helpers for the task/alloc runner and client agent tests: allocations of
// raw_exec shell tasks, a recorder of task events as a runner reports them, and
// waiting on conditions with deadlines (never fixed sleeps).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "model/allocation.h"
#include "model/node.h"
#include "model/raw_json.h"

namespace caravan::client::testing {

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// A raw_exec task running `/bin/sh -c script`, killed within 2s.
inline model::Task shell_task(const std::string& name, const std::string& script) {
  model::Task task;
  task.name = name;
  task.driver = "raw_exec";
  std::string escaped;
  for (char c : script) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  auto config =
      model::RawJson::parse(R"({"command":"/bin/sh","args":["-c",")" + escaped + R"("]})");
  EXPECT_TRUE(config.has_value());
  if (config.has_value()) task.config = *config;
  task.kill_timeout = std::chrono::seconds(2);
  task.resources.cpu = 100;
  task.resources.memory_mb = 64;
  return task;
}

inline model::RestartPolicy restart_policy(int attempts, std::chrono::milliseconds delay,
                                           std::chrono::milliseconds interval,
                                           std::string mode = "fail") {
  model::RestartPolicy p;
  p.attempts = attempts;
  p.delay = delay;
  p.interval = interval;
  p.mode = std::move(mode);
  return p;
}

// One job "job" of `type` with group "group" holding `tasks`, as allocation
// "job.group[0]" with a fresh ID.
inline model::Allocation make_alloc(std::vector<model::Task> tasks,
                                    const std::string& type = "batch",
                                    std::optional<model::RestartPolicy> restart = std::nullopt) {
  auto job = std::make_shared<model::Job>();
  job->id = "job";
  job->name = "job";
  job->type = type;
  job->region = "global";
  job->namespace_name = "default";
  job->datacenters = {"dc1"};
  model::TaskGroup group;
  group.name = "group";
  group.count = 1;
  group.restart_policy = restart;
  group.tasks = std::move(tasks);
  job->task_groups.push_back(group);
  model::Allocation alloc;
  alloc.id = generate_uuid();
  alloc.name = "job.group[0]";
  alloc.job_id = "job";
  alloc.task_group = "group";
  alloc.job = job;
  return alloc;
}

inline model::Node runner_node() {
  model::Node node;
  node.id = generate_uuid();
  node.name = "test-node";
  node.datacenter = "dc1";
  node.attributes = {{"kernel.name", "linux"}};
  return node;
}

inline std::vector<std::string> event_types(const model::TaskState& state) {
  std::vector<std::string> out;
  for (const auto& e : state.events) out.push_back(e.type);
  return out;
}

// Every event a runner reported, in order (the state's own list keeps only 10).
class EventLog {
 public:
  void record(const model::TaskState& state) {
    std::lock_guard lock(mu_);
    for (const auto& e : state.events) {
      if (e.time > last_time_ || (e.time == last_time_ && e.type != last_type_)) {
        types_.push_back(e.type);
        events_.push_back(e);
        last_time_ = e.time;
        last_type_ = e.type;
      }
    }
    last_ = state;
  }
  std::vector<std::string> types() const {
    std::lock_guard lock(mu_);
    return types_;
  }
  std::vector<model::TaskEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  int count(const std::string& type) const {
    std::lock_guard lock(mu_);
    return static_cast<int>(std::count(types_.begin(), types_.end(), type));
  }
  model::TaskState last() const {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> types_;
  std::vector<model::TaskEvent> events_;
  int64_t last_time_ = 0;
  std::string last_type_;
  model::TaskState last_;
};

}  // namespace caravan::client::testing
