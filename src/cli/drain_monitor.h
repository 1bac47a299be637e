// Watching a node drain, as `caravan node drain` does unless -detach: the
// lines nomad's drain monitor prints (strategy set, allocations marked for
// migration, draining, their status changes, drain complete). DrainMonitor is
// the pure part (node and allocation JSON in, text out); monitor_drain is the
// polling loop around it (blocking queries on /v1/node/:id/allocations).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/api_client.h"
#include "cli/command.h"

namespace caravan::cli {

class DrainMonitor {
 public:
  explicit DrainMonitor(std::string node_id) : node_id_(std::move(node_id)) {}

  // What changed since the last look at the node (GET /v1/node/:id) and its
  // allocations (GET /v1/node/:id/allocations); `now` is the time the lines carry.
  std::string update(const nlohmann::json& node, const nlohmann::json& allocs,
                     std::string_view now);
  // The drain ended (complete or canceled) and every allocation it stopped
  // has stopped on the client.
  bool done() const { return done_; }
  // The drain was canceled rather than completed.
  bool canceled() const { return canceled_; }

 private:
  struct Seen {
    bool marked = false;
    bool draining = false;
    std::string client_status;
  };
  std::string node_id_;
  bool strategy_seen_ = false;
  bool ended_ = false;
  bool done_ = false;
  bool canceled_ = false;
  std::map<std::string, Seen> allocs_;
};

// Polls until DrainMonitor::done(), printing its lines to io.out; first the
// "Ctrl-C to stop monitoring" line. Returns the exit code (0, or 1 on an API
// error).
int monitor_drain(ApiClient& api, const std::string& node_id, CommandIo& io);

}  // namespace caravan::cli
