// Reads the CSV files HR systems and agencies send (docs/import.md) into
// domain values, checking every field against the framework and naming every
// bad row. Writing is the caller's, all or nothing: a batch with problems must
// not be written. Pure functions; safe from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar.h"
#include "domain/framework.h"
#include "domain/workforce.h"
#include "store/csv.h"

namespace trellis {

enum class ImportKind { kOrganisations, kPeople, kRecords };
std::optional<ImportKind> ParseImportKind(
    std::string_view name);                   // "people", ...
const char* ImportKindName(ImportKind kind);  // as ParseImportKind reads it

// The fields of each kind, in the order of docs/import.md; a file's columns
// carry these names unless mapped.
const std::vector<std::string>& ImportFields(ImportKind kind);

// One thing wrong with one row (line 1 is the header).
struct ImportProblem {
  int line = 0;
  std::string field;
  std::string value;
  std::string reason;
};

// "FILE:LINE: field 'x': value 'y': reason".
std::string FormatImportProblem(const std::string& file,
                                const ImportProblem& problem);

// Which file column holds which field: field name -> column name, from
// `--map COLUMN=FIELD`. Fields not mapped are read from the column of their
// name.
using ColumnMap = std::map<std::string, std::string>;

struct ImportBatch {
  std::vector<Organisation> organisations;
  std::vector<Person> people;
  std::vector<TrainingRecord> records;
  std::vector<ImportProblem>
      problems;  // every bad row; empty when all are good
  // The line each organisation, person or record id was read from, so the
  // store can name the row whose reference it cannot satisfy.
  std::map<std::string, int> lines;
};

// The detail of a check a file states without a date (`it_competent` yes): it
// is dated the day of the import, so a later import of the same file keeps the
// date already on record rather than moving it.
inline constexpr std::string_view kUndatedCheckDetail = "stated by the import";

// Reads every row of `table` as `kind`. `today` dates the checks a file states
// without a date (it_competent). Records get an id made of person, module, date
// and outcome, so importing the same file twice finds the same records.
ImportBatch ReadImport(ImportKind kind, const CsvTable& table,
                       const ColumnMap& columns, const Framework& framework,
                       const Date& today);

}  // namespace trellis
