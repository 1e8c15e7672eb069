// The Store over SOCI, shared by the SQLite and PostgreSQL backends, which
// differ only in how they connect, begin a write and name their errors. Not
// thread-safe, like every Store. Internal to the store layer: SOCI types never
// leave it.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.h"
#include "store/store.h"

namespace soci {
class session;
class soci_error;
}  // namespace soci

namespace trellis::store_internal {

struct Dialect {
  std::string name;  // "SQLite", "PostgreSQL": for messages
  // The statements that open a write transaction, run in order: each backend
  // makes writers take turns, so read-compare-write is never interleaved.
  std::vector<std::string> begin_write;
  // The statements that open a read-only transaction: one snapshot for
  // several reads.
  std::vector<std::string> begin_read;
  // The trellis error code for a driver error: kUnavailable for "busy" or
  // "cannot connect", kConflict for a serialisation failure, else kInternal.
  ErrorCode (*classify)(const soci::soci_error& error) = nullptr;
};

// One schema migration: `version` from the file name's number.
struct Migration {
  int version = 0;
  std::string name;  // e.g. "0001_workforce"
  std::string sql;
};

// Every migration shipped with this program, in version order (generated from
// src/store/migrations/*.sql at build time).
const std::vector<Migration>& Migrations();

// Splits a migration's text into statements: each ends with a semicolon at the
// end of a line; `--` comment lines are dropped.
std::vector<std::string> SplitStatements(std::string_view sql);

// Brings the schema up to date (kCreate) or checks it is (kExisting), then
// wraps the session as a Store.
[[nodiscard]] std::expected<std::unique_ptr<Store>, Error> MakeSqlStore(
    std::unique_ptr<soci::session> session, Dialect dialect, OpenMode mode);

// Opens an SQLite database file through SOCI: WAL, synchronous=FULL, foreign
// keys on, a busy timeout; writes begin IMMEDIATE.
[[nodiscard]] std::expected<std::unique_ptr<Store>, Error> OpenSqlite(
    const std::string& path, OpenMode mode);
// A PostgreSQL database through libpq; `url` is a postgresql:// URL.
[[nodiscard]] std::expected<std::unique_ptr<Store>, Error> OpenPostgresql(
    const std::string& url, OpenMode mode);

}  // namespace trellis::store_internal
