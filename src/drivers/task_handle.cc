// TaskHandle's JSON form: what the task runner persists so a restarted agent can
// recover() the task.
#include <nlohmann/json.hpp>

#include "drivers/driver.h"
#include "drivers/internal/files.h"
#include "drivers/internal/state_dir.h"

namespace caravan::drivers {
namespace {

constexpr int kHandleVersion = 1;

nlohmann::json process_json(const ProcessRef& p) {
  return {{"pid", p.pid}, {"start_ticks", p.start_ticks}};
}

}  // namespace

std::string TaskHandle::to_json() const {
  nlohmann::json j = {
      {"version", kHandleVersion},
      {"driver", driver},
      {"alloc_id", alloc_id},
      {"task_name", task_name},
      {"supervisor", process_json(supervisor)},
      {"target", process_json(target)},
      {"signal_group", signal_group},
      {"state_dir", state_dir},
      {"cgroups", cgroups},
      {"started_at_unix_ms", started_at_unix_ms},
  };
  return j.dump();
}

Result<TaskHandle> TaskHandle::from_json(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return invalid_argument("task handle is not a JSON object");
  }
  // Reads one field; any missing or mistyped field is reported by name.
  std::string bad;
  auto get = [&](const nlohmann::json& object, const char* key, auto& out) {
    auto it = object.find(key);
    if (it == object.end()) {
      bad = bad.empty() ? std::string(key) : bad;
      return;
    }
    try {
      it->get_to(out);
    } catch (const nlohmann::json::exception&) {
      bad = bad.empty() ? std::string(key) : bad;
    }
  };
  int version = 0;
  get(j, "version", version);
  if (bad.empty() && version != kHandleVersion) {
    return invalid_argument("task handle version " + std::to_string(version) +
                            " is not supported (expected " + std::to_string(kHandleVersion) + ")");
  }
  TaskHandle h;
  get(j, "driver", h.driver);
  get(j, "alloc_id", h.alloc_id);
  get(j, "task_name", h.task_name);
  for (auto [key, ref] : {std::pair{"supervisor", &h.supervisor}, std::pair{"target", &h.target}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) {
      bad = bad.empty() ? std::string(key) : bad;
      continue;
    }
    get(*it, "pid", ref->pid);
    get(*it, "start_ticks", ref->start_ticks);
  }
  get(j, "signal_group", h.signal_group);
  get(j, "state_dir", h.state_dir);
  get(j, "cgroups", h.cgroups);
  get(j, "started_at_unix_ms", h.started_at_unix_ms);
  if (!bad.empty()) {
    return invalid_argument("task handle: field \"" + bad + "\" is missing or has the wrong type");
  }
  return h;
}

std::optional<std::string> read_started_handle(const std::string& task_dir) {
  return internal::read_file(internal::task_handle_path(internal::task_state_dir(task_dir)));
}

}  // namespace caravan::drivers
