#include "drivers/internal/launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "drivers/internal/files.h"
#include "drivers/internal/proc.h"

namespace caravan::drivers::internal {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(30);

Result<UniqueFd> open_output(const std::string& path, const char* what) {
  if (path.empty()) {
    return UniqueFd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  }
  struct stat st;
  bool fifo = ::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
  // A FIFO opened write-only blocks until a reader comes; read-write never does.
  int flags = fifo ? O_RDWR : O_WRONLY | O_CREAT | O_APPEND;
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, 0644));
  if (!fd.valid()) {
    return Status(
        StatusCode::kFailedPrecondition,
        errno_message(std::string("cannot open the task's ") + what + " destination " + path) +
            ": check that its directory exists and is writable");
  }
  return fd;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

// Reads reports until every write end is closed (the task exec'd or died) or,
// with `first_only`, until one whole report has arrived.
Result<std::vector<ChildReport>> read_reports(int fd, bool first_only) {
  std::vector<ChildReport> reports;
  std::string buffer;
  auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  while (!(first_only && buffer.size() >= sizeof(ChildReport))) {
    if (!wait_readable(fd, deadline - std::chrono::steady_clock::now())) {
      return internal_error("the task did not exec within 30s of being forked");
    }
    char chunk[512];
    // Reading the first report alone leaves the next ones whole in the pipe.
    size_t want = first_only ? sizeof(ChildReport) - buffer.size() : sizeof chunk;
    ssize_t n = ::read(fd, chunk, want);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return internal_error(errno_message("reading the task's start report"));
    }
    if (n == 0) {
      break;
    }
    buffer.append(chunk, static_cast<size_t>(n));
  }
  for (size_t at = 0; at + sizeof(ChildReport) <= buffer.size(); at += sizeof(ChildReport)) {
    ChildReport report;
    std::memcpy(&report, buffer.data() + at, sizeof report);
    reports.push_back(report);
  }
  return reports;
}

Status describe_failure(const ChildReport& report, const LaunchRequest& request) {
  std::string reason = std::strerror(report.error);
  std::string step = child_step_name(report.step);
  auto index = static_cast<size_t>(report.index);
  switch (report.step) {
    case ChildStep::kExec:
      if (report.index < 0) {
        return not_found(
            "command \"" + request.argv[0] + "\" not found" +
            (request.exec_paths.size() > 1
                 ? " in PATH (tried " + std::to_string(request.exec_paths.size()) + " directories)"
                 : std::string()) +
            (request.isolate ? " inside the task's chroot" : "") +
            ": check the driver config's `command` and the task's PATH");
      }
      return Status(StatusCode::kFailedPrecondition,
                    "cannot execute " + request.exec_paths[index] + ": " + reason);
    case ChildStep::kChdir:
      return Status(StatusCode::kFailedPrecondition,
                    "cannot enter the task's working directory " + request.cwd + ": " + reason);
    case ChildStep::kMountOp: {
      const auto& m = request.mounts[index];
      return internal_error(step + ": cannot set up " + m.target +
                            (m.source.empty() ? "" : " from " + m.source) + ": " + reason);
    }
    case ChildStep::kSetgroups:
    case ChildStep::kSetgid:
    case ChildStep::kSetuid:
      return Status(StatusCode::kFailedPrecondition,
                    "cannot switch to user \"" + (request.user ? request.user->name : "") + "\" (" +
                        step + "): " + reason + "; the agent must run as root for `user`");
    default:
      return internal_error("starting the task failed at " + step + ": " + reason);
  }
}

}  // namespace

