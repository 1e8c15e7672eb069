// Reads CSV as HR systems and spreadsheets actually save it (RFC 4180 and its
// common variations): UTF-8 with or without a byte-order mark, CRLF or LF line
// ends, quoted fields holding commas, doubled quotes and line breaks, and
// spaces around unquoted fields. Pure function over text; safe from many
// threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace trellis {

struct CsvRow {
  int line = 0;  // 1-based line of the file where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  // the first row, trimmed
  std::vector<CsvRow> rows;         // every later row that is not blank
};

struct CsvError {
  int line = 0;
  int column = 0;
  std::string message;
};

// Parses `text`. Fails, naming the line and column, on a quote left open at the
// end of the file, text straight after a closing quote, bytes that are not
// UTF-8, an empty file, or a header with an empty or repeated column name.
// Rows may have fewer or more fields than the header; the caller decides.
[[nodiscard]] std::expected<CsvTable, CsvError> ParseCsv(std::string_view text);

// One field as RFC 4180 writes it: in double quotes (doubled inside) when it
// holds a comma, a quote or a line break; as it is otherwise.
std::string CsvField(std::string_view field);

}  // namespace trellis
