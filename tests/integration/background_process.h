// A program running in the background for integration tests (an agent,
// Prometheus, an ingress, a backend): started with fork/exec, its stdout and
// stderr going to a log file that a failing test prints, stopped with SIGTERM
// (SIGKILL after a grace period) when the test ends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace caravan::testing {

class BackgroundProcess {
 public:
  // Starts argv[0] (a path) with `argv`. `name` labels its output in failures.
  BackgroundProcess(std::string name, std::vector<std::string> argv);
  // stop(); prints the output when the test has failed.
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Everything it printed so far.
  std::string output() const;
  // SIGTERM and wait up to `grace` (then SIGKILL); returns the waitpid status,
  // -1 when it had already been reaped.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // SIGKILL and reap.
  void kill9();

 private:
  std::string name_;
  pid_t pid_ = -1;
  std::string log_path_;
};

}  // namespace caravan::testing
