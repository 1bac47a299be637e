// MemoryLog: a Log kept in memory — the hand-written fake the state store's
// tests run against (nothing survives the process). Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <mutex>

#include "state/log.h"

namespace caravan::state {

class MemoryLog final : public Log {
 public:
  std::string name() const override { return "memory log"; }
  Status append(const std::vector<LogRecord>& records) override;
  Result<int64_t> last_index() override;
  Status read_from(int64_t from,
                   const std::function<Status(int64_t, std::string_view)>& fn) override;
  Status truncate_before(int64_t index) override;
  Result<std::unique_ptr<SnapshotSink>> create_snapshot(int64_t index) override;
  Result<int64_t> latest_snapshot() override;
  Status read_snapshot(int64_t index,
                       const std::function<Status(std::string_view)>& fn) override;
  int64_t append_count() const override { return appends_.load(); }

  // How many records are kept (after truncation).
  size_t size_for_test() const;

 private:
  class Sink;

  mutable std::mutex mu_;
  std::map<int64_t, std::string> records_;
  int64_t last_index_ = 0;
  int64_t snapshot_index_ = 0;
  std::vector<std::string> snapshot_;
  std::atomic<int64_t> appends_{0};
};

}  // namespace caravan::state
