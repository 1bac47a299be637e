// Builders and helpers shared by the state library's tests: minimal jobs,
// nodes, evaluations and allocations, a store over a MemoryLog with a fixed
// clock, and temporary directories.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "state/memory_log.h"
#include "state/state_store.h"

namespace caravan::state::testing {

inline model::Job make_job(std::string id, std::string type = model::kJobTypeService) {
  model::Job job;
  job.id = id;
  job.name = std::move(id);
  job.namespace_name = "default";
  job.type = std::move(type);
  job.priority = 50;
  job.datacenters = {"dc1"};
  model::TaskGroup group;
  group.name = "web";
  group.count = 1;
  job.task_groups.push_back(std::move(group));
  return job;
}

inline model::Node make_node(std::string id) {
  model::Node node;
  node.id = id;
  node.name = "node-" + id;
  node.datacenter = "dc1";
  node.status = model::kNodeStatusReady;
  return node;
}

inline model::Evaluation make_eval(std::string id, std::string job_id,
                                   std::string status = model::kEvalStatusPending) {
  model::Evaluation eval;
  eval.id = std::move(id);
  eval.job_id = std::move(job_id);
  eval.type = model::kJobTypeService;
  eval.triggered_by = model::kEvalTriggerJobRegister;
  eval.status = std::move(status);
  return eval;
}

// An allocation of `job` (its stored version) on `node`.
inline model::Allocation make_alloc(std::string id, const JobPtr& job, std::string node_id,
                                    int index = 0) {
  model::Allocation alloc;
  alloc.id = std::move(id);
  alloc.namespace_name = job->namespace_name;
  alloc.job_id = job->id;
  alloc.job = job;
  alloc.task_group = "web";
  alloc.name = model::allocation_name(job->id, "web", index);
  alloc.node_id = std::move(node_id);
  alloc.eval_id = "eval-1";
  return alloc;
}

// An instance of `service` registered by allocation `alloc_id`, with one check.
inline model::ServiceRegistration make_instance(const std::string& alloc_id,
                                                const std::string& service,
                                                std::string check_status = "passing") {
  model::ServiceRegistration instance;
  instance.id = model::service_registration_id(alloc_id, "group-web", service, "http");
  instance.service_name = service;
  instance.alloc_id = alloc_id;
  instance.job_id = "web";
  instance.address = "127.0.0.1";
  instance.port = 20000;
  instance.tags = {"urlprefix-/"};
  model::ServiceCheckStatus check;
  check.id = instance.id + "-alive";
  check.name = "alive";
  check.type = "http";
  check.status = std::move(check_status);
  instance.checks.push_back(std::move(check));
  return instance;
}

inline StateStoreOptions fixed_clock_options() {
  StateStoreOptions options;
  options.clock = [] { return int64_t{1'700'000'000'000'000'000}; };
  return options;
}

inline std::unique_ptr<StateStore> open_memory_store(StateStoreOptions options = fixed_clock_options()) {
  auto store = StateStore::open(std::make_unique<MemoryLog>(), std::move(options));
  EXPECT_TRUE(store.has_value()) << store.error().to_string();
  return std::move(store).value();
}

// Applies `request` and expects it to succeed; returns its index.
inline int64_t must_apply(StateStore& store, LogRequest request) {
  Result<int64_t> index = store.apply(std::move(request));
  EXPECT_TRUE(index.has_value()) << index.error().to_string();
  return index.has_value() ? *index : -1;
}

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("caravan-state-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace caravan::state::testing
