#include "server/eval_broker.h"

#include <fmt/format.h>

#include <tuple>

namespace caravan::server {
namespace {

// How long from now until an evaluation's wait_until / wait has passed.
std::chrono::nanoseconds initial_delay(const model::Evaluation& eval) {
  std::chrono::nanoseconds delay = eval.wait;
  if (eval.wait_until > 0) {
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    delay = std::max(delay, std::chrono::nanoseconds(eval.wait_until - now));
  }
  return delay;
}

}  // namespace

bool EvalBroker::ReadyKey::operator<(const ReadyKey& other) const {
  return std::tie(other.priority, create_index, id) <
         std::tie(priority, other.create_index, other.id);
}

EvalBroker::EvalBroker(EvalBrokerConfig config) : config_(config) {}

std::string EvalBroker::job_key(const model::Evaluation& eval) {
  return eval.namespace_name + "/" + eval.job_id;
}

EvalBroker::ReadyKey EvalBroker::ready_key(const model::Evaluation& eval) {
  return ReadyKey{eval.priority, eval.create_index, eval.id};
}

void EvalBroker::set_enabled(bool enabled) {
  std::lock_guard lock(mutex_);
  enabled_ = enabled;
  if (!enabled) {
    known_.clear();
    ready_.clear();
    unacked_.clear();
    busy_jobs_.clear();
    waiting_.clear();
    delayed_.clear();
    failed_.clear();
  }
  ready_cv_.notify_all();
}

bool EvalBroker::enabled() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}

void EvalBroker::enqueue(const model::Evaluation& eval) {
  std::lock_guard lock(mutex_);
  if (!enabled_ || known_.count(eval.id) != 0) return;
  known_.insert(eval.id);
  Entry entry{eval, 0};
  std::chrono::nanoseconds delay = initial_delay(eval);
  if (delay > std::chrono::nanoseconds::zero()) {
    delayed_.emplace(Clock::now() + delay, std::move(entry));
    ready_cv_.notify_all();  // a sleeping dequeue must recompute its wake-up time
    return;
  }
  enqueue_locked(std::move(entry));
}

void EvalBroker::enqueue_locked(Entry entry) {
  std::string job = job_key(entry.eval);
  if (busy_jobs_.count(job) != 0) {
    waiting_[job].emplace(ready_key(entry.eval), std::move(entry));
    return;
  }
  busy_jobs_.insert(job);
  make_ready_locked(std::move(entry));
}

void EvalBroker::make_ready_locked(Entry entry) {
  ready_[entry.eval.type].emplace(ready_key(entry.eval), std::move(entry));
  ready_cv_.notify_all();
}

void EvalBroker::release_job_locked(const std::string& job) {
  auto waiting = waiting_.find(job);
  if (waiting == waiting_.end() || waiting->second.empty()) {
    busy_jobs_.erase(job);
    if (waiting != waiting_.end()) waiting_.erase(waiting);
    return;
  }
  // The job stays busy: its next evaluation becomes ready.
  auto next = waiting->second.begin();
  Entry entry = std::move(next->second);
  waiting->second.erase(next);
  if (waiting->second.empty()) waiting_.erase(waiting);
  make_ready_locked(std::move(entry));
}

void EvalBroker::requeue_after_nack_locked(Unacked unacked, Clock::time_point now) {
  std::string job = job_key(unacked.entry.eval);
  if (unacked.entry.deliveries >= config_.delivery_limit) {
    known_.erase(unacked.entry.eval.id);
    failed_.push_back(std::move(unacked.entry.eval));
    release_job_locked(job);
    return;
  }
  auto delay = unacked.entry.deliveries <= 1 ? config_.initial_nack_delay
                                             : config_.subsequent_nack_delay;
  // The job stays busy while its evaluation waits out the nack delay, so no
  // other evaluation of the job overtakes it.
  delayed_.emplace(now + delay, std::move(unacked.entry));
}

