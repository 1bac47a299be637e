// Agent: one `caravan agent` process — a server (state, broker, schedulers,
// plan applier), a client (fingerprints this machine, runs allocations) and
// the HTTP API, each enabled by the agent configuration. `-dev` runs all of
// them on 127.0.0.1 with state in a temporary directory removed at exit.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "jobspec/agent_config.h"

namespace caravan::agent {

class Agent {
 public:
  // Starts every enabled part: the server first, then the HTTP API, then the
  // client (which registers with the server over that API). Errors name what
  // could not start ("cannot listen on 127.0.0.1:4646: address already in use").
  static Result<std::unique_ptr<Agent>> start(jobspec::AgentConfig config);
  // Stops the client (tasks keep running, to be re-attached by the next agent),
  // the API and the server, in that order.
  ~Agent();

  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // "http://127.0.0.1:4646": where the API listens.
  std::string http_url() const;
  const jobspec::AgentConfig& config() const;

 private:
  struct Parts;
  explicit Agent(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace caravan::agent
