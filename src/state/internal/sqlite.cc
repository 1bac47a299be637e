#include "state/internal/sqlite.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace caravan::state::internal {

void SqliteDb::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void SqliteStatement::Finalizer::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Result<SqliteDb> SqliteDb::open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  SqliteDb db(path, raw);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) return db.error("opening the database");
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Status SqliteDb::exec(std::string_view sql) {
  std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return error(text);
  }
  return Status::ok();
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return error(fmt::format("preparing \"{}\"", sql));
  }
  return SqliteStatement(this, stmt);
}

Status SqliteDb::error(std::string_view what) const {
  sqlite3* db = db_.get();
  const char* message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  std::string text = fmt::format("{}: {}: {} (sqlite error {})", path_, what, message, code);
  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
    text += "; the state database is damaged — restore it from a backup or move it away";
  }
  return internal_error(std::move(text));
}

Status SqliteStatement::bind(int pos, int64_t value) {
  if (sqlite3_bind_int64(stmt_.get(), pos, value) != SQLITE_OK) return db_->error("binding");
  return Status::ok();
}

Status SqliteStatement::bind_blob(int pos, std::string_view value) {
  if (sqlite3_bind_blob64(stmt_.get(), pos, value.data(), value.size(), SQLITE_STATIC) !=
      SQLITE_OK) {
    return db_->error("binding");
  }
  return Status::ok();
}

Result<bool> SqliteStatement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = db_->error(fmt::format("running \"{}\"", sqlite3_sql(stmt_.get())));
  sqlite3_reset(stmt_.get());
  return status;
}

Status SqliteStatement::run() {
  Result<bool> row = step();
  reset();
  if (!row) return row.error();
  return Status::ok();
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int64_t SqliteStatement::column_int64(int col) const {
  return sqlite3_column_int64(stmt_.get(), col);
}

std::string_view SqliteStatement::column_blob(int col) const {
  const void* data = sqlite3_column_blob(stmt_.get(), col);
  int size = sqlite3_column_bytes(stmt_.get(), col);
  if (data == nullptr) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

}  // namespace caravan::state::internal
