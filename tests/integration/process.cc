#include "process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "core/temp_file.h"

namespace caravan::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_text,
                          const std::string& cwd) {
  TempDir io;
  io.write("stdin", stdin_text);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = open(io.file("stdin").c_str(), O_RDONLY);
    int out = open(io.file("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(io.file("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = slurp(io.file("stdout"));
  result.err = slurp(io.file("stderr"));
  return result;
}

ProcessResult run_caravan(const std::vector<std::string>& args, const std::string& stdin_text,
                          const std::string& cwd) {
  std::vector<std::string> argv{CARAVAN_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, stdin_text, cwd);
}

TempDir::TempDir() {
  Result<std::string> made = make_temp_dir("caravan-test");
  if (!made) throw std::runtime_error(made.error().message());
  path_ = std::move(made).value();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string& name, const std::string& content) const {
  std::ofstream(file(name), std::ios::binary) << content;
}

std::string TempDir::read(const std::string& name) const { return slurp(file(name)); }

}  // namespace caravan::testing
