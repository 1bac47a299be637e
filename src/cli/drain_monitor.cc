#include "cli/drain_monitor.h"

#include <fmt/format.h>

#include <ostream>

#include "cli/text_format.h"

namespace caravan::cli {
namespace {

bool client_terminal(const std::string& status) {
  return status == "complete" || status == "failed" || status == "lost";
}

}  // namespace

std::string DrainMonitor::update(const nlohmann::json& node, const nlohmann::json& allocs,
                                 std::string_view now) {
  std::string out;
  const bool draining = !json_member(node, "DrainStrategy").is_null();
  if (draining && !strategy_seen_) {
    strategy_seen_ = true;
    out += fmt::format("==> {}: Node \"{}\" drain strategy set\n", now, node_id_);
  }
  bool stopping_left = false;  // stopped by the server, still running on the client
  if (allocs.is_array()) {
    for (const nlohmann::json& alloc : allocs) {
      const std::string id = json_string(alloc, "ID");
      const std::string status = json_string(alloc, "ClientStatus");
      const bool marked = json_bool(json_member(alloc, "DesiredTransition"), "Migrate");
      const bool stopping = json_string(alloc, "DesiredStatus") != "run";
      auto [it, fresh] = allocs_.try_emplace(id);
      Seen& seen = it->second;
      if (fresh) {
        // Allocations already finished when the monitor started are history.
        seen.client_status = status;
        if (client_terminal(status)) seen.marked = seen.draining = true;
      }
      if (marked && !seen.marked) {
        seen.marked = true;
        out += fmt::format("    {}: Alloc \"{}\" marked for migration\n", now, short_id(id));
      }
      if (marked && stopping && !seen.draining) {
        seen.draining = true;
        out += fmt::format("    {}: Alloc \"{}\" draining\n", now, short_id(id));
      }
      if (status != seen.client_status) {
        out += fmt::format("==> {}: Alloc \"{}\" status {} -> {}\n", now, short_id(id),
                           seen.client_status, status);
        seen.client_status = status;
      }
      if (stopping && !client_terminal(status)) stopping_left = true;
    }
  }
  if (!draining && !ended_) {
    ended_ = true;
    const std::string last = json_string(json_member(node, "LastDrain"), "Status");
    if (last == "complete") {
      out += fmt::format("==> {}: Drain complete for node {}\n", now, node_id_);
    } else {
      canceled_ = true;
      out += fmt::format("==> {}: No drain strategy set for node {}\n", now, node_id_);
    }
  }
  if (ended_ && !done_ && (!stopping_left || canceled_)) {
    done_ = true;
    if (!canceled_) {
      out += fmt::format("==> {}: All allocations on node \"{}\" have stopped\n", now, node_id_);
    }
  }
  return out;
}

int monitor_drain(ApiClient& api, const std::string& node_id, CommandIo& io) {
  DrainMonitor monitor(node_id);
  io.out << fmt::format("==> {}: Ctrl-C to stop monitoring: will not cancel the node drain\n",
                        format_time(now_unix_nanos()))
         << std::flush;
  const std::string base = "/v1/node/" + url_escape(node_id);
  int64_t index = 0;
  while (!monitor.done()) {
    Result<nlohmann::json> node = api.get(base);
    if (!node) {
      print_api_error(io, "querying node", node.error());
      return 1;
    }
    QueryMeta meta;
    // Short waits: the node (drain complete) changes without touching allocations.
    Result<nlohmann::json> allocs = api.get_blocking(
        base + "/allocations", BlockingQuery{index, std::chrono::seconds(1)}, &meta);
    if (!allocs) {
      print_api_error(io, "querying node allocations", allocs.error());
      return 1;
    }
    index = meta.index;
    io.out << monitor.update(*node, *allocs, format_time(now_unix_nanos())) << std::flush;
  }
  return 0;
}

}  // namespace caravan::cli
