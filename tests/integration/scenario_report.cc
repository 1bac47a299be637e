#include "scenario_report.h"

#include <fmt/format.h>

namespace caravan::testing {
namespace {

std::optional<WallClock::time_point> drain_start_of(const std::map<std::string, InstanceLife>& lives,
                                                    const std::string& instance) {
  auto it = lives.find(instance);
  return it == lives.end() ? std::nullopt : it->second.drain_start;
}

}  // namespace

std::string ScenarioReport::line() const {
  return fmt::format(
      "scenario {}: {} clients ({} sticky), {:.0f} requests/s, requests sent={} failed={}, sticky sessions on "
      "drained instances={} moved={} ({:.0f}% of sticky sessions; moves={}, before their "
      "instance drained={}), session-less requests to draining instances={}, total time {:.1f} s",
      name, clients, sticky_clients, requests_per_second, sent, failed, sessions_on_drained, sessions_moved,
      sticky_clients == 0 ? 0.0 : 100.0 * sessions_moved / sticky_clients, moves,
      moves_before_drain, sessionless_on_draining, seconds);
}

ScenarioReport analyse(std::string name, const std::vector<ClientRecord>& records,
                       const std::map<std::string, InstanceLife>& lives,
                       WallClock::time_point change_at, WallClock::time_point done_at) {
  ScenarioReport report;
  report.name = std::move(name);
  report.clients = static_cast<int>(records.size());
  report.seconds = std::chrono::duration<double>(done_at - change_at).count();
  std::optional<WallClock::time_point> first, last;
  size_t answers = 0;
  for (const ClientRecord& c : records) {
    if (c.answers.empty()) continue;
    answers += c.answers.size();
    if (!first || c.answers.front().at < *first) first = c.answers.front().at;
    if (!last || c.answers.back().at > *last) last = c.answers.back().at;
  }
  if (first && last > first) {
    report.requests_per_second = static_cast<double>(answers) / std::chrono::duration<double>(*last - *first).count();
  }
  for (const ClientRecord& c : records) {
    report.sent += c.sent;
    report.failed += static_cast<int>(c.failures.size());
    for (const std::string& f : c.failures) report.failures.push_back(fmt::format("client {}: {}", c.n, f));
    if (!c.sticky) {
      for (const ClientRecord::Answer& a : c.answers) {
        std::optional<WallClock::time_point> drained = drain_start_of(lives, a.instance);
        if (drained && a.at > *drained + std::chrono::seconds(1)) ++report.sessionless_on_draining;
      }
      continue;
    }
    ++report.sticky_clients;
    std::string at_change;
    for (const ClientRecord::Answer& a : c.answers) {
      if (a.at <= change_at) at_change = a.instance;
    }
    if (drain_start_of(lives, at_change)) ++report.sessions_on_drained;
    bool moved = false;
    for (size_t i = 1; i < c.answers.size(); ++i) {
      const ClientRecord::Answer& before = c.answers[i - 1];
      const ClientRecord::Answer& now = c.answers[i];
      if (now.instance == before.instance) continue;
      ++report.moves;
      moved = true;
      std::optional<WallClock::time_point> drained = drain_start_of(lives, before.instance);
      if (!drained || *drained > now.at) ++report.moves_before_drain;
    }
    report.sessions_moved += moved;
  }
  return report;
}

}  // namespace caravan::testing
