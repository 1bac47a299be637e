// Watching an evaluation to its end, as `job run`, `job stop` and `alloc stop`
// do unless -detach: the lines nomad's monitor prints ("==> <time>: Monitoring
// evaluation ...", allocations created, status changes, placement failures,
// "finished with status ...") and the exit code (0 done, 2 placement failures
// or a failed evaluation, 1 errors). EvalMonitorPrinter is the pure part (state
// in, text out); monitor_evaluation is the polling loop around it, using
// blocking queries on /v1/evaluation/:id.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli/api_client.h"
#include "cli/command.h"
#include "model/evaluation.h"

namespace caravan::cli {

// One look at an evaluation: the evaluation and its allocations (the JSON
// array of AllocListStub that /v1/evaluation/:id/allocations returns).
struct EvalObservation {
  model::Evaluation eval;
  nlohmann::json allocs = nlohmann::json::array();
};

// Turns a sequence of observations of one evaluation (and the ones that follow
// it through NextEval) into nomad's monitor lines. `now` is the timestamp the
// lines carry (format_time of the wall clock in production).
class EvalMonitorPrinter {
 public:
  explicit EvalMonitorPrinter(size_t id_length = 8) : id_length_(id_length) {}

  // `==> <now>: Monitoring evaluation "<id>"`; forgets what earlier
  // evaluations showed (a NextEval is watched afresh).
  std::string start(std::string_view eval_id, std::string_view now);
  // What changed since the previous observation: the trigger (job, node,
  // deployment) the first time, allocations created or modified, allocation
  // client status changes, evaluation status changes.
  std::string update(const EvalObservation& observation, std::string_view now);
  // The closing lines once the evaluation is terminal: finished with status,
  // or the per-group placement failures and the blocked evaluation waiting for
  // capacity.
  std::string finish(const model::Evaluation& eval, std::string_view now);
  // True once a finished evaluation reported placement failures or failed.
  bool failed() const { return failed_; }

 private:
  struct AllocSeen {
    std::string client_status;
  };
  std::string id(std::string_view full) const;

  size_t id_length_;
  bool seen_ = false;
  std::string status_;
  std::string job_;
  std::string node_;
  std::string deployment_;
  std::map<std::string, AllocSeen> allocs_;
  bool failed_ = false;
};

struct MonitorOptions {
  size_t id_length = 8;           // 36 with -verbose
  std::chrono::seconds wait{30};  // longest blocking query
};

// Polls the evaluation (following NextEval) until it is terminal, printing the
// monitor lines to io.out. Returns the exit code: 0 when everything was
// placed, 2 on placement failures or a failed evaluation, 1 when the agent
// could not be queried (the error is printed to io.err).
int monitor_evaluation(ApiClient& api, std::string eval_id, CommandIo& io,
                       const MonitorOptions& options = {});

}  // namespace caravan::cli
