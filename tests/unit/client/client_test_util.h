// Helpers for the client unit tests: a temporary directory removed at the end of
// the test, whole-file read/write, and a small allocation fixture.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "model/allocation.h"
#include "core/temp_file.h"
#include "model/node.h"

namespace caravan::client::testing {

class TempDir {
 public:
  TempDir() {
    Result<std::string> made = make_temp_dir("caravan-client");
    EXPECT_TRUE(made.has_value()) << made.error().message();
    if (made) path_ = std::move(made).value();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << data;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A service job "web" with group "frontend" and task "server", placed as
// allocation "web.frontend[2]" with ports http (dynamic 23456 → to 8080) and
// admin (static 9000).
inline model::Allocation test_allocation() {
  auto job = std::make_shared<model::Job>();
  job->id = "web";
  job->name = "web-name";
  job->region = "eu";
  job->type = "service";
  job->meta = {{"owner", "ops"}, {"tier", "job"}};
  model::TaskGroup group;
  group.name = "frontend";
  group.meta = {{"tier", "group"}};
  model::Task task;
  task.name = "server";
  task.driver = "raw_exec";
  task.meta = {{"tier", "task"}, {"my-key", "dash"}};
  task.resources.cpu = 500;
  task.resources.memory_mb = 256;
  task.env = {{"GREETING", "hello ${NOMAD_TASK_NAME} on ${attr.kernel.name}"},
              {"PORT_${NOMAD_PORT_http}", "key-interpolated"}};
  group.tasks.push_back(task);
  job->task_groups.push_back(group);

  model::Allocation alloc;
  alloc.id = "8a9b7c6d-1111-2222-3333-444455556666";
  alloc.name = "web.frontend[2]";
  alloc.namespace_name = "default";
  alloc.job_id = "web";
  alloc.task_group = "frontend";
  alloc.job = job;
  model::AllocatedTaskResources res;
  res.cpu_shares = 500;
  res.memory_mb = 256;
  res.memory_max_mb = 512;
  res.reserved_cores = {0, 1, 3};
  alloc.allocated_resources.tasks["server"] = res;
  alloc.allocated_resources.shared.ports = {{"http", 23456, 8080, "10.0.0.5"},
                                            {"admin", 9000, 0, "10.0.0.5"},
                                            {"my-port", 24000, 0, "10.0.0.5"}};
  return alloc;
}

inline model::Node test_node() {
  model::Node node;
  node.id = "node-uuid";
  node.name = "node-1";
  node.datacenter = "dc1";
  node.node_class = "compute";
  node.node_pool = "default";
  node.attributes = {{"kernel.name", "linux"}, {"cpu.arch", "amd64"}};
  node.meta = {{"rack", "r1"}};
  return node;
}

}  // namespace caravan::client::testing
