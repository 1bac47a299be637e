#include "state/state_store.h"

#include <fmt/format.h>

#include <future>

#include "state/internal/fsm.h"
#include "state/internal/snapshot.h"
#include "state/internal/state_codec.h"

namespace caravan::state {
namespace {

int64_t system_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<StateStore>> StateStore::open(std::unique_ptr<Log> log,
                                                     StateStoreOptions options) {
  if (!options.clock) options.clock = system_clock_ns;
  if (options.max_batch == 0) options.max_batch = 1;
  int64_t snapshot_index = CARAVAN_TRY(log->latest_snapshot());
  internal::Tables tables;
  if (snapshot_index > 0) {
    tables = CARAVAN_TRY(internal::decode_state(*log, snapshot_index));
    if (tables.index != snapshot_index) {
      return internal_error(fmt::format("{}: the snapshot at index {} holds the state at index {}",
                                        log->name(), snapshot_index, tables.index));
    }
  }
  auto fsm = std::make_unique<internal::Fsm>(std::move(tables));
  std::unique_ptr<StateStore> store(
      new StateStore(std::move(log), std::move(options), std::move(fsm)));
  CARAVAN_RETURN_IF_ERROR(store->replay());
  store->committer_ = std::thread([s = store.get()] { s->commit_loop(); });
  store->snapshotter_ = std::thread([s = store.get()] { s->snapshot_loop(); });
  return store;
}

StateStore::StateStore(std::unique_ptr<Log> log, StateStoreOptions options,
                       std::unique_ptr<internal::Fsm> fsm)
    : log_(std::move(log)), options_(std::move(options)), fsm_(std::move(fsm)) {}

StateStore::~StateStore() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
  {
    std::lock_guard lock(snapshot_request_mu_);
    snapshot_stopping_ = true;
  }
  snapshot_request_cv_.notify_all();
  if (snapshotter_.joinable()) snapshotter_.join();
  changed_cv_.notify_all();
}

Status StateStore::replay() {
  int64_t expected = fsm_->tables().index + 1;
  CARAVAN_RETURN_IF_ERROR(
      log_->read_from(expected, [&](int64_t index, std::string_view data) -> Status {
        if (index != expected) {
          return internal_error(fmt::format("{}: log entry {} is missing (the next one is {})",
                                            log_->name(), expected, index));
        }
        Result<LogEntry> entry = decode_log_entry(data);
        if (!entry) {
          return internal_error(fmt::format("{}: log entry {} cannot be read: {}", log_->name(),
                                            index, entry.error().message()));
        }
        // An entry the FSM rejected when it was written is rejected again, alike.
        (void)fsm_->apply(index, std::move(*entry));
        ++expected;
        return Status::ok();
      }));
  int64_t last = CARAVAN_TRY(log_->last_index());
  if (last >= expected) {
    return internal_error(fmt::format("{}: the log ends at index {} but entries stop at {}",
                                      log_->name(), last, expected - 1));
  }
  next_index_ = expected;
  current_ = fsm_->snapshot();
  return Status::ok();
}

Result<int64_t> StateStore::apply(LogEntry entry) {
  std::promise<Result<int64_t>> promise;
  std::future<Result<int64_t>> future = promise.get_future();
  apply_async(std::move(entry),
              [&promise](Result<int64_t> result) { promise.set_value(std::move(result)); });
  return future.get();
}

void StateStore::apply_async(LogEntry entry, ApplyCallback done) {
  if (entry.time == 0) entry.time = options_.clock();
  // Encoding is the costly part of an append: done here, on the caller's
  // thread, so that writers encode in parallel and the commit thread only writes.
  std::string encoded = encode_log_entry(entry);
  {
    std::lock_guard lock(queue_mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(entry), std::move(encoded), std::move(done)});
      queue_cv_.notify_one();
      return;
    }
  }
  done(unavailable("the state store is shutting down"));
}

