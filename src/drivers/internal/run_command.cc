#include "drivers/internal/run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "drivers/internal/files.h"
#include "drivers/internal/proc.h"
#include "drivers/unique_fd.h"

extern char** environ;

namespace caravan::drivers::internal {

Result<CommandOutput> run_command(const std::vector<std::string>& argv, Duration timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) {
    return internal_error(errno_message("pipe2"));
  }
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (rc == ENOENT) {
      return not_found(argv[0] + " does not exist");
    }
    return internal_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  write_end.reset();
  CommandOutput out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    if (!wait_readable(read_end.get(), deadline - std::chrono::steady_clock::now())) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    char buffer[4096];
    ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    out.output.append(buffer, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status(StatusCode::kUnavailable, argv[0] + " did not finish within " +
                                                format_duration(timeout) + " and was killed");
  }
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace caravan::drivers::internal
