// The Store over SOCI, shared by the SQLite and PostgreSQL backends, which
// differ only in how they connect, begin a write and name their errors. Not
// thread-safe, like every Store. Internal to the store layer: SOCI types never
// leave it.
#pragma once

#include <expected>
#include <memory>
#include <mutex>
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

// How a transaction is opened: its statements, run in order, and for writes
// the turn this process's writers on the database take first.
struct Begin {
  std::vector<std::string> statements;
  // Held from before the first statement until the transaction ends, so a
  // writer waiting behind another of this process is woken the moment that
  // one commits, where the database's own wait polls. Null for reads.
  std::shared_ptr<std::mutex> turn;
  // Whether the connection is inside a transaction already: the read
  // snapshot a request holds (Store::StartReading). Null where the backend
  // keeps no such snapshot. Given, a read joins the snapshot and a write
  // ends it first.
  bool (*in_transaction)(soci::session& sql) = nullptr;
  bool read_only = false;
};

// The writers' turn of one database in this process: the same mutex for
// every store opened on `database` (a canonical path or a URL).
std::shared_ptr<std::mutex> WritersTurn(const std::string& database);

struct Dialect {
  std::string name;  // "SQLite", "PostgreSQL": for messages
  // Opens a write transaction: each backend makes writers take turns, so
  // read-compare-write is never interleaved.
  Begin begin_write;
  // Opens a write transaction that touches only rows of its own, made safe
  // by the table's keys rather than by taking turns (idempotency keys): on
  // PostgreSQL it waits for no other writer.
  Begin begin_own_rows;
  // Opens a read-only transaction: one snapshot for several reads.
  Begin begin_read;
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
