#include "background_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace caravan::testing {

BackgroundProcess::BackgroundProcess(std::string name, std::vector<std::string> argv)
    : name_(std::move(name)) {
  char log_template[] = "/tmp/caravan-test-log-XXXXXX";
  int log_fd = ::mkstemp(log_template);
  log_path_ = log_template;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0) {
    int status = stop();
    if (::testing::Test::HasFailure()) {
      std::cerr << "---- " << name_ << " output (exit status " << status << ") ----\n"
                << output() << "\n";
    }
  }
  ::unlink(log_path_.c_str());
}

std::string BackgroundProcess::output() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int BackgroundProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << name_ << " did not stop within " << grace.count() << " ms of SIGTERM";
  kill9();
  return -1;
}

void BackgroundProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace caravan::testing
