// What every `trellis` command shares: the global options, the default
// framework, today's date, who is acting, CSV quoting and error reporting.
// Not thread-safe where it reads the environment; commands run one at a time.
#pragma once

#include <expected>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "domain/calendar.h"
#include "domain/error.h"
#include "store/store.h"

namespace trellis::cli {

struct GlobalOptions {
  std::string frameworks_root;           // --frameworks
  std::string db = "sqlite:trellis.db";  // --db, or $TRELLIS_DB
};

// The national outline [001], which local frameworks adapt: the framework a
// command works on when neither --framework nor the area's setting names one.
// $TRELLIS_FRAMEWORK overrides it.
std::string DefaultFramework();

// Today in the local calendar: what "on" means when no --on is given.
Date Today();

// Who the command line acts as, for the record of every change:
// $TRELLIS_ACTOR, else "cli:" and the login name.
std::string CommandLineActor();

// Quotes a CSV field when it needs it (RFC 4180).
std::string Csv(const std::string& field);

// Exit statuses every command shares.
inline constexpr int kRefused = 1;  // refused: an import, not eligible, a
                                    // store error, a broken audit trail
inline constexpr int kUsage = 2;    // wrong arguments, or an unknown id

// Opens the database of --db.
[[nodiscard]] std::expected<std::unique_ptr<Store>, Error> OpenArea(
    const GlobalOptions& global, OpenMode mode);

// A store error's exit status: the database missing or too old is the
// caller's to fix (kUsage); anything else is the store's (kRefused).
int StoreStatus(const Error& e);

// The whole of `file`, or nothing after printing "trellis: cannot read".
std::optional<std::string> ReadTextFile(const std::string& file,
                                        std::ostream& err);

// Prints "trellis: MESSAGE" and returns `status`.
int ReportError(std::ostream& err, const Error& e, int status = 1);

}  // namespace trellis::cli
