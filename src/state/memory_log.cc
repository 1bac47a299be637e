#include "state/memory_log.h"

#include <fmt/format.h>

namespace caravan::state {

class MemoryLog::Sink final : public SnapshotSink {
 public:
  Sink(MemoryLog& log, int64_t index) : log_(log), index_(index) {}
  Status write(std::string_view chunk) override {
    chunks_.emplace_back(chunk);
    return Status::ok();
  }
  Status commit() override {
    std::lock_guard lock(log_.mu_);
    log_.snapshot_index_ = index_;
    log_.snapshot_ = std::move(chunks_);
    if (log_.last_index_ < index_) log_.last_index_ = index_;
    return Status::ok();
  }

 private:
  MemoryLog& log_;
  int64_t index_;
  std::vector<std::string> chunks_;
};

Status MemoryLog::append(const std::vector<LogRecord>& records) {
  std::lock_guard lock(mu_);
  int64_t next = last_index_ + 1;
  for (const LogRecord& record : records) {
    if (record.index != next++) {
      return internal_error(fmt::format("memory log: append of index {} after {}", record.index,
                                        next - 2));
    }
  }
  for (const LogRecord& record : records) records_[record.index] = record.data;
  if (!records.empty()) last_index_ = records.back().index;
  appends_.fetch_add(1);
  return Status::ok();
}

Result<int64_t> MemoryLog::last_index() {
  std::lock_guard lock(mu_);
  return last_index_;
}

Status MemoryLog::read_from(int64_t from,
                            const std::function<Status(int64_t, std::string_view)>& fn) {
  std::map<int64_t, std::string> copy;
  {
    std::lock_guard lock(mu_);
    copy.insert(records_.lower_bound(from), records_.end());
  }
  for (const auto& [index, data] : copy) CARAVAN_RETURN_IF_ERROR(fn(index, data));
  return Status::ok();
}

Status MemoryLog::truncate_before(int64_t index) {
  std::lock_guard lock(mu_);
  records_.erase(records_.begin(), records_.lower_bound(index));
  return Status::ok();
}

Result<std::unique_ptr<SnapshotSink>> MemoryLog::create_snapshot(int64_t index) {
  return std::unique_ptr<SnapshotSink>(std::make_unique<Sink>(*this, index));
}

Result<int64_t> MemoryLog::latest_snapshot() {
  std::lock_guard lock(mu_);
  return snapshot_index_;
}

Status MemoryLog::read_snapshot(int64_t index,
                                const std::function<Status(std::string_view)>& fn) {
  std::vector<std::string> chunks;
  {
    std::lock_guard lock(mu_);
    if (index != snapshot_index_ || index == 0) {
      return not_found(fmt::format("memory log: no snapshot at index {}", index));
    }
    chunks = snapshot_;
  }
  for (const std::string& chunk : chunks) CARAVAN_RETURN_IF_ERROR(fn(chunk));
  return Status::ok();
}

size_t MemoryLog::size_for_test() const {
  std::lock_guard lock(mu_);
  return records_.size();
}

}  // namespace caravan::state
