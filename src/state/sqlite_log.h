// SqliteLog: the local durable Log, a SQLite database in the data dir
// (<data_dir>/server/state.db) in WAL mode with synchronous=FULL, so an append
// that returned OK survives kill -9 and power loss. Snapshots are stored in
// chunks beside the log; the state store truncates the log behind them.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>

#include "state/internal/sqlite.h"
#include "state/log.h"

namespace caravan::state {

class SqliteLog final : public Log {
 public:
  // Opens or creates <data_dir>/server/state.db (creating the directories).
  static Result<std::unique_ptr<SqliteLog>> open_data_dir(const std::string& data_dir);
  // Opens or creates the database file at `path`. Fails, naming the file, when
  // it is not a caravan state database or is damaged.
  static Result<std::unique_ptr<SqliteLog>> open(const std::string& path);
  ~SqliteLog() override;

  std::string name() const override { return db_.path(); }
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

 private:
  class Sink;
  struct Statements;

  explicit SqliteLog(internal::SqliteDb db);
  Status init();
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error. mu_ held.
  Status transaction(const std::function<Status()>& body);

  std::mutex mu_;  // one connection: every use is serialised
  internal::SqliteDb db_;
  std::unique_ptr<Statements> stmts_;
  int64_t last_index_ = 0;
  std::atomic<int64_t> appends_{0};
};

}  // namespace caravan::state
