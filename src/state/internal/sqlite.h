// Thin RAII wrappers of the SQLite C API for SqliteLog: a connection and a
// prepared statement, whose errors come back as Status naming the database file
// and SQLite's own message. Private to caravan_state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace caravan::state::internal {

class SqliteStatement;

// A connection, used by one thread at a time (the owner serialises access).
class SqliteDb {
 public:
  // Opens (creating when missing) the database file at `path`.
  static Result<SqliteDb> open(const std::string& path);

  SqliteDb(SqliteDb&&) noexcept = default;
  SqliteDb& operator=(SqliteDb&&) noexcept = default;

  const std::string& path() const { return path_; }
  // Runs one or more statements without results.
  Status exec(std::string_view sql);
  Result<SqliteStatement> prepare(std::string_view sql);
  // An error Status for the failing call `what`, with SQLite's message.
  Status error(std::string_view what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  SqliteDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  std::string path_;
  std::unique_ptr<sqlite3, Closer> db_;
};

// A prepared statement of a SqliteDb, which must outlive it and not move.
class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&&) noexcept = default;
  SqliteStatement& operator=(SqliteStatement&&) noexcept = default;

  // Binds parameter `pos` (1-based). A blob is not copied: it must outlive the
  // statement's next step().
  Status bind(int pos, int64_t value);
  Status bind_blob(int pos, std::string_view value);
  // true: a row is ready; false: done.
  Result<bool> step();
  // Steps a statement that returns no rows, then resets it.
  Status run();
  void reset();

  int64_t column_int64(int col) const;
  std::string_view column_blob(int col) const;

 private:
  friend class SqliteDb;
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  const SqliteDb* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace caravan::state::internal
