// The SQLite backend: the embedded default. One file, WAL so readers never
// wait for the writer, synchronous=FULL so a committed transaction survives a
// crash or power cut, and BEGIN IMMEDIATE for every write so writers queue on
// the busy timeout instead of failing half-way through.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sql_store.h"

namespace trellis::store_internal {
namespace {

// How long a writer waits for another to finish before giving up.
constexpr int kBusyTimeoutMs = 10'000;

ErrorCode ClassifySqlite(const soci::soci_error& error) {
  if (const auto* e = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    switch (e->result() & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
      case SQLITE_CANTOPEN:
      case SQLITE_FULL:
      case SQLITE_IOERR:
        return ErrorCode::kUnavailable;
      case SQLITE_CONSTRAINT:
        // The store checks references and uniqueness before it writes, so a
        // constraint the database still catches is a state the checks did
        // not foresee: refuse it as such.
        return ErrorCode::kFailedPrecondition;
      default:
        break;
    }
  }
  return ErrorCode::kInternal;
}

bool InTransaction(soci::session& sql) {
  auto* backend =
      static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
}

}  // namespace

std::expected<std::unique_ptr<Store>, Error> OpenSqlite(const std::string& path,
                                                        OpenMode mode) {
  if (path.empty()) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "sqlite: needs a file path, e.g. sqlite:trellis.db",
              {{"db", "no path"}}});
  }
  if (path.find_first_of("\"'") != std::string::npos) {
    return std::unexpected(
        Error{ErrorCode::kInvalidArgument,
              "database path '" + path + "' contains a quote; choose another",
              {{"db", "quote in path"}}});
  }
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode == OpenMode::kExisting) {
    return std::unexpected(Error{
        ErrorCode::kNotFound,
        "no database at '" + path +
            "'; create it with 'trellis db init --db sqlite:" + path + "'",
        {{"db", "no such file"}}});
  }
  // Every connection of this process counts its memory under one mutex
  // unless told not to; Trellis never asks SQLite how much it uses.
  static const int unmetered =
      sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(unmetered);
  try {
    auto sql = std::make_unique<soci::session>(
        soci::sqlite3,
        "db=\"" + path + "\" timeout=" + std::to_string(kBusyTimeoutMs / 1000));
    *sql << "PRAGMA busy_timeout = " << kBusyTimeoutMs;
    // Switching to WAL needs the file to itself for a moment: a program
    // opening it at the same instant answers "locked" at once, without the
    // busy handler, so wait and ask again as the busy timeout would.
    std::string journal;
    for (int waited = 0;; waited += 10) {
      try {
        *sql << "PRAGMA journal_mode = WAL", soci::into(journal);
        break;
      } catch (const soci::soci_error& e) {
        if (ClassifySqlite(e) != ErrorCode::kUnavailable ||
            waited >= kBusyTimeoutMs) {
          throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (journal != "wal") {
      return std::unexpected(Error{
          ErrorCode::kUnavailable,
          "SQLite could not put '" + path + "' in WAL mode (it answered '" +
              journal + "'); is it on a network file system?",
          {}});
    }
    *sql << "PRAGMA synchronous = FULL";
    *sql << "PRAGMA foreign_keys = ON";
    // SQLite has one writer at a time, whatever the rows. A request's reads
    // share one read transaction (one WAL read lock, not one per statement);
    // a write ends it first.
    const Begin write{
        {"BEGIN IMMEDIATE"},
        WritersTurn(std::filesystem::weakly_canonical(path, ec).string()),
        &InTransaction};
    const Begin read{{"BEGIN"}, nullptr, &InTransaction, /*read_only=*/true};
    return MakeSqlStore(std::move(sql),
                        Dialect{"SQLite", write, write, read, &ClassifySqlite},
                        mode);
  } catch (const soci::soci_error& e) {
    return std::unexpected(
        Error{ClassifySqlite(e),
              "SQLite: cannot open '" + path + "': " + e.get_error_message(),
              {}});
  }
}

}  // namespace trellis::store_internal
