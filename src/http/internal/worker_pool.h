// The threads handlers run on, apart from the I/O threads. Grows on demand up to
// a maximum, because a handler may block for minutes (blocking queries, log
// streams) and short requests must still find a free thread; queues beyond it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace caravan::http::internal {

// A move-only type-erased `void()` callable (std::function needs copyable ones,
// and Asio completion handlers are move-only).
class Task {
 public:
  Task() = default;
  template <class F>
  explicit Task(F f) : impl_(std::make_unique<Impl<F>>(std::move(f))) {}
  void operator()() { impl_->run(); }
  explicit operator bool() const { return impl_ != nullptr; }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void run() = 0;
  };
  template <class F>
  struct Impl final : Base {
    explicit Impl(F fn) : f(std::move(fn)) {}
    void run() override { f(); }
    F f;
  };
  std::unique_ptr<Base> impl_;
};

class WorkerPool {
 public:
  explicit WorkerPool(size_t max_threads);
  ~WorkerPool();  // joins; see shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on a worker thread: an idle one, a new one while below the
  // maximum, else the next to become free. Any thread may call it.
  void submit(Task task);
  // Runs the queued tasks, then joins every thread. Tasks must return on their
  // own (the server requests their stop tokens first). Idempotent.
  void shutdown();

  size_t thread_count() const;

 private:
  void run();

  const size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace caravan::http::internal
