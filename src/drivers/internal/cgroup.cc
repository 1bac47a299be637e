#include "drivers/internal/cgroup.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <sstream>
#include <thread>

#include "core/strings.h"
#include "drivers/internal/files.h"

namespace caravan::drivers::internal {
namespace {

struct CgroupMount {
  std::string path;
  std::string fstype;                    // "cgroup" or "cgroup2"
  std::vector<std::string> controllers;  // v1: from the super options
};

std::vector<CgroupMount> cgroup_mounts() {
  std::vector<CgroupMount> mounts;
  auto text = read_file("/proc/self/mountinfo");
  if (!text) {
    return mounts;
  }
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    // id parent dev root mountpoint options [optional...] - fstype source superoptions
    auto fields = split(line, ' ');
    auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 4) {
      continue;
    }
    CgroupMount mount{fields[4], *(dash + 1), {}};
    if (mount.fstype == "cgroup") {
      mount.controllers = split(*(dash + 3), ',');
    } else if (mount.fstype != "cgroup2") {
      continue;
    }
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

bool has_word(const std::string& text, std::string_view word) {
  std::istringstream in(text);
  std::string w;
  while (in >> w) {
    if (w == word) {
      return true;
    }
  }
  return false;
}

// "oom_kill 3" style line of memory.oom_control (v1) or memory.events (v2).
int64_t keyed_value(const std::string& text, std::string_view key) {
  std::istringstream in(text);
  std::string k;
  int64_t v = 0;
  while (in >> k >> v) {
    if (k == key) {
      return v;
    }
  }
  return 0;
}

std::vector<int> member_pids(const std::string& dir) {
  std::vector<int> pids;
  if (auto text = read_file(dir + "/cgroup.procs")) {
    std::istringstream in(*text);
    int pid = 0;
    while (in >> pid) {
      pids.push_back(pid);
    }
  }
  return pids;
}

// v2 only: a child cgroup gets controllers its parent lists in cgroup.subtree_control.
Status enable_v2_controllers(const std::string& dir) {
  auto available = read_file(dir + "/cgroup.controllers").value_or("");
  for (const char* controller : {"memory", "cpu", "pids"}) {
    if (has_word(available, controller)) {
      CARAVAN_RETURN_IF_ERROR(
          write_existing_file(dir + "/cgroup.subtree_control", std::string("+") + controller));
    }
  }
  return Status::ok();
}

Status apply_v1_limits(const CgroupSystem& system, const std::string& relative,
                       const CgroupLimits& limits) {
  std::string memory = system.memory + "/" + relative;
  if (limits.memory_bytes > 0) {
    CARAVAN_RETURN_IF_ERROR(write_existing_file(memory + "/memory.limit_in_bytes",
                                                std::to_string(limits.memory_bytes)));
    // Without swap accounting the limit could be dodged by swapping.
    if (path_exists(memory + "/memory.memsw.limit_in_bytes")) {
      CARAVAN_RETURN_IF_ERROR(write_existing_file(memory + "/memory.memsw.limit_in_bytes",
                                                  std::to_string(limits.memory_bytes)));
    }
  }
  if (limits.memory_soft_bytes > 0) {
    CARAVAN_RETURN_IF_ERROR(write_existing_file(memory + "/memory.soft_limit_in_bytes",
                                                std::to_string(limits.memory_soft_bytes)));
  }
  if (limits.cpu_shares > 0) {
    CARAVAN_RETURN_IF_ERROR(write_existing_file(system.cpu + "/" + relative + "/cpu.shares",
                                                std::to_string(std::max(2, limits.cpu_shares))));
  }
  if (limits.pids_max > 0) {
    CARAVAN_RETURN_IF_ERROR(write_existing_file(system.pids + "/" + relative + "/pids.max",
                                                std::to_string(limits.pids_max)));
  }
  return Status::ok();
}

Status apply_v2_limits(const std::string& dir, const CgroupLimits& limits) {
  if (limits.memory_bytes > 0) {
    CARAVAN_RETURN_IF_ERROR(
        write_existing_file(dir + "/memory.max", std::to_string(limits.memory_bytes)));
    if (path_exists(dir + "/memory.swap.max")) {
      CARAVAN_RETURN_IF_ERROR(write_existing_file(dir + "/memory.swap.max", "0"));
    }
  }
  if (limits.memory_soft_bytes > 0) {
    CARAVAN_RETURN_IF_ERROR(
        write_existing_file(dir + "/memory.low", std::to_string(limits.memory_soft_bytes)));
  }
  if (limits.cpu_shares > 0) {
    // The conversion runc and systemd use: shares 2..262144 → weight 1..10000.
    int64_t shares = std::clamp<int64_t>(limits.cpu_shares, 2, 262144);
    int64_t weight = 1 + ((shares - 2) * 9999) / 262142;
    CARAVAN_RETURN_IF_ERROR(write_existing_file(dir + "/cpu.weight", std::to_string(weight)));
  }
  if (limits.pids_max > 0) {
    CARAVAN_RETURN_IF_ERROR(
        write_existing_file(dir + "/pids.max", std::to_string(limits.pids_max)));
  }
  return Status::ok();
}

}  // namespace

Result<CgroupSystem> CgroupSystem::detect() {
  auto mounts = cgroup_mounts();
  std::string v2_without_controllers;
  for (const auto& m : mounts) {
    if (m.fstype != "cgroup2") {
      continue;
    }
    auto controllers = read_file(m.path + "/cgroup.controllers").value_or("");
    if (has_word(controllers, "memory") && has_word(controllers, "cpu") &&
        has_word(controllers, "pids")) {
      CgroupSystem system;
      system.version = CgroupVersion::kV2;
      system.unified = system.memory = system.cpu = system.pids = m.path;
      return system;
    }
    v2_without_controllers = m.path;
  }
  CgroupSystem system;
  system.version = CgroupVersion::kV1;
  for (const auto& m : mounts) {
    for (const auto& c : m.controllers) {
      std::string* slot = c == "memory" ? &system.memory
                          : c == "cpu"  ? &system.cpu
                          : c == "pids" ? &system.pids
                                        : nullptr;
      if (slot != nullptr && slot->empty()) {
        *slot = m.path;
      }
    }
  }
  std::vector<std::string> missing;
  for (auto [name, path] : {std::pair{"memory", &system.memory}, std::pair{"cpu", &system.cpu},
                            std::pair{"pids", &system.pids}}) {
    if (path->empty()) {
      missing.push_back(name);
    }
  }
  if (missing.empty()) {
    return system;
  }
  std::string message =
      "cgroups unavailable: no hierarchy offers the " + join(missing, ", ") + " controller(s)";
  if (!v2_without_controllers.empty()) {
    message += " (cgroup v2 at " + v2_without_controllers +
               " has none of them: they are held by cgroup v1 or not delegated)";
  }
  message +=
      "; mount cgroup v2 with its controllers at /sys/fs/cgroup, or the v1 hierarchies "
      "(e.g. `mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory`)";
  return Status(StatusCode::kFailedPrecondition, message);
}

std::string CgroupSystem::describe() const {
  return version == CgroupVersion::kV2 ? "cgroup v2 at " + unified
                                       : "cgroup v1 (memory, cpu, pids)";
}

Result<TaskCgroups> TaskCgroups::create(const CgroupSystem& system, const std::string& relative,
                                        const CgroupLimits& limits) {
  std::vector<std::string> roots;
  if (system.version == CgroupVersion::kV2) {
    roots = {system.unified};
  } else {
    roots = {system.memory, system.cpu};
    if (system.pids != system.memory && system.pids != system.cpu) {
      roots.push_back(system.pids);
    }
  }
  TaskCgroups cgroups({});
  for (const auto& root : roots) {
    if (system.version == CgroupVersion::kV2) {
      // Enable controllers on each level from the root down to the task's parent.
      std::string dir = root;
      CARAVAN_RETURN_IF_ERROR(enable_v2_controllers(dir));
      auto parts = split(relative, '/');
      for (size_t i = 0; i + 1 < parts.size(); ++i) {
        dir += "/" + parts[i];
        CARAVAN_RETURN_IF_ERROR(make_dirs(dir));
        CARAVAN_RETURN_IF_ERROR(enable_v2_controllers(dir));
      }
    }
    std::string dir = root + "/" + relative;
    if (path_exists(dir)) {
      // Left over from an earlier run of the same task that was never destroyed.
      CARAVAN_RETURN_IF_ERROR(remove_cgroups({dir}));
    }
    CARAVAN_RETURN_IF_ERROR(make_dirs(dir));
    cgroups.dirs_.push_back(dir);
  }
  if (system.version == CgroupVersion::kV2) {
    CARAVAN_RETURN_IF_ERROR(apply_v2_limits(cgroups.dirs_[0], limits));
  } else {
    CARAVAN_RETURN_IF_ERROR(apply_v1_limits(system, relative, limits));
  }
  return cgroups;
}

TaskCgroups::~TaskCgroups() {
  if (!dirs_.empty()) {
    (void)remove_cgroups(dirs_);
  }
}

Result<std::vector<UniqueFd>> TaskCgroups::open_procs_files() const {
  std::vector<UniqueFd> fds;
  for (const auto& dir : dirs_) {
    std::string path = dir + "/cgroup.procs";
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
      return internal_error(errno_message("cannot open " + path));
    }
    fds.push_back(std::move(fd));
  }
  return fds;
}

