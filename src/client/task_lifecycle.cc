#include "client/task_lifecycle.h"

namespace caravan::client {
namespace {

enum class Kind { kPrestart, kPrestartSidecar, kMain, kPoststart, kPoststartSidecar, kPoststop };

Kind kind_of(const model::Task& task) {
  if (!task.lifecycle) return Kind::kMain;
  const model::TaskLifecycle& l = *task.lifecycle;
  if (l.hook == "prestart") return l.sidecar ? Kind::kPrestartSidecar : Kind::kPrestart;
  if (l.hook == "poststart") return l.sidecar ? Kind::kPoststartSidecar : Kind::kPoststart;
  if (l.hook == "poststop") return Kind::kPoststop;
  return Kind::kMain;
}

bool dead(const LifecycleTask& t) { return t.state.state == model::kTaskStateDead; }
bool failed(const LifecycleTask& t) { return dead(t) && t.state.failed; }
bool running(const LifecycleTask& t) { return t.state.state == model::kTaskStateRunning; }
bool ever_started(const LifecycleTask& t) { return !t.state.started_at.empty() || dead(t); }

}  // namespace

LifecycleActions plan_lifecycle(const std::vector<LifecycleTask>& tasks, AllocMode mode) {
  LifecycleActions out;
  auto kill_all = [&](auto&& selected, const std::string& type, const std::string& reason) {
    for (const LifecycleTask& t : tasks) {
      if (!dead(t) && selected(t)) out.kill.push_back({t.task->name, type, reason});
    }
  };
  auto not_poststop = [](const LifecycleTask& t) { return kind_of(*t.task) != Kind::kPoststop; };

  if (mode == AllocMode::kDestroy) {
    kill_all([](const LifecycleTask&) { return true; }, "Killing", "alloc is being destroyed");
    return out;
  }

  // Reasons to wind the allocation down.
  std::string type, reason;
  for (const LifecycleTask& t : tasks) {
    if (failed(t) && reason.empty()) {
      type = "Sibling Task Failed";
      reason = "Task's sibling \"" + t.task->name + "\" failed";
    }
  }
  for (const LifecycleTask& t : tasks) {
    if (t.task->leader && dead(t) && reason.empty()) {
      type = "Killing";
      reason = "Leader Task \"" + t.task->name + "\" is dead";
    }
  }
  if (mode == AllocMode::kStop) {
    type = "Killing";
    reason = "alloc was stopped";
  }

  bool all_others_dead = true;
  for (const LifecycleTask& t : tasks) {
    if (not_poststop(t) && !dead(t)) all_others_dead = false;
  }
  if (!reason.empty()) {
    kill_all(not_poststop, type, reason);
  } else {
    bool prestart_done = true;
    bool has_main = false, mains_started = true, mains_dead = true;
    for (const LifecycleTask& t : tasks) {
      Kind k = kind_of(*t.task);
      if (k == Kind::kPrestart && !dead(t)) prestart_done = false;
      if (k == Kind::kPrestartSidecar && !running(t)) prestart_done = false;
      if (k == Kind::kMain) {
        has_main = true;
        if (!ever_started(t)) mains_started = false;
        if (!dead(t)) mains_dead = false;
      }
    }
    for (const LifecycleTask& t : tasks) {
      if (t.started) continue;
      Kind k = kind_of(*t.task);
      bool go = k == Kind::kPrestart || k == Kind::kPrestartSidecar ||
                (k == Kind::kMain && prestart_done) ||
                ((k == Kind::kPoststart || k == Kind::kPoststartSidecar) && has_main &&
                 mains_started && !mains_dead);
      if (go) out.start.push_back(t.task->name);
    }
    if (!has_main || mains_dead) {
      // Nothing left for sidecars to serve, nor for poststart tasks to follow.
      kill_all(
          [](const LifecycleTask& t) {
            Kind k = kind_of(*t.task);
            return k == Kind::kPrestartSidecar || k == Kind::kPoststartSidecar ||
                   (k == Kind::kPoststart && !t.started);
          },
          "Killing", "main tasks have completed");
    }
  }
  if (all_others_dead) {
    for (const LifecycleTask& t : tasks) {
      if (!t.started && kind_of(*t.task) == Kind::kPoststop) out.start.push_back(t.task->name);
    }
  }
  return out;
}

}  // namespace caravan::client