void StateStore::commit_loop() {
  std::deque<Pending> batch;
  while (true) {
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      // Take what has gathered while the previous batch was being written:
      // this is the group commit.
      size_t n = std::min(queue_.size(), options_.max_batch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void StateStore::commit_batch(std::deque<Pending>& batch) {
  std::vector<LogRecord> records;
  records.reserve(batch.size());
  for (Pending& pending : batch) {
    records.push_back(LogRecord{next_index_ + static_cast<int64_t>(records.size()),
                                std::move(pending.encoded)});
  }
  Status appended = log_->append(records);
  if (!appended.is_ok()) {
    for (Pending& pending : batch) pending.done(appended);
    return;
  }
  std::vector<Result<int64_t>> results;
  results.reserve(batch.size());
  int64_t rejected = 0;
  for (Pending& pending : batch) {
    int64_t index = next_index_++;
    Status status = fsm_->apply(index, std::move(pending.entry));  // not read again
    if (status.is_ok()) {
      results.emplace_back(index);
    } else {
      ++rejected;
      results.emplace_back(std::move(status));
    }
  }
  SnapshotPtr snapshot = fsm_->snapshot();
  {
    std::lock_guard lock(current_mu_);
    current_ = std::move(snapshot);
    stats_.entries += static_cast<int64_t>(batch.size());
    stats_.batches += 1;
    stats_.rejected += rejected;
  }
  changed_cv_.notify_all();
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));

  entries_since_snapshot_ += static_cast<int64_t>(batch.size());
  if (options_.snapshot_every > 0 && entries_since_snapshot_ >= options_.snapshot_every) {
    entries_since_snapshot_ = 0;
    {
      std::lock_guard lock(snapshot_request_mu_);
      snapshot_requested_ = true;
    }
    snapshot_request_cv_.notify_one();
  }
}

void StateStore::snapshot_loop() {
  while (true) {
    {
      std::unique_lock lock(snapshot_request_mu_);
      snapshot_request_cv_.wait(lock, [&] { return snapshot_requested_ || snapshot_stopping_; });
      if (snapshot_stopping_) return;
      snapshot_requested_ = false;
    }
    // TODO(state): report a failed background snapshot through the logger and
    // a metric once core has them; the log simply stays longer meanwhile.
    (void)write_snapshot_of(current());
  }
}

Status StateStore::write_snapshot() { return write_snapshot_of(current()); }

Status StateStore::write_snapshot_of(const SnapshotPtr& snapshot) {
  std::lock_guard lock(snapshot_mu_);
  int64_t index = snapshot->index();
  if (index == 0) return Status::ok();
  int64_t latest = CARAVAN_TRY(log_->latest_snapshot());
  if (latest >= index) return Status::ok();
  std::unique_ptr<SnapshotSink> sink = CARAVAN_TRY(log_->create_snapshot(index));
  CARAVAN_RETURN_IF_ERROR(internal::encode_state(snapshot->tables(), *sink));
  CARAVAN_RETURN_IF_ERROR(sink->commit());
  CARAVAN_RETURN_IF_ERROR(log_->truncate_before(index + 1));
  std::lock_guard stats_lock(current_mu_);
  stats_.snapshots += 1;
  return Status::ok();
}

StateStore::SnapshotPtr StateStore::current() const {
  std::lock_guard lock(current_mu_);
  return current_;
}

StateViewPtr StateStore::snapshot() const { return current(); }
int64_t StateStore::index() const { return current()->index(); }
int64_t StateStore::table_index(Table table) const { return current()->table_index(table); }

int64_t StateStore::wait_for(Table table, int64_t min_index,
                             std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(current_mu_);
  changed_cv_.wait_until(lock, deadline,
                         [&] { return current_->table_index(table) > min_index; });
  return current_->table_index(table);
}

StateStoreStats StateStore::stats() const {
  std::lock_guard lock(current_mu_);
  return stats_;
}

}  // namespace caravan::state
