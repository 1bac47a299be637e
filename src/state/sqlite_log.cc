#include "state/sqlite_log.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace caravan::state {
namespace {

constexpr int64_t kSchemaVersion = 1;

// WAL + synchronous=FULL: every commit syncs the WAL, so an acknowledged append
// survives power loss, not only a killed process (NORMAL would only sync at
// checkpoints). Group commit in the state store amortises the sync.
constexpr std::string_view kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA journal_size_limit = 67108864;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1);
CREATE TABLE IF NOT EXISTS log (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (idx INTEGER PRIMARY KEY, complete INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot_chunks (
  idx INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (idx, seq));
DELETE FROM snapshot_chunks WHERE idx IN (SELECT idx FROM snapshots WHERE complete = 0);
DELETE FROM snapshots WHERE complete = 0;
)sql";

}  // namespace

struct SqliteLog::Statements {
  internal::SqliteStatement insert_record;
  internal::SqliteStatement read_from;
  internal::SqliteStatement truncate;
  internal::SqliteStatement insert_snapshot;
  internal::SqliteStatement insert_chunk;
  internal::SqliteStatement complete_snapshot;
  internal::SqliteStatement drop_other_chunks;
  internal::SqliteStatement drop_other_snapshots;
  internal::SqliteStatement drop_snapshot_chunks;
  internal::SqliteStatement drop_snapshot;
  internal::SqliteStatement latest_snapshot;
  internal::SqliteStatement read_snapshot;
};

class SqliteLog::Sink final : public SnapshotSink {
 public:
  Sink(SqliteLog& log, int64_t index) : log_(log), index_(index) {}
  ~Sink() override {
    if (committed_) return;
    // Best effort: open() drops incomplete snapshots anyway.
    std::lock_guard lock(log_.mu_);
    (void)log_.stmts_->drop_snapshot_chunks.bind(1, index_);
    (void)log_.stmts_->drop_snapshot_chunks.run();
    (void)log_.stmts_->drop_snapshot.bind(1, index_);
    (void)log_.stmts_->drop_snapshot.run();
  }

  Status write(std::string_view chunk) override {
    // Each chunk commits on its own so that appends are never held up for
    // long; the snapshot only becomes visible at commit().
    std::lock_guard lock(log_.mu_);
    auto& insert = log_.stmts_->insert_chunk;
    CARAVAN_RETURN_IF_ERROR(insert.bind(1, index_));
    CARAVAN_RETURN_IF_ERROR(insert.bind(2, seq_++));
    CARAVAN_RETURN_IF_ERROR(insert.bind_blob(3, chunk));
    return insert.run();
  }

  Status commit() override {
    std::lock_guard lock(log_.mu_);
    Statements& s = *log_.stmts_;
    CARAVAN_RETURN_IF_ERROR(log_.transaction([&]() -> Status {
      CARAVAN_RETURN_IF_ERROR(s.complete_snapshot.bind(1, index_));
      CARAVAN_RETURN_IF_ERROR(s.complete_snapshot.run());
      CARAVAN_RETURN_IF_ERROR(s.drop_other_chunks.bind(1, index_));
      CARAVAN_RETURN_IF_ERROR(s.drop_other_chunks.run());
      CARAVAN_RETURN_IF_ERROR(s.drop_other_snapshots.bind(1, index_));
      return s.drop_other_snapshots.run();
    }));
    committed_ = true;
    if (log_.last_index_ < index_) log_.last_index_ = index_;
    return Status::ok();
  }

 private:
  SqliteLog& log_;
  int64_t index_;
  int64_t seq_ = 0;
  bool committed_ = false;
};

SqliteLog::SqliteLog(internal::SqliteDb db) : db_(std::move(db)) {}
// Statements must be finalised before the connection closes.
SqliteLog::~SqliteLog() { stmts_.reset(); }

Result<std::unique_ptr<SqliteLog>> SqliteLog::open_data_dir(const std::string& data_dir) {
  std::filesystem::path dir = std::filesystem::path(data_dir) / "server";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return internal_error(
        fmt::format("{}: cannot create the state directory: {}", dir.string(), ec.message()));
  }
  return open((dir / "state.db").string());
}

Result<std::unique_ptr<SqliteLog>> SqliteLog::open(const std::string& path) {
  internal::SqliteDb db = CARAVAN_TRY(internal::SqliteDb::open(path));
  std::unique_ptr<SqliteLog> log(new SqliteLog(std::move(db)));
  CARAVAN_RETURN_IF_ERROR(log->init());
  return log;
}

