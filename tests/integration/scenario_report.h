// The figures a scenario test reports and asserts, worked out from what the
// load's clients saw and what the catalog showed: requests sent and failed,
// sticky sessions that moved to another instance — each move legitimate only
// once the instance it left had started draining — and requests of clients
// without a session that still reached an instance after it began draining.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "instance_watch.h"
#include "load_generator.h"

namespace caravan::testing {

struct ScenarioReport {
  std::string name;
  int clients = 0;
  int sticky_clients = 0;
  int sent = 0;
  int failed = 0;
  std::vector<std::string> failures;  // "client N: what", in client order
  // Sticky clients whose instance at the change later drained, and of those
  // (and of any) the ones that moved.
  int sessions_on_drained = 0;
  int sessions_moved = 0;
  int moves = 0;                // instance changes of sticky clients, all told
  int moves_before_drain = 0;   // away from an instance that was not draining: must be 0
  // Answers to clients without a session from an instance more than a second
  // after it began draining (the ingress applies a drain within milliseconds).
  int sessionless_on_draining = 0;
  double seconds = 0;           // from the change to its end (the test's choice)
  double requests_per_second = 0;  // answers over the load's whole run

  // One line for the test log: every figure above.
  std::string line() const;
};

// `change_at`: when the scenario's change (update, drain, scale) began;
// `done_at`: when the test saw it complete.
ScenarioReport analyse(std::string name, const std::vector<ClientRecord>& records,
                       const std::map<std::string, InstanceLife>& lives,
                       WallClock::time_point change_at, WallClock::time_point done_at);

}  // namespace caravan::testing
