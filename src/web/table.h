// A table of figures as a page shows it, and the same table as a download:
// CSV (RFC 4180, UTF-8) and XLSX (through libxlsxwriter). One description
// serves the page, its chart and both files, so they cannot disagree.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "domain/error.h"
#include "web/pages.h"

namespace trellis::web {

struct Column {
  std::string label;
  bool numeric = false;
  // Drawn in the table's chart as a series of this colour (CSS colour);
  // empty: not drawn.
  std::string series;
};

struct Table {
  std::string name;     // the download's file name, without extension
  std::string caption;  // what the table shows
  std::vector<Column> columns;
  // Each row's cells, as shown; numeric cells hold digits only.
  std::vector<std::vector<std::string>> rows;
};

// The table's data for the `table` template (a caption, headers with their
// series, rows with the first cell as a row header).
Data TableData(const Table& table);

std::string Csv(const Table& table);

// The workbook's bytes: one sheet named after the table, headers in bold,
// numeric cells as numbers. kUnavailable when the workbook cannot be
// written (no temporary space).
[[nodiscard]] std::expected<std::string, Error> Xlsx(const Table& table);

}  // namespace trellis::web
