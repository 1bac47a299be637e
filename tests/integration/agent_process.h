// A `caravan agent` running in the background for integration tests: started
// on a free loopback port with a temporary data dir, reachable through the
// real HTTP client, stopped with SIGTERM (or killed with SIGKILL to test crash
// recovery). Its output goes to a log file printed when a test fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "background_process.h"
#include "http/client.h"

namespace caravan::testing {

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));

class AgentProcess {
 public:
  // Starts `caravan agent <args> -http-port <free port>` and waits until its API
  // answers. `data_dir` empty = -dev style throw-away state.
  explicit AgentProcess(std::vector<std::string> args);
  // The process stops (SIGTERM, then SIGKILL after 10 s) with it.
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string address() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Everything the agent printed so far.
  std::string output() const { return process_.output(); }

  // SIGTERM and wait for exit; returns the exit status (as waitpid).
  int stop() { return process_.stop(); }
  // SIGKILL and reap.
  void kill9() { process_.kill9(); }

  // JSON requests against the agent; a transport error or non-2xx fails the
  // calling test (ADD_FAILURE) and returns null.
  nlohmann::json get(const std::string& target);
  nlohmann::json post(const std::string& target, const nlohmann::json& body);
  http::Response raw(const std::string& method, const std::string& target, const std::string& body);

 private:
  int port_ = 0;
  BackgroundProcess process_;
  bool ready_ = false;
};

}  // namespace caravan::testing