Status SqliteLog::init() {
  CARAVAN_RETURN_IF_ERROR(db_.exec(kSchema));
  auto query_int = [this](std::string_view sql) -> Result<int64_t> {
    internal::SqliteStatement stmt = CARAVAN_TRY(db_.prepare(sql));
    bool row = CARAVAN_TRY(stmt.step());
    return row ? stmt.column_int64(0) : 0;
  };
  int64_t version = CARAVAN_TRY(
      query_int("SELECT value FROM meta WHERE key = 'schema_version'"));
  if (version != kSchemaVersion) {
    return failed_precondition(fmt::format(
        "{}: state database schema version {}, this caravan reads version {}; use a matching "
        "caravan release",
        db_.path(), version, kSchemaVersion));
  }
  int64_t last_record = CARAVAN_TRY(query_int("SELECT COALESCE(MAX(idx), 0) FROM log"));
  int64_t last_snapshot = CARAVAN_TRY(
      query_int("SELECT COALESCE(MAX(idx), 0) FROM snapshots WHERE complete = 1"));
  last_index_ = std::max(last_record, last_snapshot);

  auto prep = [this](std::string_view sql) { return db_.prepare(sql); };
  stmts_.reset(new Statements{
      CARAVAN_TRY(prep("INSERT INTO log (idx, data) VALUES (?, ?)")),
      CARAVAN_TRY(prep("SELECT idx, data FROM log WHERE idx >= ? ORDER BY idx")),
      CARAVAN_TRY(prep("DELETE FROM log WHERE idx < ?")),
      CARAVAN_TRY(prep("INSERT OR REPLACE INTO snapshots (idx, complete) VALUES (?, 0)")),
      CARAVAN_TRY(prep("INSERT OR REPLACE INTO snapshot_chunks (idx, seq, data) VALUES (?, ?, ?)")),
      CARAVAN_TRY(prep("UPDATE snapshots SET complete = 1 WHERE idx = ?")),
      CARAVAN_TRY(prep("DELETE FROM snapshot_chunks WHERE idx <> ?")),
      CARAVAN_TRY(prep("DELETE FROM snapshots WHERE idx <> ?")),
      CARAVAN_TRY(prep("DELETE FROM snapshot_chunks WHERE idx = ?")),
      CARAVAN_TRY(prep("DELETE FROM snapshots WHERE idx = ?")),
      CARAVAN_TRY(prep("SELECT COALESCE(MAX(idx), 0) FROM snapshots WHERE complete = 1")),
      CARAVAN_TRY(prep("SELECT data FROM snapshot_chunks WHERE idx = ? ORDER BY seq")),
  });
  return Status::ok();
}

Status SqliteLog::transaction(const std::function<Status()>& body) {
  CARAVAN_RETURN_IF_ERROR(db_.exec("BEGIN IMMEDIATE"));
  Status status = body();
  if (status.is_ok()) status = db_.exec("COMMIT");
  if (!status.is_ok()) (void)db_.exec("ROLLBACK");
  return status;
}

Status SqliteLog::append(const std::vector<LogRecord>& records) {
  if (records.empty()) return Status::ok();
  std::lock_guard lock(mu_);
  int64_t expected = last_index_ + 1;
  for (const LogRecord& record : records) {
    if (record.index != expected++) {
      return internal_error(fmt::format("{}: append of index {} when the next index is {}",
                                        db_.path(), record.index, last_index_ + 1));
    }
  }
  CARAVAN_RETURN_IF_ERROR(transaction([&]() -> Status {
    auto& insert = stmts_->insert_record;
    for (const LogRecord& record : records) {
      CARAVAN_RETURN_IF_ERROR(insert.bind(1, record.index));
      CARAVAN_RETURN_IF_ERROR(insert.bind_blob(2, record.data));
      CARAVAN_RETURN_IF_ERROR(insert.run());
    }
    return Status::ok();
  }));
  last_index_ = records.back().index;
  appends_.fetch_add(1);
  return Status::ok();
}

Result<int64_t> SqliteLog::last_index() {
  std::lock_guard lock(mu_);
  return last_index_;
}

Status SqliteLog::read_from(int64_t from,
                            const std::function<Status(int64_t, std::string_view)>& fn) {
  std::lock_guard lock(mu_);
  auto& stmt = stmts_->read_from;
  CARAVAN_RETURN_IF_ERROR(stmt.bind(1, from));
  Status status;
  while (status.is_ok()) {
    Result<bool> row = stmt.step();
    if (!row) {
      status = row.error();
    } else if (!*row) {
      break;
    } else {
      status = fn(stmt.column_int64(0), stmt.column_blob(1));
    }
  }
  stmt.reset();
  return status;
}

Status SqliteLog::truncate_before(int64_t index) {
  std::lock_guard lock(mu_);
  CARAVAN_RETURN_IF_ERROR(stmts_->truncate.bind(1, index));
  return stmts_->truncate.run();
}

Result<std::unique_ptr<SnapshotSink>> SqliteLog::create_snapshot(int64_t index) {
  std::lock_guard lock(mu_);
  CARAVAN_RETURN_IF_ERROR(stmts_->drop_snapshot_chunks.bind(1, index));
  CARAVAN_RETURN_IF_ERROR(stmts_->drop_snapshot_chunks.run());
  CARAVAN_RETURN_IF_ERROR(stmts_->insert_snapshot.bind(1, index));
  CARAVAN_RETURN_IF_ERROR(stmts_->insert_snapshot.run());
  return std::unique_ptr<SnapshotSink>(std::make_unique<Sink>(*this, index));
}

Result<int64_t> SqliteLog::latest_snapshot() {
  std::lock_guard lock(mu_);
  auto& stmt = stmts_->latest_snapshot;
  Result<bool> row = stmt.step();
  int64_t index = row && *row ? stmt.column_int64(0) : 0;
  stmt.reset();
  if (!row) return row.error();
  return index;
}

Status SqliteLog::read_snapshot(int64_t index,
                                const std::function<Status(std::string_view)>& fn) {
  std::lock_guard lock(mu_);
  auto& stmt = stmts_->read_snapshot;
  CARAVAN_RETURN_IF_ERROR(stmt.bind(1, index));
  Status status;
  bool any = false;
  while (status.is_ok()) {
    Result<bool> row = stmt.step();
    if (!row) {
      status = row.error();
    } else if (!*row) {
      break;
    } else {
      any = true;
      status = fn(stmt.column_blob(0));
    }
  }
  stmt.reset();
  if (status.is_ok() && !any) {
    return not_found(fmt::format("{}: snapshot at index {} has no data", db_.path(), index));
  }
  return status;
}

}  // namespace caravan::state
