// BlockedEvals: evaluations that could not place every allocation for lack of
// capacity (status "blocked"). They wait here, one per job, until capacity may
// have appeared — a node registered or became eligible, allocations stopped —
// and are then handed back to the broker to try again. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "model/evaluation.h"

namespace caravan::server {

class BlockedEvals {
 public:
  // Tracks a blocked evaluation. A job keeps only its newest blocked evaluation:
  // the older one is returned so the caller can mark it canceled in state.
  std::vector<model::Evaluation> block(const model::Evaluation& eval);

  // Capacity may have changed: returns every blocked evaluation (they become
  // pending again and go back to the broker) and forgets them.
  std::vector<model::Evaluation> unblock_all();

  // The job was deregistered or placed everything: returns its blocked
  // evaluation, if any, so the caller can cancel it.
  std::vector<model::Evaluation> untrack(const std::string& ns, const std::string& job_id);

  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, model::Evaluation> by_job_;  // "<namespace>/<job>"
};

}  // namespace caravan::server
