#include "drivers/internal/child.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/driver.h"
#include "drivers/internal/proc.h"

namespace caravan::drivers::internal {
namespace {

// Everything below runs between fork and exec: system calls only (see child.h).

int g_report_fd = -1;
volatile pid_t g_task_pid = 0;  // read by the init's signal forwarder

void send_report(const ChildReport& report) {
  const char* p = reinterpret_cast<const char*>(&report);
  size_t left = sizeof report;
  while (left > 0) {
    ssize_t n = ::write(g_report_fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

[[noreturn]] void fail(ChildStep step, int index = -1) {
  ChildReport report;
  report.kind = ChildReport::Kind::kError;
  report.step = step;
  report.index = index;
  report.error = errno;
  send_report(report);
  ::_exit(127);
}

void set_all_signals(void (*handler)(int)) {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = SA_RESTART;
  sigfillset(&action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP && (handler == SIG_DFL || sig != SIGCHLD)) {
      ::sigaction(sig, &action, nullptr);  // fails harmlessly for glibc's reserved signals
    }
  }
}

void block_all_signals(bool block) {
  sigset_t set;
  sigfillset(&set);
  ::sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

void close_from(int first) {
  if (::syscall(SYS_close_range, first, ~0U, 0) == 0) {
    return;
  }
  for (int fd = first; fd < 65536; ++fd) {
    ::close(fd);
  }
}

// Moves the plan's descriptors to 0, 1, 2, kReportFd, kGoFd and kFirstCgroupFd.. and
// closes everything else the agent had open (listening sockets, databases, ...).
void move_fds(const ChildPlan& plan) {
  constexpr int kMax = 16;
  int sources[kMax] = {plan.stdin_fd, plan.stdout_fd, plan.stderr_fd, plan.report_fd, plan.go_fd};
  int count = kGoFd + 1;
  for (int i = 0; i < plan.cgroup_fd_count && count < kMax; ++i) {
    sources[count++] = plan.cgroup_fds[i];
  }
  // First above every target, so no dup2 below clobbers a source still needed.
  int high[kMax];
  for (int i = 0; i < count; ++i) {
    high[i] = ::fcntl(sources[i], F_DUPFD_CLOEXEC, 64);
    if (high[i] < 0) {
      fail(ChildStep::kMoveFds);
    }
  }
  for (int i = 0; i < count; ++i) {
    ::dup2(high[i], i);
    if (i >= kReportFd) {
      ::fcntl(i, F_SETFD, FD_CLOEXEC);
    }
  }
  g_report_fd = kReportFd;
  close_from(count);
}

void join_cgroups(const ChildPlan& plan) {
  for (int i = 0; i < plan.cgroup_fd_count; ++i) {
    int fd = kFirstCgroupFd + i;
    if (::write(fd, "0", 1) != 1) {
      fail(ChildStep::kJoinCgroup, i);
    }
    ::close(fd);
  }
}

// The task itself: own session (so stop can signal its whole process group),
// working dir, user, then exec.
[[noreturn]] void run_task(const ChildPlan& plan) {
  set_all_signals(SIG_DFL);
  block_all_signals(false);
  if (::setsid() < 0) {
    fail(ChildStep::kSetsid);
  }
  if (::chdir(plan.cwd) < 0) {
    fail(ChildStep::kChdir);
  }
  if (plan.change_user) {
    if (::setgroups(static_cast<size_t>(plan.group_count), plan.groups) < 0) {
      fail(ChildStep::kSetgroups);
    }
    if (::setgid(plan.gid) < 0) {
      fail(ChildStep::kSetgid);
    }
    if (::setuid(plan.uid) < 0) {
      fail(ChildStep::kSetuid);
    }
  }
  char go = 0;
  ssize_t n = 0;
  do {
    n = ::read(kGoFd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) {
    ::_exit(kExitNeverStarted);  // the agent died before recording the task
  }
  ::close(kGoFd);
  int error = ENOENT;
  int index = -1;
  for (int i = 0; i < plan.exec_path_count; ++i) {
    ::execve(plan.exec_paths[i], plan.argv, plan.envp);
    if (errno != ENOENT && errno != ENOTDIR && index < 0) {
      error = errno;  // like execvp: a candidate that exists but fails is the story
      index = i;
    }
  }
  errno = error;
  fail(ChildStep::kExec, index);
}

bool run_mount_op(const MountOp& op) {
  switch (op.kind) {
    case MountOp::Kind::kMkdir:
      return ::mkdir(op.target, 0755) == 0 || errno == EEXIST;
    case MountOp::Kind::kTouch: {
      int fd = ::open(op.target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      return fd >= 0 && ::close(fd) == 0;
    }
    case MountOp::Kind::kSymlink:
      return ::symlink(op.source, op.target) == 0;
    case MountOp::Kind::kBind:
      return ::mount(op.source, op.target, nullptr, MS_BIND | MS_REC, nullptr) == 0;
    case MountOp::Kind::kBindReadOnly:
      return ::mount(op.source, op.target, nullptr, MS_BIND | MS_REC, nullptr) == 0 &&
             ::mount(nullptr, op.target, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC,
                     nullptr) == 0;
    case MountOp::Kind::kTmpfs:
      return ::mount("tmpfs", op.target, "tmpfs", MS_NOSUID | MS_NODEV, op.data) == 0;
    case MountOp::Kind::kProc:
      return ::mount("proc", op.target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0;
  }
  return false;
}

void forward_signal(int sig) {
  int saved = errno;
  pid_t task = g_task_pid;
  if (task > 0 && ::kill(-task, sig) < 0) {
    ::kill(task, sig);  // not yet a group leader
  }
  errno = saved;
}

// Pid 1 of the task's pid namespace: builds the chroot in a private mount
// namespace, forks the task, forwards signals to it (pid 1 gets no signal it has
// no handler for), reaps orphans, and passes the task's wait status to the supervisor.
[[noreturn]] void run_init(const ChildPlan& plan, int status_fd) {
  block_all_signals(true);
  set_all_signals(SIG_DFL);
  join_cgroups(plan);
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) < 0) {
    fail(ChildStep::kUnshare);
  }
  if (::sethostname(plan.hostname, std::strlen(plan.hostname)) < 0) {
    fail(ChildStep::kSethostname);
  }
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
    fail(ChildStep::kMountPrivate);
  }
  if (::mount("tmpfs", plan.new_root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=4m") < 0) {
    fail(ChildStep::kMountRoot);
  }
  for (int i = 0; i < plan.mount_count; ++i) {
    if (!run_mount_op(plan.mounts[i])) {
      fail(ChildStep::kMountOp, i);
    }
  }
  if (::chdir(plan.new_root) < 0 || ::syscall(SYS_pivot_root, ".", ".") < 0 ||
      ::umount2(".", MNT_DETACH) < 0 || ::chdir("/") < 0) {
    fail(ChildStep::kPivotRoot);
  }
  set_all_signals(forward_signal);
  pid_t task = ::fork();
  if (task < 0) {
    fail(ChildStep::kFork);
  }
  if (task == 0) {
    run_task(plan);
  }
  g_task_pid = task;
  ::close(kReportFd);
  ::close(kGoFd);
  ::close(0);
  ::close(1);
  ::close(2);
  block_all_signals(false);
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid == task) {
      (void)::write(status_fd, &status, sizeof status);
      ::_exit(0);
    }
    if (pid < 0 && errno == ECHILD) {
      ::_exit(0);
    }
  }
}

void write_status_file(const ChildPlan& plan, int status) {
  char text[16];
  int n = 0;
  char digits[16];
  int d = 0;
  unsigned value = static_cast<unsigned>(status);
  do {
    digits[d++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  while (d > 0) {
    text[n++] = digits[--d];
  }
  text[n++] = '\n';
  int fd = ::open(plan.status_tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return;
  }
  bool ok = ::write(fd, text, static_cast<size_t>(n)) == n && ::fsync(fd) == 0;
  ::close(fd);
  if (ok) {
    ::rename(plan.status_tmp_path, plan.status_path);
  }
}

// Forks the task (or the namespace init), reports both pids, waits, records the status.
[[noreturn]] void run_supervisor(const ChildPlan& plan) {
  ::prctl(PR_SET_NAME, "caravan-sup", 0, 0, 0);
  set_all_signals(SIG_DFL);
  for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP,
                  SIGTTIN, SIGTTOU}) {
    ::signal(sig, SIG_IGN);  // a stray signal must not lose the exit status
  }
  block_all_signals(false);
  int status_pipe[2] = {-1, -1};
  if (plan.isolate) {
    if (::unshare(CLONE_NEWPID) < 0) {
      fail(ChildStep::kUnshare);
    }
    if (::pipe2(status_pipe, O_CLOEXEC) < 0) {
      fail(ChildStep::kStatusPipe);
    }
  }
  ProcStat self;
  read_proc_stat(0, &self);
  pid_t child = ::fork();
  if (child < 0) {
    fail(ChildStep::kFork);
  }
  if (child == 0) {
    if (plan.isolate) {
      ::close(status_pipe[0]);
      run_init(plan, status_pipe[1]);
    }
    set_all_signals(SIG_DFL);
    join_cgroups(plan);
    run_task(plan);
  }
  ProcStat stat;
  read_proc_stat(child, &stat);  // a zombie until we reap it, so this cannot miss
  ChildReport started;
  started.supervisor_pid = ::getpid();
  started.supervisor_start = self.start_ticks;
  started.target_pid = child;
  started.target_start = stat.start_ticks;
  send_report(started);
  ::close(kReportFd);
  ::close(kGoFd);
  for (int i = 0; i < plan.cgroup_fd_count; ++i) {
    ::close(kFirstCgroupFd + i);
  }
  if (plan.isolate) {
    ::close(status_pipe[1]);
  }
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd <= 2; ++fd) {
    ::dup2(null_fd, fd);  // log readers see EOF when the task ends, not the supervisor
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  int forwarded = 0;
  if (plan.isolate && ::read(status_pipe[0], &forwarded, sizeof forwarded) == sizeof forwarded) {
    status = forwarded;  // the task's own status; otherwise the init's (e.g. SIGKILLed)
  }
  write_status_file(plan, status);
  ::_exit(0);
}

}  // namespace

const char* child_step_name(ChildStep step) {
  switch (step) {
    case ChildStep::kSetsid:
      return "setsid";
    case ChildStep::kFork:
      return "fork";
    case ChildStep::kUnshare:
      return "unshare (namespaces)";
    case ChildStep::kJoinCgroup:
      return "joining the cgroup";
    case ChildStep::kSethostname:
      return "sethostname";
    case ChildStep::kMountPrivate:
      return "making mounts private";
    case ChildStep::kMountRoot:
      return "mounting the chroot's tmpfs";
    case ChildStep::kMountOp:
      return "building the chroot";
    case ChildStep::kPivotRoot:
      return "pivot_root";
    case ChildStep::kChdir:
      return "chdir";
    case ChildStep::kSetgroups:
      return "setgroups";
    case ChildStep::kSetgid:
      return "setgid";
    case ChildStep::kSetuid:
      return "setuid";
    case ChildStep::kExec:
      return "exec";
    case ChildStep::kStatusPipe:
      return "pipe";
    case ChildStep::kMoveFds:
      return "moving file descriptors";
  }
  return "?";
}

void run_intermediate(const ChildPlan& plan) {
  g_report_fd = plan.report_fd;
  if (::setsid() < 0) {
    fail(ChildStep::kSetsid);
  }
  move_fds(plan);
  pid_t supervisor = ::fork();
  if (supervisor < 0) {
    fail(ChildStep::kFork);
  }
  if (supervisor > 0) {
    ::_exit(0);  // the supervisor is reparented to init: the agent never waits for it
  }
  run_supervisor(plan);
}

}  // namespace caravan::drivers::internal
