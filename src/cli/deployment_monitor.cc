#include "cli/deployment_monitor.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/deployment_monitor_printer.h"
#include "cli/text_format.h"
#include "model/deployment.h"

namespace caravan::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kDefaultPromotionWaitNs = 10LL * 60 * 1'000'000'000;  // nomad's progress_deadline

std::string now_text() { return format_time(now_unix_nanos()); }

int terminal_columns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

// When the monitor stops waiting for the promotion of `deployment`'s canaries
// (ns since the epoch): the latest progress deadline of the groups that wait
// (it moves as canaries turn healthy), but at least their progress_deadline
// (or nomad's default) after this monitor began waiting at `since`, so that
// `deployment status -monitor` of a long-waiting deployment does not stop at once.
int64_t promotion_wait_end(const nlohmann::json& deployment, int64_t since) {
  int64_t by = 0, longest = 0;
  const nlohmann::json& groups = json_member(deployment, "TaskGroups");
  if (groups.is_object()) {
    for (const auto& [name, g] : groups.items()) {
      if (json_int(g, "DesiredCanaries") == 0 || json_bool(g, "Promoted")) continue;
      by = std::max(by, json_int(g, "RequireProgressBy"));
      longest = std::max(longest, json_int(g, "ProgressDeadline"));
    }
  }
  return std::max(by, since + (longest > 0 ? longest : kDefaultPromotionWaitNs));
}

// The deployment of the rollback that `failed` announced: the job's latest
// deployment once it is a newer version's. nullopt when none shows up within
// `wait` or the agent cannot be read.
std::optional<nlohmann::json> await_rollback(ApiClient& api, const nlohmann::json& failed,
                                             std::chrono::seconds wait) {
  std::string path = "/v1/job/" + url_escape(json_string(failed, "JobID")) + "/deployment";
  Clock::time_point end = Clock::now() + wait;
  int64_t index = 0;
  while (Clock::now() < end) {
    QueryMeta meta;
    auto left = std::chrono::ceil<std::chrono::seconds>(end - Clock::now());
    Clock::time_point asked = Clock::now();
    Result<nlohmann::json> latest = api.get_blocking(
        path, BlockingQuery{index, std::max(left, std::chrono::seconds(1))}, &meta);
    if (!latest) return std::nullopt;
    if (latest->is_object() && json_string(*latest, "ID") != json_string(failed, "ID") &&
        json_int(*latest, "JobVersion") > json_int(failed, "JobVersion")) {
      return std::move(latest).value();
    }
    if (meta.index <= index && Clock::now() - asked < std::chrono::milliseconds(500)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    index = std::max(index, meta.index);
  }
  return std::nullopt;
}

}  // namespace

bool output_is_terminal(const CommandIo& io) {
  return &io.out == &std::cout && isatty(STDOUT_FILENO) == 1;
}

std::optional<std::string> registered_deployment(ApiClient& api, const std::string& eval_id,
                                                 const std::string& job_id,
                                                 int64_t job_modify_index,
                                                 int64_t eval_create_index) {
  Result<nlohmann::json> eval = api.get("/v1/evaluation/" + url_escape(eval_id));
  if (eval) {
    std::string id = json_string(*eval, "DeploymentID");
    if (!id.empty()) return id;
  }
  Result<nlohmann::json> latest = api.get("/v1/job/" + url_escape(job_id) + "/deployment");
  if (!latest || !latest->is_object()) return std::nullopt;
  if (json_int(*latest, "JobModifyIndex") != job_modify_index ||
      json_int(*latest, "CreateIndex") < eval_create_index) {
    return std::nullopt;  // an earlier registration's deployment
  }
  return json_string(*latest, "ID");
}

int monitor_deployment(ApiClient& api, std::string deployment_id, CommandIo& io,
                       const DeploymentMonitorOptions& options) {
  DeploymentMonitorPrinter printer(DeploymentPrinterOptions{options.id_length, options.tty,
                                                            options.tty ? terminal_columns() : 0});
  io.out << printer.start(deployment_id, now_text()) << std::flush;
  bool failed = false;  // a failed deployment stays the answer even when its rollback succeeds
  int64_t index = 0;
  int64_t waiting_since = 0, promotion_wait_until = 0;  // ns; 0 = not waiting for promotion
  while (true) {
    std::chrono::seconds wait = options.tty ? std::chrono::seconds(1) : options.wait;
    if (promotion_wait_until > 0) {
      int64_t left_s = (promotion_wait_until - now_unix_nanos()) / 1'000'000'000 + 1;
      wait = std::clamp(std::chrono::seconds(left_s), std::chrono::seconds(1), wait);
    }
    QueryMeta meta;
    Clock::time_point asked = Clock::now();
    Result<nlohmann::json> d = api.get_blocking("/v1/deployment/" + url_escape(deployment_id),
                                                BlockingQuery{index, wait}, &meta);
    if (!d) {
      if (d.error().code() == StatusCode::kNotFound) {
        io.err << fmt::format("No deployment with id \"{}\" found\n", deployment_id);
      } else {
        print_api_error(io, "reading deployment", d.error());
      }
      return 1;
    }
    if (options.tty) printer.set_columns(terminal_columns());
    io.out << printer.update(*d, now_text()) << std::flush;

    if (deployment_terminal(*d)) {
      io.out << printer.finish(*d, now_text()) << std::flush;
      std::string status = json_string(*d, "Status");
      failed = failed || status != model::kDeploymentSuccessful;
      if (!deployment_rolls_back(*d)) break;
      std::optional<nlohmann::json> rollback = await_rollback(api, *d, options.rollback_wait);
      if (!rollback) {
        io.out << printer.no_rollback(now_text()) << std::flush;
        break;
      }
      io.out << printer.start_rollback(*rollback, now_text()) << std::flush;
      deployment_id = json_string(*rollback, "ID");
      index = 0;
      waiting_since = promotion_wait_until = 0;
      continue;
    }

    if (!deployment_awaits_promotion(*d)) {
      waiting_since = promotion_wait_until = 0;
    } else {
      if (waiting_since == 0) waiting_since = now_unix_nanos();
      promotion_wait_until = promotion_wait_end(*d, waiting_since);
      if (now_unix_nanos() >= promotion_wait_until) {
        io.out << printer.leave_waiting(*d, now_text()) << std::flush;
        break;
      }
    }
    // An agent that answers at once (no blocking support) must not be hammered.
    if (meta.index <= index && Clock::now() - asked < std::chrono::milliseconds(500)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    index = std::max(index, meta.index);
  }
  return failed ? 1 : 0;
}

}  // namespace caravan::cli
