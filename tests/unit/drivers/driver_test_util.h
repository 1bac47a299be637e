// Helpers for the driver tests: a throw-away alloc dir laid out as the client
// builds it (<alloc>/alloc, <alloc>/<task>/{local,secrets,tmp}), TaskSpec
// builders, and waiting on conditions with deadlines instead of fixed sleeps.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "core/temp_file.h"
#include "drivers/driver.h"
#include "model/raw_json.h"

namespace caravan::drivers::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Polls `condition` until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

class TempAlloc {
 public:
  explicit TempAlloc(std::string task = "web") : task_(std::move(task)) {
    root_ = make_temp_dir("caravan-drivers").value();
    for (const char* sub : {"/local", "/secrets", "/tmp"}) {
      std::filesystem::create_directories(task_dir() + sub);
    }
    std::filesystem::create_directories(alloc_dir());
    // Shared by tasks of different users: world-writable, as Nomad makes it.
    std::filesystem::permissions(alloc_dir(), std::filesystem::perms::all);
    std::mt19937_64 rng(std::random_device{}());
    std::ostringstream id;
    id << std::hex << rng();
    alloc_id_ = id.str();
  }
  ~TempAlloc() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempAlloc(const TempAlloc&) = delete;
  TempAlloc& operator=(const TempAlloc&) = delete;

  std::string task_dir() const { return root_ + "/" + task_; }
  std::string alloc_dir() const { return root_ + "/alloc"; }
  std::string stdout_path() const { return root_ + "/alloc/" + task_ + ".stdout"; }
  std::string stderr_path() const { return root_ + "/alloc/" + task_ + ".stderr"; }
  std::string out() const { return read_text(stdout_path()); }
  std::string err() const { return read_text(stderr_path()); }

  // A spec running `config` (JSON text of the driver's config block).
  TaskSpec spec(const std::string& config_json) const {
    TaskSpec s;
    s.alloc_id = alloc_id_;
    s.task_name = task_;
    auto config = model::RawJson::parse(config_json);
    EXPECT_TRUE(config.has_value()) << config_json;
    if (config.has_value()) {
      s.config = *config;
    }
    s.task_dir = task_dir();
    s.alloc_dir = alloc_dir();
    s.stdout_path = stdout_path();
    s.stderr_path = stderr_path();
    return s;
  }

  // A spec running /bin/sh -c `script`.
  TaskSpec shell(const std::string& script) const {
    TaskSpec s = spec(R"({"command":"/bin/sh"})");
    s.config = model::RawJson::object(
        {{"command", model::RawJson::string("/bin/sh")},
         {"args",
          model::RawJson::array({model::RawJson::string("-c"), model::RawJson::string(script)})}});
    return s;
  }

 private:
  std::string task_;
  std::string root_;
  std::string alloc_id_;
};

// Destroys the task at the end of a test, whatever happened.
class HandleGuard {
 public:
  HandleGuard(Driver& driver, TaskHandle handle) : driver_(driver), handle_(std::move(handle)) {}
  ~HandleGuard() { EXPECT_TRUE(driver_.destroy(handle_).is_ok()); }
  HandleGuard(const HandleGuard&) = delete;
  HandleGuard& operator=(const HandleGuard&) = delete;
  const TaskHandle& operator*() const { return handle_; }
  const TaskHandle* operator->() const { return &handle_; }

 private:
  Driver& driver_;
  TaskHandle handle_;
};

// Waits up to `timeout` for the task's exit; fails the test if it still runs.
inline ExitResult wait_exit(Driver& driver, const TaskHandle& handle,
                            std::chrono::seconds timeout = std::chrono::seconds(20)) {
  auto r = driver.wait_for(handle, timeout);
  EXPECT_TRUE(r.has_value()) << r.status().to_string();
  if (!r.has_value() || !r->has_value()) {
    ADD_FAILURE() << "task still running after " << timeout.count() << "s";
    return ExitResult{-1, 0, false, "timeout"};
  }
  return **r;
}

}  // namespace caravan::drivers::testing
