#include "scheduler/ports.h"

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "core/strings.h"

namespace caravan::scheduler {
namespace {

bool parse_port(std::string_view text, int& out) {
  text = trim(text);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && out > 0 &&
         out <= 65535;
}

constexpr int kRandomTries = 20;

}  // namespace

std::vector<int> parse_port_list(std::string_view text) {
  std::vector<int> out;
  if (trim(text).empty()) return out;
  for (const std::string& item : split(text, ',')) {
    size_t dash = item.find('-');
    int lo = 0;
    int hi = 0;
    if (dash == std::string::npos) {
      if (parse_port(item, lo)) out.push_back(lo);
    } else if (parse_port(std::string_view(item).substr(0, dash), lo) &&
               parse_port(std::string_view(item).substr(dash + 1), hi) && lo <= hi) {
      for (int p = lo; p <= hi; ++p) out.push_back(p);
    }
  }
  return out;
}

PortGrant grant_ports(const std::vector<PortAsk>& asks, const NodeUsage& usage, int min_port,
                      int max_port, std::mt19937_64& rng) {
  PortGrant grant;
  std::unordered_set<int> taken;
  auto free = [&](int port) { return !usage.port_used(port) && !taken.count(port); };
  for (const PortAsk& ask : asks) {
    if (ask.value > 0) {
      if (!free(ask.value)) {
        grant.error =
            "network: reserved port collision " + ask.label + "=" + std::to_string(ask.value);
        return grant;
      }
      taken.insert(ask.value);
    }
  }
  if (min_port <= 0 || max_port < min_port) {
    min_port = 20000;
    max_port = 32000;
  }
  std::uniform_int_distribution<int> pick(min_port, max_port);
  for (const PortAsk& ask : asks) {
    int chosen = ask.value;
    for (int i = 0; chosen == 0 && i < kRandomTries; ++i) {
      int candidate = pick(rng);
      if (free(candidate)) chosen = candidate;
    }
    // A crowded range: scan it once from a random start.
    for (int i = 0, start = pick(rng), span = max_port - min_port + 1; chosen == 0 && i < span;
         ++i) {
      int candidate = min_port + (start - min_port + i) % span;
      if (free(candidate)) chosen = candidate;
    }
    if (chosen == 0) {
      grant.error = "network: dynamic port selection failed";
      return grant;
    }
    taken.insert(chosen);
    grant.values.push_back(chosen);
  }
  return grant;
}

}  // namespace caravan::scheduler
