#include "http/internal/worker_pool.h"

#include <algorithm>

namespace caravan::http::internal {

WorkerPool::WorkerPool(size_t max_threads) : max_threads_(std::max<size_t>(1, max_threads)) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::submit(Task task) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(task));
  // Idle threads already woken for earlier tasks are not free for this one.
  if (idle_ >= queue_.size()) {
    wake_.notify_one();
  } else if (threads_.size() < max_threads_ && !stopping_) {
    threads_.emplace_back([this] { run(); });
  } else {
    wake_.notify_one();
  }
}

void WorkerPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) {
    t.join();
  }
}

size_t WorkerPool::thread_count() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void WorkerPool::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    --idle_;
    if (queue_.empty()) {
      return;  // stopping and drained
    }
    Task task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    task = Task();  // destroy what it captured before waiting again
    lock.lock();
  }
}

}  // namespace caravan::http::internal
