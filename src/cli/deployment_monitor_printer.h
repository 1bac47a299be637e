// The text of the deployment monitor that `job run` (after its evaluation) and
// `deployment status -monitor` show while a deployment rolls out: on a terminal
// one block redrawn in place (a spinner status line, the `deployment status`
// view); otherwise a timestamped line per change of the status or of a group's
// counts. Pure: looks at the deployment (the JSON of /v1/deployment/:id) in,
// text out. The polling loop around it is deployment_monitor.h.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace caravan::cli {

// The deployment no longer changes by itself: successful, failed, cancelled or
// a status this CLI does not know (better to stop than to wait forever).
// Running, paused, pending, initializing and unblocking go on.
bool deployment_terminal(const nlohmann::json& deployment);

// A failed deployment whose job is being reverted to its last stable version
// (auto_revert): its description says "rolling back to job version N".
bool deployment_rolls_back(const nlohmann::json& deployment);

// A running deployment whose healthy canaries wait for `deployment promote`.
bool deployment_awaits_promotion(const nlohmann::json& deployment);

struct DeploymentPrinterOptions {
  size_t id_length = 8;  // 36 with -verbose
  // Redraw the block in place with ANSI sequences (stdout is a terminal);
  // otherwise print plain lines only when something changed.
  bool tty = false;
  // Terminal width, to count the rows a wrapped line takes when the block is
  // erased; 0 when unknown (no line wraps).
  int columns = 0;
};

// Turns successive observations of a deployment (and of the rollback
// deployment that may follow it) into the monitor's text. `now` is the time
// the text shows (format_time of the wall clock in production). Not
// thread-safe; one per monitor.
class DeploymentMonitorPrinter {
 public:
  explicit DeploymentMonitorPrinter(DeploymentPrinterOptions options = {}) : options_(options) {}

  // `==> <now>: Monitoring deployment "<id>"`; forgets earlier observations.
  std::string start(std::string_view deployment_id, std::string_view now);
  // The same for the deployment of an automatic rollback (`rollback` is its JSON).
  std::string start_rollback(const nlohmann::json& rollback, std::string_view now);
  // One observation. Plain: a line when the status or description changed,
  // one per group whose counts changed, and once the hint to promote when
  // the deployment waits for it. TTY: erases the previous block and draws the
  // current one (spinner, status line, `deployment status` view).
  std::string update(const nlohmann::json& deployment, std::string_view now);
  // The end of a terminal deployment: "  ✓ Deployment "x" successful" or
  // "  ! Deployment "x" failed: <description>" (cancelled alike), then the
  // final `deployment status` view. Replaces the live block on a terminal.
  std::string finish(const nlohmann::json& deployment, std::string_view now);
  // The monitor stops watching a deployment that still waits for promotion
  // (the deployment itself goes on): a note with the command to promote and
  // the current view.
  std::string leave_waiting(const nlohmann::json& deployment, std::string_view now);
  // The rollback a failed deployment announced did not show up.
  std::string no_rollback(std::string_view now);

  // A new terminal width (after a resize); see DeploymentPrinterOptions.
  void set_columns(int columns) { options_.columns = columns; }

 private:
  std::string id(std::string_view full) const;
  // The `deployment status` view of the deployment headed by `now`, every line
  // prefixed with `indent`: the live block and the final block share it.
  std::string view(const nlohmann::json& deployment, std::string_view now,
                   std::string_view indent) const;
  // TTY: the sequences that erase the block drawn last (cursor up, clear line).
  std::string erase();
  // TTY: draws `block` and remembers how many rows it took.
  std::string draw(std::string block);
  std::string plain_changes(const nlohmann::json& deployment, std::string_view now);
  // "  ✓ ..." / "  ! ..." line, the view after it.
  std::string closing(std::string line, const nlohmann::json& deployment, std::string_view now);

  DeploymentPrinterOptions options_;
  // Plain mode: what the last lines said, to print only changes.
  std::string status_seen_;
  std::map<std::string, std::string> groups_seen_;
  bool promotion_hint_shown_ = false;
  // TTY mode: rows of the block on screen and the spinner's frame.
  size_t rows_drawn_ = 0;
  size_t frame_ = 0;
};

}  // namespace caravan::cli
