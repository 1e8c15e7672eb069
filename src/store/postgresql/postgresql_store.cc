// The PostgreSQL backend: a libpq connection through SOCI, for larger areas
// and several server processes on one database.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <algorithm>
#include <memory>
#include <string>

#include "store/sql_store.h"
#include "store/store.h"

namespace trellis::store_internal {
namespace {

// Every writer takes this transaction-scoped advisory lock first, so writes
// take turns across connections and processes as SQLite's BEGIN IMMEDIATE
// makes them; readers never wait for it.
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7277345001)";

// Long enough for a writer ahead of us; short enough that a stuck one shows.
constexpr const char* kLockTimeout = "SET lock_timeout = '10s'";

ErrorCode ClassifyPostgresql(const soci::soci_error& error) {
  const auto* e = dynamic_cast<const soci::postgresql_soci_error*>(&error);
  if (e == nullptr) {
    return error.get_error_category() == soci::soci_error::connection_error
               ? ErrorCode::kUnavailable
               : ErrorCode::kInternal;
  }
  const std::string state = e->sqlstate();
  if (state == "40001" || state == "40P01") return ErrorCode::kConflict;
  // Connection trouble, too many connections, shutting down, lock timeout.
  if (state.starts_with("08") || state.starts_with("53") ||
      state.starts_with("57") || state == "55P03") {
    return ErrorCode::kUnavailable;
  }
  // A constraint the store's own checks did not foresee.
  if (state.starts_with("23")) return ErrorCode::kFailedPrecondition;
  return ErrorCode::kInternal;
}

}  // namespace

std::expected<std::unique_ptr<Store>, Error> OpenPostgresql(
    const std::string& url, OpenMode mode) {
  try {
    auto sql = std::make_unique<soci::session>(soci::postgresql, url);
    *sql << "SET TIME ZONE 'UTC'";
    *sql << kLockTimeout;
    return MakeSqlStore(
        std::move(sql),
        Dialect{"PostgreSQL",
                // READ COMMITTED whatever the server's
                // default, so each statement after the lock
                // sees what the writer before committed.
                {{"BEGIN ISOLATION LEVEL READ COMMITTED", kWriteLock},
                 WritersTurn(url)},
                {{"BEGIN ISOLATION LEVEL READ COMMITTED"}, nullptr},
                {{"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"}, nullptr},
                &ClassifyPostgresql},
        mode);
  } catch (const soci::soci_error& e) {
    // libpq explains over several lines; an error here is one line.
    std::string why = e.get_error_message();
    std::ranges::replace(why, '\n', ' ');
    while (!why.empty() && why.back() == ' ') why.pop_back();
    return std::unexpected(Error{
        ClassifyPostgresql(e),
        "PostgreSQL: cannot connect to '" + RedactedUrl(url) + "': " + why,
        {{"db", "connection failed"}}});
  }
}

}  // namespace trellis::store_internal
