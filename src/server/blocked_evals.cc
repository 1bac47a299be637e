#include "server/blocked_evals.h"

namespace caravan::server {
namespace {

std::string key_of(const std::string& ns, const std::string& job_id) { return ns + "/" + job_id; }

}  // namespace

std::vector<model::Evaluation> BlockedEvals::block(const model::Evaluation& eval) {
  std::lock_guard lock(mutex_);
  std::vector<model::Evaluation> replaced;
  auto [it, inserted] = by_job_.try_emplace(key_of(eval.namespace_name, eval.job_id), eval);
  if (!inserted) {
    if (it->second.id == eval.id) return replaced;
    replaced.push_back(std::move(it->second));
    it->second = eval;
  }
  return replaced;
}

std::vector<model::Evaluation> BlockedEvals::unblock_all() {
  std::lock_guard lock(mutex_);
  std::vector<model::Evaluation> out;
  out.reserve(by_job_.size());
  for (auto& [key, eval] : by_job_) out.push_back(std::move(eval));
  by_job_.clear();
  return out;
}

std::vector<model::Evaluation> BlockedEvals::untrack(const std::string& ns,
                                                     const std::string& job_id) {
  std::lock_guard lock(mutex_);
  std::vector<model::Evaluation> out;
  auto it = by_job_.find(key_of(ns, job_id));
  if (it != by_job_.end()) {
    out.push_back(std::move(it->second));
    by_job_.erase(it);
  }
  return out;
}

size_t BlockedEvals::size() const {
  std::lock_guard lock(mutex_);
  return by_job_.size();
}

}  // namespace caravan::server
