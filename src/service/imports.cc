#include "service/imports.h"

#include <algorithm>
#include <utility>

namespace trellis::service {
namespace {

const WriteCounts& CountsOf(const ImportResult& result, ImportKind kind) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return result.organisations;
    case ImportKind::kPeople:
      return result.people;
    case ImportKind::kRecords:
      return result.records;
  }
  return result.records;
}

}  // namespace

std::expected<ImportReport, Error> ImportCsv(
    Store& store, const Framework& framework, ImportKind kind,
    std::string_view csv_text, const ColumnMap& columns, const Date& today,
    const Actor& by, bool dry_run) {
  ImportReport report;
  report.kind = kind;
  report.dry_run = dry_run;
  auto table = ParseCsv(csv_text);
  if (!table) {
    report.unreadable = std::move(table.error());
    return report;
  }
  report.rows = static_cast<int>(table->rows.size());
  ImportBatch batch = ReadImport(kind, *table, columns, framework, today);
  if (!batch.problems.empty()) {
    // Check the good rows' references too, so one reading names every bad
    // row. The rows' own problems stand even if the database cannot answer.
    ImportBatch good = batch;
    good.problems.clear();
    report.problems = std::move(batch.problems);
    if (auto checked = store.Import(good, by, /*dry_run=*/true)) {
      report.problems.insert(report.problems.end(), checked->problems.begin(),
                             checked->problems.end());
    }
    std::ranges::stable_sort(report.problems, {}, &ImportProblem::line);
    return report;
  }
  auto result = store.Import(batch, by, dry_run);
  if (!result) return std::unexpected(result.error());
  if (!result->problems.empty()) {
    report.problems = std::move(result->problems);
    return report;
  }
  report.counts = CountsOf(*result, kind);
  report.written = !dry_run;
  return report;
}

}  // namespace trellis::service
