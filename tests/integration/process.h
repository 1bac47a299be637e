// Runs the real caravan binary as a child process for integration tests:
// arguments, optional standard input, working directory; captures stdout,
// stderr and the exit code. Never uses a shell, so arguments need no quoting.
#pragma once

#include <string>
#include <vector>

namespace caravan::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                          const std::string& cwd = "");

// run_process with CARAVAN_BINARY as argv[0].
ProcessResult run_caravan(const std::vector<std::string>& args, const std::string& stdin_text = "",
                          const std::string& cwd = "");

// A fresh temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  void write(const std::string& name, const std::string& content) const;
  std::string read(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace caravan::testing
