#include "scheduler/stack.h"

#include <algorithm>
#include <cmath>

#include "scheduler/distinct.h"
#include "scheduler/feasible.h"
#include "scheduler/fit.h"
#include "scheduler/rank.h"
#include "scheduler/spread.h"

namespace caravan::scheduler {
namespace {

// Nodes with a negative score set aside before the limit counts them (Nomad).
constexpr size_t kMaxSkip = 3;
constexpr int kSpreadLimitFloor = 100;

void record_filtered(model::AllocMetric& metric, const model::Node& node,
                     const std::string& reason) {
  ++metric.nodes_filtered;
  ++metric.constraint_filtered[reason];
  if (!node.node_class.empty()) ++metric.class_filtered[node.node_class];
}

void record_exhausted(model::AllocMetric& metric, const model::Node& node,
                      const std::string& dimension) {
  ++metric.nodes_exhausted;
  ++metric.dimension_exhausted[dimension];
  if (!node.node_class.empty()) ++metric.class_exhausted[node.node_class];
}

}  // namespace

// Plan-dependent checks and scoring for one select() call.
class Stack::Scorer {
 public:
  Scorer(EvalContext& ctx, const model::Job& job, const model::TaskGroup& group,
         const SelectOptions& options)
      : ctx_(ctx),
        job_(job),
        group_(group),
        options_(options),
        distinct_(job, group, ctx.proposed),
        spread_(job, group, ctx.proposed) {}

  std::optional<Selection> evaluate(const state::NodePtr& node, model::AllocMetric& metric) {
    ++metric.nodes_evaluated;
    if (auto reason = distinct_.check(*node)) {
      record_filtered(metric, *node, *reason);
      return std::nullopt;
    }
    FitResult fit = fit_group(group_, *node, ctx_.usage.get(*node), ctx_.rng, /*grant=*/false);
    if (!fit.fits) {
      record_exhausted(metric, *node, fit.exhausted);
      return std::nullopt;
    }
    double sum =
        fit_score(node_capacity(*node), fit.cpu_after, fit.memory_after, ctx_.config.algorithm);
    int n = 1;
    auto add = [&](std::optional<double> score) {
      if (score) {
        sum += *score;
        ++n;
      }
    };
    add(anti_affinity_score(ctx_.proposed.on_node(node->id, group_.name),
                            group_.count.value_or(1)));
    const auto& penalty = options_.penalty_nodes;
    if (std::find(penalty.begin(), penalty.end(), node->id) != penalty.end()) add(-1.0);
    add(affinity_score(job_, group_, *node, ctx_.checker));
    if (!spread_.empty()) add(spread_.score(*node));
    return Selection{node, {}, sum / n};
  }

  // Chooses the ports and cores of the selected node (scoring only checked that they exist).
  std::optional<Selection> grant(Selection selection) {
    FitResult fit = fit_group(group_, *selection.node, ctx_.usage.get(*selection.node), ctx_.rng);
    if (!fit.fits) return std::nullopt;  // cannot happen: the same usage just fitted
    selection.resources = std::move(fit.resources);
    return selection;
  }

 private:
  EvalContext& ctx_;
  const model::Job& job_;
  const model::TaskGroup& group_;
  const SelectOptions& options_;
  DistinctChecker distinct_;
  SpreadScorer spread_;
};

CandidateNodes candidate_nodes(const state::StateView& state, const model::Job& job) {
  CandidateNodes out;
  for (state::NodePtr& node : state.nodes()) {
    if (in_node_pool(job.node_pool, node->node_pool)) ++out.in_pool;
    if (is_candidate(job, *node)) out.nodes.push_back(std::move(node));
  }
  return out;
}

int score_limit(const model::Job& job, const model::TaskGroup& group, size_t node_count) {
  if (has_spreads(job, group) || has_affinities(job, group)) {
    return std::max(group.count.value_or(1), kSpreadLimitFloor);
  }
  if (job.type == model::kJobTypeBatch) return 2;
  int log = node_count > 1 ? static_cast<int>(std::ceil(std::log2(node_count))) : 0;
  return std::max(2, log);
}

Stack::Stack(EvalContext& ctx, const model::Job& job, CandidateNodes candidates)
    : ctx_(ctx), job_(job), nodes_(std::move(candidates.nodes)), in_pool_(candidates.in_pool) {
  std::shuffle(nodes_.begin(), nodes_.end(), ctx_.rng);
  for (const state::NodePtr& node : nodes_) ++available_[node->datacenter];
}

void Stack::init_metric(model::AllocMetric& metric) const {
  metric.nodes_in_pool = in_pool_;
  metric.nodes_available = available_;
}

const Stack::Verdict& Stack::verdict(const model::TaskGroup& group, size_t index) {
  std::vector<Verdict>& cache = verdicts_[group.name];
  if (cache.empty()) cache.resize(nodes_.size());
  Verdict& v = cache[index];
  if (!v.known) {
    v.known = true;
    v.reason = infeasible_reason(job_, group, *nodes_[index], ctx_.checker);
  }
  return v;
}

std::optional<Selection> Stack::select(const model::TaskGroup& group, const SelectOptions& options,
                                       model::AllocMetric& metric) {
  init_metric(metric);
  if (nodes_.empty()) return std::nullopt;
  Scorer scorer(ctx_, job_, group, options);
  const size_t limit = static_cast<size_t>(score_limit(job_, group, nodes_.size()));
  std::optional<Selection> best;
  std::vector<Selection> skipped;
  size_t scored = 0;
  size_t visited = 0;
  auto consider = [&](Selection&& s) {
    if (!best || s.score > best->score) best = std::move(s);
  };
  for (; visited < nodes_.size() && scored < limit; ++visited) {
    size_t index = (cursor_ + visited) % nodes_.size();
    const Verdict& v = verdict(group, index);
    if (v.reason) {
      ++metric.nodes_evaluated;
      record_filtered(metric, *nodes_[index], *v.reason);
      continue;
    }
    std::optional<Selection> s = scorer.evaluate(nodes_[index], metric);
    if (!s) continue;
    if (s->score < 0 && skipped.size() < kMaxSkip) {
      skipped.push_back(std::move(*s));
      continue;
    }
    ++scored;
    consider(std::move(*s));
  }
  cursor_ = (cursor_ + visited) % nodes_.size();
  if (scored < limit) {
    for (Selection& s : skipped) consider(std::move(s));
  }
  if (!best) return std::nullopt;
  return scorer.grant(std::move(*best));
}

std::optional<Selection> Stack::select_node(const model::TaskGroup& group,
                                            const state::NodePtr& node,
                                            model::AllocMetric& metric) {
  init_metric(metric);
  if (auto reason = infeasible_reason(job_, group, *node, ctx_.checker)) {
    ++metric.nodes_evaluated;
    record_filtered(metric, *node, *reason);
    return std::nullopt;
  }
  SelectOptions options;
  Scorer scorer(ctx_, job_, group, options);
  std::optional<Selection> selection = scorer.evaluate(node, metric);
  if (!selection) return std::nullopt;
  return scorer.grant(std::move(*selection));
}

}  // namespace caravan::scheduler