std::vector<std::string> TaskCgroups::release() { return std::exchange(dirs_, {}); }

bool cgroup_oom_killed(const std::vector<std::string>& dirs) {
  if (dirs.empty()) {
    return false;
  }
  if (auto v1 = read_file(dirs[0] + "/memory.oom_control")) {
    return keyed_value(*v1, "oom_kill") > 0;
  }
  if (auto v2 = read_file(dirs[0] + "/memory.events")) {
    return keyed_value(*v2, "oom_kill") > 0;
  }
  return false;
}

int64_t cgroup_memory_usage(const std::vector<std::string>& dirs) {
  if (dirs.empty()) {
    return 0;
  }
  auto text = read_file(dirs[0] + "/memory.usage_in_bytes");
  if (!text) {
    text = read_file(dirs[0] + "/memory.current");
  }
  return text ? std::strtoll(text->c_str(), nullptr, 10) : 0;
}

void cgroup_signal_all(const std::vector<std::string>& dirs, int sig) {
  for (const auto& dir : dirs) {
    if (sig == SIGKILL && path_exists(dir + "/cgroup.kill")) {
      (void)write_existing_file(dir + "/cgroup.kill", "1");
      continue;
    }
    for (int pid : member_pids(dir)) {
      ::kill(pid, sig);
    }
  }
}

Status remove_cgroups(const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
      if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) {
        break;
      }
      if (errno != EBUSY || std::chrono::steady_clock::now() > deadline) {
        return internal_error(
            errno_message("cannot remove cgroup " + dir) +
            " (processes still in it: " + std::to_string(member_pids(dir).size()) + ")");
      }
      cgroup_signal_all({dir}, SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Status::ok();
}

}  // namespace caravan::drivers::internal
