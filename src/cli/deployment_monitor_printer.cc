#include "cli/deployment_monitor_printer.h"

#include <fmt/format.h>

#include <array>

#include "cli/deployment_format.h"
#include "cli/text_format.h"
#include "model/deployment.h"

namespace caravan::cli {
namespace {

constexpr std::array<std::string_view, 10> kSpinner = {"⠋", "⠙", "⠹", "⠸", "⠼",
                                                       "⠴", "⠦", "⠧", "⠇", "⠏"};
// Cursor up one row, then clear that row.
constexpr std::string_view kUpAndClear = "\x1b[1A\x1b[2K";

// Characters on screen of one line of UTF-8 text (continuation bytes do not
// count; every character here is one column wide).
size_t display_width(std::string_view line) {
  size_t width = 0;
  for (char c : line) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

// Rows a block of "\n"-terminated lines takes on a terminal `columns` wide.
size_t rows_of(std::string_view block, int columns) {
  size_t rows = 0;
  while (!block.empty()) {
    size_t end = block.find('\n');
    std::string_view line = block.substr(0, end);
    size_t width = display_width(line);
    rows += columns > 0 && width > 0 ? (width + columns - 1) / columns : 1;
    block = end == std::string_view::npos ? std::string_view() : block.substr(end + 1);
  }
  return rows;
}

std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty()) out += indent;
    out += line;
    out += '\n';
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

// One group's counts as the plain lines print them; canary groups add the
// canaries placed of those desired and whether they were promoted.
std::string group_summary(const nlohmann::json& g) {
  std::string out = fmt::format("desired {}", json_int(g, "DesiredTotal"));
  int64_t canaries = json_int(g, "DesiredCanaries");
  if (canaries > 0) {
    const nlohmann::json& placed = json_member(g, "PlacedCanaries");
    out += fmt::format(", canaries {}/{}, promoted {}", placed.is_array() ? placed.size() : 0,
                       canaries, json_bool(g, "Promoted") ? "true" : "false");
  }
  out += fmt::format(", placed {}, healthy {}, unhealthy {}", json_int(g, "PlacedAllocs"),
                     json_int(g, "HealthyAllocs"), json_int(g, "UnhealthyAllocs"));
  int64_t by = json_int(g, "RequireProgressBy");
  if (by > 0) out += ", progress deadline " + format_time(by);
  return out;
}

}  // namespace

bool deployment_terminal(const nlohmann::json& deployment) {
  std::string status = json_string(deployment, "Status");
  return status != model::kDeploymentRunning && status != model::kDeploymentPaused &&
         status != "pending" && status != "initializing" && status != "unblocking";
}

bool deployment_rolls_back(const nlohmann::json& deployment) {
  return json_string(deployment, "Status") == model::kDeploymentFailed &&
         json_string(deployment, "StatusDescription").find("rolling back to job version") !=
             std::string::npos;
}

bool deployment_awaits_promotion(const nlohmann::json& deployment) {
  return json_string(deployment, "Status") == model::kDeploymentRunning &&
         json_string(deployment, "StatusDescription") == model::kDeploymentDescNeedsPromotion;
}

std::string DeploymentMonitorPrinter::id(std::string_view full) const {
  return short_id(full, options_.id_length);
}

std::string DeploymentMonitorPrinter::start(std::string_view deployment_id, std::string_view now) {
  status_seen_.clear();
  groups_seen_.clear();
  promotion_hint_shown_ = false;
  rows_drawn_ = 0;
  return fmt::format("==> {}: Monitoring deployment \"{}\"\n", now, id(deployment_id));
}

std::string DeploymentMonitorPrinter::start_rollback(const nlohmann::json& rollback,
                                                     std::string_view now) {
  std::string out = start(json_string(rollback, "ID"), now);
  out.insert(out.size() - 1,
             fmt::format(" (the rollback, job version {})", json_int(rollback, "JobVersion")));
  return out;
}

std::string DeploymentMonitorPrinter::view(const nlohmann::json& deployment, std::string_view now,
                                           std::string_view indent) const {
  return indent_lines(
      std::string(now) + "\n" + format_deployment_status(deployment, options_.id_length > 8),
      indent);
}

std::string DeploymentMonitorPrinter::erase() {
  std::string out;
  if (rows_drawn_ > 0) out += "\r";
  for (; rows_drawn_ > 0; --rows_drawn_) out += kUpAndClear;
  return out;
}

std::string DeploymentMonitorPrinter::draw(std::string block) {
  std::string out = erase();
  rows_drawn_ = rows_of(block, options_.columns);
  return out + block;
}

std::string DeploymentMonitorPrinter::plain_changes(const nlohmann::json& deployment,
                                                    std::string_view now) {
  std::string out;
  std::string name = id(json_string(deployment, "ID"));
  std::string status = fmt::format("status \"{}\": {}", json_string(deployment, "Status"),
                                   json_string(deployment, "StatusDescription"));
  if (status != status_seen_) {
    out += fmt::format("    {}: Deployment \"{}\" {}\n", now, name, status);
    status_seen_ = std::move(status);
  }
  const nlohmann::json& groups = json_member(deployment, "TaskGroups");
  if (groups.is_object()) {
    for (const auto& [group, state] : groups.items()) {
      std::string summary = group_summary(state);
      std::string& seen = groups_seen_[group];
      if (summary == seen) continue;
      out += fmt::format("    {}: Deployment \"{}\" group \"{}\": {}\n", now, name, group, summary);
      seen = std::move(summary);
    }
  }
  if (deployment_awaits_promotion(deployment) && !promotion_hint_shown_) {
    out += fmt::format(
        "    {}: Deployment \"{}\" waits for its canaries to be promoted: run \"caravan deployment "
        "promote {}\" (leaving this monitor does not stop the deployment)\n",
        now, name, name);
    promotion_hint_shown_ = true;
  }
  return out;
}

std::string DeploymentMonitorPrinter::update(const nlohmann::json& deployment,
                                             std::string_view now) {
  if (!options_.tty) return plain_changes(deployment, now);
  std::string name = id(json_string(deployment, "ID"));
  std::string status = json_string(deployment, "Status");
  std::string line;
  if (deployment_awaits_promotion(deployment)) {
    line = fmt::format("Deployment \"{}\" waits for promotion: caravan deployment promote {}", name,
                       name);
  } else if (status == model::kDeploymentRunning) {
    line = fmt::format("Deployment \"{}\" in progress...", name);
  } else {
    line = fmt::format("Deployment \"{}\" {}", name, status);
  }
  std::string_view spinner = kSpinner[frame_++ % kSpinner.size()];
  return draw(fmt::format("  {} {}\n\n", spinner, line) + view(deployment, now, "    "));
}

std::string DeploymentMonitorPrinter::closing(std::string line, const nlohmann::json& deployment,
                                              std::string_view now) {
  if (options_.tty) return erase() + line + "\n\n" + view(deployment, now, "    ");
  return line + "\n\n" + view(deployment, now, "");
}

std::string DeploymentMonitorPrinter::finish(const nlohmann::json& deployment,
                                             std::string_view now) {
  std::string name = id(json_string(deployment, "ID"));
  std::string status = json_string(deployment, "Status");
  std::string description = json_string(deployment, "StatusDescription");
  if (status == model::kDeploymentSuccessful) {
    return closing(fmt::format("  ✓ Deployment \"{}\" successful", name), deployment, now);
  }
  return closing(fmt::format("  ! Deployment \"{}\" {}{}", name, status,
                             description.empty() ? "" : ": " + description),
                 deployment, now);
}

std::string DeploymentMonitorPrinter::leave_waiting(const nlohmann::json& deployment,
                                                    std::string_view now) {
  std::string name = id(json_string(deployment, "ID"));
  return closing(fmt::format("  ! Deployment \"{}\" still waits for promotion; stopped monitoring "
                             "(the deployment goes on: \"caravan deployment promote {}\")",
                             name, name),
                 deployment, now);
}

std::string DeploymentMonitorPrinter::no_rollback(std::string_view now) {
  return fmt::format("    {}: No deployment of the rollback appeared; see \"caravan job status\"\n",
                     now);
}

}  // namespace caravan::cli
