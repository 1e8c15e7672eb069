// Importing one CSV file of organisations, people or training records
// (docs/import.md) into an area: the one path the command line and the upload
// page share. Reads, checks every row against the framework and the database,
// and writes all or nothing. Safe from many threads when each uses its own
// Store.
#pragma once

#include <expected>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/calendar.h"
#include "domain/error.h"
#include "domain/framework.h"
#include "store/csv.h"
#include "store/import.h"
#include "store/store.h"

namespace trellis::service {

// What an import did, or would do.
struct ImportReport {
  ImportKind kind = ImportKind::kPeople;
  int rows = 0;  // data rows read, the header not counted
  // The rows of `kind` added, changed and unchanged (or that would be, on a
  // dry run); all zero when there are problems.
  WriteCounts counts;
  // Every bad row, sorted by line (line 1 is the header): fields the
  // framework does not allow and references the database cannot satisfy.
  // Empty when the file is good.
  std::vector<ImportProblem> problems;
  // Set when the text is not CSV at all (see ParseCsv); then `rows` is 0 and
  // `problems` is empty.
  std::optional<CsvError> unreadable;
  bool dry_run = false;
  bool written = false;  // the rows were written (there were no problems)

  bool Good() const { return !unreadable && problems.empty(); }
};

// Reads `csv_text` as a file of `kind`, its columns named by `columns` (field
// -> column, see ColumnMap), checks each row against `framework` and the rows
// against what `store` holds, and writes them as `by`, in one transaction,
// when the file is good and not `dry_run`. `today` dates the checks a file
// states without a date. A file with problems has nothing written; its
// problems name every bad row, the good rows' references checked as well
// (when the database cannot answer that check, the rows' own problems are
// still reported). Errors are the store's when the import itself fails
// (kUnavailable, kInternal...); a bad file is a report with `unreadable` or
// `problems`, not an error. Who may import is the caller's to decide.
[[nodiscard]] std::expected<ImportReport, Error> ImportCsv(
    Store& store, const Framework& framework, ImportKind kind,
    std::string_view csv_text, const ColumnMap& columns, const Date& today,
    const Actor& by, bool dry_run);

}  // namespace trellis::service
