#include "store/csv.h"

#include <algorithm>
#include <set>

#include "domain/text.h"

namespace trellis {

std::expected<CsvTable, CsvError> ParseCsv(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());

  auto where = [&](size_t offset) {
    auto [line, column] = LineAndColumn(text, offset);
    CsvError e;
    e.line = line;
    e.column = column;
    return e;
  };
  if (auto bad = InvalidUtf8At(text)) {
    CsvError e = where(*bad);
    e.message = "the file is not UTF-8 text here; save it as CSV UTF-8";
    return std::unexpected(e);
  }

  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  bool quoted = false;     // the current field was quoted
  bool in_quotes = false;  // inside the quotes now
  bool row_started = false;
  int line = 1;
  size_t quote_opened_at = 0;
  auto end_field = [&] {
    row.fields.push_back(quoted ? field : std::string(Trim(field)));
    field.clear();
    quoted = false;
  };
  auto end_row = [&] {
    end_field();
    // Spreadsheets save empty rows as ",,,,": a row of empty fields is blank.
    const bool blank =
        std::all_of(row.fields.begin(), row.fields.end(),
                    [](const std::string& f) { return f.empty(); });
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
    row_started = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!row_started) {
      row.line = line;
      row_started = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!Trim(field).empty() || quoted) {
        CsvError e = where(i);
        e.message =
            quoted ? "text after a closing quote; put the whole field in quotes"
                   : "a quote inside an unquoted field; quote the field and "
                     "double the quote";
        return std::unexpected(e);
      }
      field.clear();  // spaces before an opening quote
      quoted = true;
      in_quotes = true;
      quote_opened_at = i;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: the LF ends the row.
    } else if (c == '\n' || c == '\r') {
      end_row();
      ++line;
    } else if (quoted) {
      if (c != ' ' && c != '\t') {
        CsvError e = where(i);
        e.message = "text after a closing quote; put the whole field in quotes";
        return std::unexpected(e);
      }
    } else {
      field += c;
    }
  }
  if (in_quotes) {
    CsvError e = where(quote_opened_at);
    e.message = "a quote opened here is never closed";
    return std::unexpected(e);
  }
  if (row_started) end_row();

  if (rows.empty())
    return std::unexpected(
        CsvError{1, 1, "the file is empty: expected a header row"});
  CsvTable table;
  table.header = std::move(rows.front().fields);
  std::set<std::string> seen;
  for (size_t i = 0; i < table.header.size(); ++i) {
    table.header[i] = ToLower(Trim(table.header[i]));
    if (table.header[i].empty()) {
      return std::unexpected(CsvError{
          rows.front().line, static_cast<int>(i) + 1,
          "column " + std::to_string(i + 1) + " of the header has no name"});
    }
    if (!seen.insert(table.header[i]).second) {
      return std::unexpected(CsvError{
          rows.front().line, static_cast<int>(i) + 1,
          "column '" + table.header[i] + "' appears twice in the header"});
    }
  }
  table.rows.assign(std::make_move_iterator(rows.begin() + 1),
                    std::make_move_iterator(rows.end()));
  return table;
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace trellis
