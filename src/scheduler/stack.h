// Stack: picks the node for one allocation. Candidate nodes are shuffled once
// per evaluation and walked round-robin from where the last placement stopped;
// each is checked for feasibility (cached per group), distinct_* constraints and
// resource fit, then scored (rank.h, spread.h). Only a bounded number of
// fitting nodes is scored (Nomad's power-of-two-choices limit), so a placement
// costs about the same on 50 nodes as on 5,000.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/evaluation.h"
#include "model/job.h"
#include "scheduler/context.h"
#include "state/state_view.h"

namespace caravan::scheduler {

// Nodes a job may use (is_candidate), sorted by id, and how many are in its pool.
struct CandidateNodes {
  std::vector<state::NodePtr> nodes;
  int in_pool = 0;
};
CandidateNodes candidate_nodes(const state::StateView& state, const model::Job& job);

struct SelectOptions {
  // Nodes where the allocation being replaced failed: scored with a -1 penalty.
  std::vector<std::string> penalty_nodes;
};

struct Selection {
  state::NodePtr node;
  model::AllocatedResources resources;
  double score = 0;
};

// How many fitting nodes select() scores: 2 for batch; max(2, ceil(log2 n)) for
// service; at least the group count (floor 100) when spreads or affinities apply.
int score_limit(const model::Job& job, const model::TaskGroup& group, size_t node_count);

class Stack {
 public:
  // `ctx` and `job` must outlive the stack.
  Stack(EvalContext& ctx, const model::Job& job, CandidateNodes candidates);

  // The best node for one more allocation of `group`, or nullopt when no node
  // fits. Records what it saw in `metric` (filtered and exhausted nodes).
  std::optional<Selection> select(const model::TaskGroup& group, const SelectOptions& options,
                                  model::AllocMetric& metric);

  // Checks one given node (system jobs), with the same checks and metrics.
  std::optional<Selection> select_node(const model::TaskGroup& group, const state::NodePtr& node,
                                       model::AllocMetric& metric);

  const std::vector<state::NodePtr>& nodes() const { return nodes_; }

 private:
  struct Verdict {
    bool known = false;
    std::optional<std::string> reason;  // why infeasible; nullopt = feasible
  };
  class Scorer;

  void init_metric(model::AllocMetric& metric) const;
  const Verdict& verdict(const model::TaskGroup& group, size_t index);

  EvalContext& ctx_;
  const model::Job& job_;
  std::vector<state::NodePtr> nodes_;
  int in_pool_ = 0;
  std::map<std::string, int> available_;  // per datacenter
  size_t cursor_ = 0;
  std::unordered_map<std::string, std::vector<Verdict>> verdicts_;  // group → per node
};

}  // namespace caravan::scheduler
