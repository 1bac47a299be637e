// Host ports: parsing a node's reserved_host_ports ("22,80,8000-8100") and
// granting a task group's static and dynamic ports on a node without colliding
// with anything already in use.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "model/allocation.h"
#include "model/job.h"
#include "scheduler/usage.h"

namespace caravan::scheduler {

// Ports of a list like "22,80,8000-8100"; malformed items are skipped.
std::vector<int> parse_port_list(std::string_view text);

// One port a task group asks for.
struct PortAsk {
  std::string label;
  int value = 0;  // static host port; 0 = dynamic
};

// The outcome of granting ports: the host port for each ask (same order), or
// the exhausted dimension in Nomad's words ("network: reserved port collision
// http=8080", "network: dynamic port selection failed").
struct PortGrant {
  std::vector<int> values;
  std::string error;
};

// Grants `asks` on a node whose used ports are `usage.ports`, picking dynamic
// ports in [min_port, max_port] at random from `rng` (reproducible for a seed).
PortGrant grant_ports(const std::vector<PortAsk>& asks, const NodeUsage& usage, int min_port,
                      int max_port, std::mt19937_64& rng);

}  // namespace caravan::scheduler