void EvalBroker::promote_due_locked(Clock::time_point now) {
  // Ack timeouts count as nacks.
  for (auto it = unacked_.begin(); it != unacked_.end();) {
    if (it->second.deadline <= now) {
      Unacked expired = std::move(it->second);
      it = unacked_.erase(it);
      requeue_after_nack_locked(std::move(expired), now);
    } else {
      ++it;
    }
  }
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    Entry entry = std::move(delayed_.begin()->second);
    delayed_.erase(delayed_.begin());
    if (entry.deliveries > 0) {
      make_ready_locked(std::move(entry));  // a nacked evaluation: its job is still busy with it
    } else {
      enqueue_locked(std::move(entry));
    }
  }
}

EvalBroker::Clock::time_point EvalBroker::next_wakeup_locked() const {
  Clock::time_point next = Clock::time_point::max();
  if (!delayed_.empty()) next = delayed_.begin()->first;
  for (const auto& [id, unacked] : unacked_) next = std::min(next, unacked.deadline);
  return next;
}

std::optional<Delivery> EvalBroker::dequeue(const std::vector<std::string>& types,
                                            std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const Clock::time_point give_up = Clock::now() + timeout;
  while (true) {
    if (shutdown_ || !enabled_) return std::nullopt;
    Clock::time_point now = Clock::now();
    promote_due_locked(now);
    // The best ready evaluation across the requested scheduler types.
    std::map<ReadyKey, Entry>* best_queue = nullptr;
    for (const std::string& type : types) {
      auto queue = ready_.find(type);
      if (queue == ready_.end() || queue->second.empty()) continue;
      if (best_queue == nullptr || queue->second.begin()->first < best_queue->begin()->first) {
        best_queue = &queue->second;
      }
    }
    if (best_queue != nullptr) {
      Entry entry = std::move(best_queue->begin()->second);
      best_queue->erase(best_queue->begin());
      ++entry.deliveries;
      std::string token = fmt::format("{:016x}-{}", next_token_++, entry.deliveries);
      Delivery delivery{entry.eval, token};
      std::string id = entry.eval.id;
      unacked_.insert_or_assign(std::move(id),
                                Unacked{std::move(entry), token, now + config_.ack_timeout});
      return delivery;
    }
    if (now >= give_up) return std::nullopt;
    ready_cv_.wait_until(lock, std::min(give_up, next_wakeup_locked()));
  }
}

Status EvalBroker::ack(const std::string& eval_id, const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = unacked_.find(eval_id);
  if (it == unacked_.end() || it->second.token != token) {
    return failed_precondition(
        fmt::format("evaluation {} is not held with this token (acked already, or timed out)",
                    eval_id));
  }
  std::string job = job_key(it->second.entry.eval);
  unacked_.erase(it);
  known_.erase(eval_id);
  release_job_locked(job);
  return Status();
}

Status EvalBroker::nack(const std::string& eval_id, const std::string& token) {
  std::lock_guard lock(mutex_);
  auto it = unacked_.find(eval_id);
  if (it == unacked_.end() || it->second.token != token) {
    return failed_precondition(
        fmt::format("evaluation {} is not held with this token (acked already, or timed out)",
                    eval_id));
  }
  Unacked unacked = std::move(it->second);
  unacked_.erase(it);
  requeue_after_nack_locked(std::move(unacked), Clock::now());
  ready_cv_.notify_all();
  return Status();
}

bool EvalBroker::outstanding(const std::string& eval_id, const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto it = unacked_.find(eval_id);
  return it != unacked_.end() && it->second.token == token;
}

std::vector<model::Evaluation> EvalBroker::take_failed() {
  std::lock_guard lock(mutex_);
  std::vector<model::Evaluation> out;
  out.swap(failed_);
  return out;
}

void EvalBroker::shutdown() {
  std::lock_guard lock(mutex_);
  shutdown_ = true;
  ready_cv_.notify_all();
}

EvalBroker::Stats EvalBroker::stats() const {
  std::lock_guard lock(mutex_);
  Stats stats;
  for (const auto& [type, queue] : ready_) stats.ready += queue.size();
  stats.unacked = unacked_.size();
  for (const auto& [job, queue] : waiting_) stats.waiting_job += queue.size();
  stats.delayed = delayed_.size();
  stats.failed = failed_.size();
  return stats;
}

}  // namespace caravan::server
