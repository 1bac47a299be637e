// EvalBroker: the server's queue of evaluations waiting for a scheduler worker.
// It hands out at most one evaluation per job at a time (the others for that job
// wait behind it), highest priority first then oldest; a delivered evaluation
// must be acked or nacked with its token; a nack (or an ack timeout) redelivers
// it after a delay, and after too many deliveries it is given up as failed.
// Thread-safe: the API, the FSM watcher and the workers call it from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/evaluation.h"

namespace caravan::server {

struct EvalBrokerConfig {
  // How long a worker may hold an evaluation before it is nacked for it.
  std::chrono::milliseconds ack_timeout{60'000};
  // Redelivery delay after the first nack, and after later ones.
  std::chrono::milliseconds initial_nack_delay{1'000};
  std::chrono::milliseconds subsequent_nack_delay{20'000};
  // Deliveries before the evaluation is given up (returned by take_failed()).
  int delivery_limit = 3;
};

// An evaluation handed to a worker, with the token that proves it holds it.
struct Delivery {
  model::Evaluation eval;
  std::string token;
};

class EvalBroker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit EvalBroker(EvalBrokerConfig config = {});
  EvalBroker(const EvalBroker&) = delete;
  EvalBroker& operator=(const EvalBroker&) = delete;

  // Starts or stops handing out evaluations (only the leader's broker is
  // enabled). Disabling drops everything queued; the leader re-enqueues the
  // pending evaluations from state when it enables the broker again.
  void set_enabled(bool enabled);
  bool enabled() const;

  // Queues a pending evaluation. One whose wait_until (ns since the epoch) or
  // wait lies in the future is held until then. An evaluation already queued or
  // in flight is ignored, so re-enqueueing after a restart is harmless.
  void enqueue(const model::Evaluation& eval);

  // Waits up to `timeout` for an evaluation of one of `types` ("service",
  // "batch", "system", "sysbatch", "_core"). nullopt on timeout or when the
  // broker is disabled or shut down.
  std::optional<Delivery> dequeue(const std::vector<std::string>& types,
                                  std::chrono::milliseconds timeout);

  // The worker finished the evaluation: the next one of its job may go.
  // FailedPrecondition when `token` does not hold `eval_id`.
  Status ack(const std::string& eval_id, const std::string& token);
  // The worker could not finish: redeliver after the nack delay, or give up
  // after the delivery limit.
  Status nack(const std::string& eval_id, const std::string& token);
  // True when `token` currently holds `eval_id` (the plan applier checks this).
  bool outstanding(const std::string& eval_id, const std::string& token) const;

  // Evaluations given up after the delivery limit, removed from the broker; the
  // leader marks them failed in state.
  std::vector<model::Evaluation> take_failed();

  // Wakes every waiting dequeue; later calls return at once.
  void shutdown();

  struct Stats {
    size_t ready = 0;        // deliverable now
    size_t unacked = 0;      // delivered, waiting for ack/nack
    size_t waiting_job = 0;  // behind another evaluation of the same job
    size_t delayed = 0;      // waiting for wait_until or a nack delay
    size_t failed = 0;       // given up, not yet taken
  };
  Stats stats() const;

 private:
  struct Entry {
    model::Evaluation eval;
    int deliveries = 0;
  };
  struct Unacked {
    Entry entry;
    std::string token;
    Clock::time_point deadline;
  };
  // Orders ready evaluations: higher priority first, then older (create index, id).
  struct ReadyKey {
    int priority;
    int64_t create_index;
    std::string id;
    bool operator<(const ReadyKey& other) const;
  };

  static std::string job_key(const model::Evaluation& eval);
  static ReadyKey ready_key(const model::Evaluation& eval);
  // All private helpers expect mutex_ held.
  void enqueue_locked(Entry entry);
  void make_ready_locked(Entry entry);
  void release_job_locked(const std::string& job);
  void promote_due_locked(Clock::time_point now);
  void requeue_after_nack_locked(Unacked unacked, Clock::time_point now);
  Clock::time_point next_wakeup_locked() const;

  const EvalBrokerConfig config_;
  mutable std::mutex mutex_;
  std::condition_variable ready_cv_;
  bool enabled_ = false;
  bool shutdown_ = false;
  std::set<std::string> known_;  // every evaluation id the broker holds
  std::map<std::string, std::map<ReadyKey, Entry>> ready_;  // by scheduler type
  std::map<std::string, Unacked> unacked_;                  // by eval id
  std::set<std::string> busy_jobs_;  // jobs with an evaluation ready or in flight
  std::map<std::string, std::map<ReadyKey, Entry>> waiting_;  // by job, behind a busy one
  std::multimap<Clock::time_point, Entry> delayed_;
  std::vector<model::Evaluation> failed_;
  uint64_t next_token_ = 1;
};

}  // namespace caravan::server
