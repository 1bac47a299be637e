// The script health check: runs a command in its own process group with the
// task's environment; the exit code decides the status (Consul's convention).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "client/health_check.h"
#include "client/internal/probe_io.h"

namespace caravan::client {

namespace {

constexpr size_t kMaxOutput = 4 * 1024;  // as Consul's check output buffer
constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
// How often a probe whose output pipe is closed (or held open by a grandchild)
// looks for the child's exit.
constexpr std::chrono::milliseconds kReapSlice{5};
constexpr std::chrono::milliseconds kMaxSlice{50};

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

class ScriptChecker final : public HealthChecker {
 public:
  explicit ScriptChecker(ScriptCheckSpec spec) : spec_(std::move(spec)) {
    for (const auto& [k, v] : spec_.env) environ_.push_back(k + "=" + v);
  }

  CheckResult probe(const ProbeContext& ctx) override {
    SteadyTime started = std::chrono::steady_clock::now();
    std::string path = resolve();
    if (path.empty()) {
      return {CheckStatus::kCritical,
              "cannot run " + spec_.command + ": not found in the task's PATH or not executable"};
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return {CheckStatus::kCritical,
              "cannot run " + spec_.command + ": pipe: " + internal::errno_text(errno)};
    }
    drivers::UniqueFd read_end(fds[0]);
    drivers::UniqueFd write_end(fds[1]);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
    if (!spec_.work_dir.empty())
      posix_spawn_file_actions_addchdir_np(&actions, spec_.work_dir.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Its own process group, so a timeout kills what the script started too;
    // default signal dispositions and an empty mask, whatever our thread blocks.
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(spec_.command.c_str()));
    for (const std::string& a : spec_.args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : environ_) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    write_end.reset();
    if (rc != 0) {
      struct stat st {};
      if (!spec_.work_dir.empty() &&
          (::stat(spec_.work_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))) {
        return {CheckStatus::kCritical, "cannot run " + spec_.command + ": the working directory " +
                                            spec_.work_dir + " does not exist"};
      }
      return {CheckStatus::kCritical,
              "cannot run " + spec_.command + ": " + internal::errno_text(rc)};
    }
    ::fcntl(read_end.get(), F_SETFL, ::fcntl(read_end.get(), F_GETFL) | O_NONBLOCK);

    std::string output;
    bool pipe_open = true;
    int wait_status = 0;
    while (true) {
      if (pipe_open) pipe_open = drain(read_end.get(), output);
      pid_t done = ::waitpid(pid, &wait_status, WNOHANG);
      if (done == pid) {
        if (pipe_open) drain(read_end.get(), output);  // what it wrote just before exiting
        break;
      }
      bool cancelled = ctx.cancelled();
      if (cancelled || std::chrono::steady_clock::now() >= ctx.deadline) {
        kill_group(pid);
        if (pipe_open) drain(read_end.get(), output);
        std::string what = cancelled ? "cancelled" : internal::timed_out_text(ctx, started);
        std::string text = what + " running " + spec_.command + "; killed it";
        if (!output.empty()) text += "\n" + output;
        return {CheckStatus::kCritical, text};
      }
      auto slice = pipe_open ? std::chrono::milliseconds(kMaxSlice) : kReapSlice;
      auto left = std::chrono::ceil<std::chrono::milliseconds>(ctx.deadline -
                                                               std::chrono::steady_clock::now());
      int timeout = static_cast<int>(std::max<long long>(0, std::min(slice.count(), left.count())));
      pollfd p[2] = {{pipe_open ? read_end.get() : -1, POLLIN, 0}, {ctx.cancel_fd, POLLIN, 0}};
      ::poll(p, 2, timeout);
    }

    CheckResult result;
    result.output = std::move(output);
    if (WIFEXITED(wait_status)) {
      int code = WEXITSTATUS(wait_status);
      result.status = code == 0   ? CheckStatus::kPassing
                      : code == 1 ? CheckStatus::kWarning
                                  : CheckStatus::kCritical;
    } else {
      result.status = CheckStatus::kCritical;
      int sig = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
      if (!result.output.empty() && result.output.back() != '\n') result.output += "\n";
      result.output += spec_.command + " was killed by signal " + std::to_string(sig);
    }
    return result;
  }

  std::string describe() const override { return "script " + spec_.command; }

 private:
  // The path to execute: as given when it holds a '/' (relative to work_dir),
  // else the first executable match in the task's PATH.
  std::string resolve() const {
    const std::string& cmd = spec_.command;
    if (cmd.find('/') != std::string::npos) {
      if (cmd[0] != '/' && !spec_.work_dir.empty()) return spec_.work_dir + "/" + cmd;
      return cmd;
    }
    auto it = spec_.env.find("PATH");
    std::string path_var = it != spec_.env.end() ? it->second : kDefaultPath;
    size_t start = 0;
    while (start <= path_var.size()) {
      size_t colon = path_var.find(':', start);
      std::string dir =
          path_var.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (dir.empty()) dir = spec_.work_dir.empty() ? "." : spec_.work_dir;
      std::string candidate = dir + "/" + cmd;
      if (is_executable_file(candidate)) return candidate;
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    return "";
  }

  // Reads what is available; keeps the first kMaxOutput bytes. Returns whether
  // the pipe is still open.
  static bool drain(int fd, std::string& output) {
    char buf[4096];
    while (true) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        size_t room = kMaxOutput - std::min(kMaxOutput, output.size());
        output.append(buf, std::min(room, static_cast<size_t>(n)));
        continue;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }

  static void kill_group(pid_t pid) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);  // in case it left its group
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  ScriptCheckSpec spec_;
  std::vector<std::string> environ_;
};

}  // namespace

Result<HealthCheckerPtr> make_script_checker(ScriptCheckSpec spec) {
  if (spec.command.empty()) {
    return invalid_argument("script check: no command; set the check's `command`");
  }
  return HealthCheckerPtr(std::make_unique<ScriptChecker>(std::move(spec)));
}

}  // namespace caravan::client
