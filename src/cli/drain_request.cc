#include "cli/drain_request.h"

#include <fmt/format.h>

#include "core/duration.h"

namespace caravan::cli {

Result<nlohmann::json> drain_request_body(const DrainFlags& f) {
  if (f.monitor && (f.enable || f.disable)) {
    return invalid_argument(
        "-monitor watches a drain already set: use it without -enable/-disable");
  }
  if (f.enable == f.disable && !f.monitor) {
    return invalid_argument("Either the '-enable' or '-disable' flag must be set (or -monitor)");
  }
  const int deadline_flags =
      (f.deadline.empty() ? 0 : 1) + (f.no_deadline ? 1 : 0) + (f.force ? 1 : 0);
  if (deadline_flags > 1) {
    return invalid_argument("-deadline, -no-deadline and -force exclude each other: pick one");
  }
  if (f.disable && (deadline_flags > 0 || f.ignore_system)) {
    return invalid_argument(
        "-deadline, -no-deadline, -force and -ignore-system only go with -enable");
  }
  if (f.enable && f.keep_ineligible) {
    return invalid_argument(
        "-keep-ineligible only goes with -disable (a drain always makes the node ineligible)");
  }
  nlohmann::json meta = nlohmann::json::object();
  for (const std::string& kv : f.meta) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return invalid_argument(fmt::format("-meta \"{}\": expected key=value", kv));
    }
    meta[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  if (!f.message.empty()) meta["message"] = f.message;

  nlohmann::json body = nlohmann::json::object();
  if (f.enable) {
    int64_t deadline_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::hours(1)).count();
    if (f.force) {
      deadline_ns = -1;
    } else if (f.no_deadline) {
      deadline_ns = 0;
    } else if (!f.deadline.empty()) {
      Result<Duration> d = parse_duration(f.deadline);
      if (!d || d->count() <= 0) {
        return invalid_argument(
            fmt::format("-deadline \"{}\": expected a positive duration such as 30m or 1h (or use "
                        "-no-deadline / -force)",
                        f.deadline));
      }
      deadline_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*d).count();
    }
    body["DrainSpec"] = {{"Deadline", deadline_ns}, {"IgnoreSystemJobs", f.ignore_system}};
  } else {
    body["DrainSpec"] = nullptr;
  }
  body["MarkEligible"] = f.disable && !f.keep_ineligible;
  body["Meta"] = meta;
  return body;
}

}  // namespace caravan::cli
