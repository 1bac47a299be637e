// JobOverlayView: a StateView that shows a snapshot with one job replaced by a
// proposed version — what `job plan` schedules against, without writing the job.
#pragma once

#include "state/state_view.h"

namespace caravan::server {

class JobOverlayView final : public state::StateView {
 public:
  // `proposed` replaces the job with its namespace and ID in `base`.
  JobOverlayView(state::StateViewPtr base, state::JobPtr proposed)
      : base_(std::move(base)), proposed_(std::move(proposed)) {}

  int64_t index() const override { return base_->index(); }
  int64_t table_index(state::Table table) const override { return base_->table_index(table); }
  state::JobPtr job(std::string_view ns, std::string_view id) const override {
    return is_proposed(ns, id) ? proposed_ : base_->job(ns, id);
  }
  state::JobPtr job_version(std::string_view ns, std::string_view id,
                            int64_t version) const override {
    if (is_proposed(ns, id) && version == proposed_->version) return proposed_;
    return base_->job_version(ns, id, version);
  }
  std::vector<state::JobPtr> job_versions(std::string_view ns, std::string_view id) const override {
    std::vector<state::JobPtr> versions = base_->job_versions(ns, id);
    if (is_proposed(ns, id)) versions.insert(versions.begin(), proposed_);
    return versions;
  }
  std::vector<state::JobPtr> jobs(std::string_view ns) const override;
  state::NodePtr node(std::string_view id) const override { return base_->node(id); }
  std::vector<state::NodePtr> nodes() const override { return base_->nodes(); }
  state::AllocPtr alloc(std::string_view id) const override { return base_->alloc(id); }
  std::vector<state::AllocPtr> allocs_by_job(std::string_view ns,
                                             std::string_view job_id) const override {
    return base_->allocs_by_job(ns, job_id);
  }
  std::vector<state::AllocPtr> allocs_by_node(std::string_view node_id) const override {
    return base_->allocs_by_node(node_id);
  }
  std::vector<state::AllocPtr> allocs() const override { return base_->allocs(); }
  state::EvalPtr eval(std::string_view id) const override { return base_->eval(id); }
  std::vector<state::EvalPtr> evals_by_job(std::string_view ns,
                                           std::string_view job_id) const override {
    return base_->evals_by_job(ns, job_id);
  }
  std::vector<state::EvalPtr> evals() const override { return base_->evals(); }

 private:
  bool is_proposed(std::string_view ns, std::string_view id) const {
    return ns == proposed_->namespace_name && id == proposed_->id;
  }

  state::StateViewPtr base_;
  state::JobPtr proposed_;
};

}  // namespace caravan::server