Result<Launched> launch(LaunchRequest request) {
  UniqueFd stdin_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  UniqueFd stdout_fd = CARAVAN_TRY(open_output(request.stdout_path, "stdout"));
  UniqueFd stderr_fd = CARAVAN_TRY(open_output(request.stderr_path, "stderr"));
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) {
    return internal_error(errno_message("pipe2"));
  }
  UniqueFd report_read(pipe_fds[0]);
  UniqueFd report_write(pipe_fds[1]);
  // The gate is a socket pair, not a pipe: send(MSG_NOSIGNAL) to a task that
  // already died fails with EPIPE instead of raising SIGPIPE in the agent.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pipe_fds) < 0) {
    return internal_error(errno_message("socketpair"));
  }
  UniqueFd go_read(pipe_fds[0]);
  UniqueFd go_write(pipe_fds[1]);

  // Every pointer the children follow, built before fork.
  std::vector<char*> argv = c_strings(request.argv);
  std::vector<char*> envp = c_strings(request.env);
  std::vector<const char*> exec_paths;
  for (const auto& p : request.exec_paths) {
    exec_paths.push_back(p.c_str());
  }
  std::vector<int> cgroup_fds;
  for (const auto& fd : request.cgroup_procs) {
    cgroup_fds.push_back(fd.get());
  }
  std::vector<MountOp> mounts;
  for (const auto& m : request.mounts) {
    mounts.push_back({m.kind, m.source.c_str(), m.target.c_str(), m.data.c_str()});
  }
  std::string status_tmp = request.status_path + ".tmp";

  ChildPlan plan;
  plan.stdin_fd = stdin_fd.get();
  plan.stdout_fd = stdout_fd.get();
  plan.stderr_fd = stderr_fd.get();
  plan.report_fd = report_write.get();
  plan.go_fd = go_read.get();
  plan.cgroup_fds = cgroup_fds.data();
  plan.cgroup_fd_count = static_cast<int>(cgroup_fds.size());
  plan.status_path = request.status_path.c_str();
  plan.status_tmp_path = status_tmp.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.exec_paths = exec_paths.data();
  plan.exec_path_count = static_cast<int>(exec_paths.size());
  plan.cwd = request.cwd.c_str();
  if (request.user) {
    plan.change_user = true;
    plan.uid = request.user->uid;
    plan.gid = request.user->gid;
    plan.groups = request.user->groups.data();
    plan.group_count = static_cast<int>(request.user->groups.size());
  }
  plan.isolate = request.isolate;
  plan.hostname = request.hostname.c_str();
  plan.new_root = request.new_root.c_str();
  plan.mounts = mounts.data();
  plan.mount_count = static_cast<int>(mounts.size());

  pid_t intermediate = ::fork();
  if (intermediate < 0) {
    return internal_error(errno_message("fork"));
  }
  if (intermediate == 0) {
    run_intermediate(plan);
  }
  report_write.reset();
  go_read.reset();
  int ignored = 0;
  while (::waitpid(intermediate, &ignored, 0) < 0 && errno == EINTR) {
  }

  // The supervisor reports the task's pid before the task may exec: record it
  // (before_exec), then open the gate, then learn whether the exec worked.
  auto reports = CARAVAN_TRY(read_reports(report_read.get(), /*first_only=*/true));
  std::optional<Launched> launched;
  std::optional<Status> failure;
  auto take = [&](const std::vector<ChildReport>& batch) {
    for (const auto& r : batch) {
      if (r.kind == ChildReport::Kind::kStarted) {
        launched = Launched{{static_cast<int>(r.supervisor_pid), r.supervisor_start},
                            {static_cast<int>(r.target_pid), r.target_start}};
      } else if (!failure) {
        failure = describe_failure(r, request);
      }
    }
  };
  take(reports);
  if (launched && !failure) {
    Status recorded = request.before_exec ? request.before_exec(*launched) : Status::ok();
    if (recorded.is_ok()) {
      // When this fails the task died before its gate; the reports say why.
      char go = 'g';
      (void)::send(go_write.get(), &go, 1, MSG_NOSIGNAL);
    } else {
      failure = recorded;
    }
  }
  go_write.reset();  // without the byte, the task sees EOF and exits unrun
  take(CARAVAN_TRY(read_reports(report_read.get(), /*first_only=*/false)));
  if (failure) {
    if (launched) {
      // Let the supervisor record the failed task's status before the caller cleans up.
      if (auto fd = open_pidfd(launched->supervisor); fd.has_value()) {
        wait_readable(fd->get(), std::chrono::seconds(5));
      }
    }
    return *failure;
  }
  if (!launched) {
    return internal_error("the task's supervisor exited before reporting (see the agent's log)");
  }
  return *launched;
}

}  // namespace caravan::drivers::internal
