#include "web/table.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/csv.h"

namespace trellis::web {
namespace {

std::string CsvCell(const std::string& text) {
  // A cell that a spreadsheet would read as a formula is made text: the
  // file may be opened by anyone.
  std::string value = text;
  if (!value.empty() && (value.front() == '=' || value.front() == '+' ||
                         value.front() == '-' || value.front() == '@')) {
    value.insert(value.begin(), '\'');
  }
  return CsvField(value);
}

}  // namespace

Data TableData(const Table& table) {
  Data data;
  data.set("name", table.name);
  data.set("caption", table.caption);
  Data headers{Data::type::list};
  bool charted = false;
  for (const auto& column : table.columns) {
    Data header;
    header.set("label", column.label);
    header.set("numeric", column.numeric);
    SetText(header, "series", column.series);
    charted = charted || !column.series.empty();
    headers.push_back(header);
  }
  data.set("headers", headers);
  data.set("charted", charted);
  Data rows{Data::type::list};
  for (const auto& cells : table.rows) {
    Data row;
    if (!cells.empty()) row.set("head", cells.front());
    Data rest{Data::type::list};
    for (std::size_t i = 1; i < cells.size(); ++i) {
      Data cell;
      cell.set("text", cells[i]);
      cell.set("numeric", i < table.columns.size() && table.columns[i].numeric);
      rest.push_back(cell);
    }
    row.set("cells", rest);
    rows.push_back(row);
  }
  data.set("rows", rows);
  data.set("has_rows", !table.rows.empty());
  return data;
}

std::string Csv(const Table& table) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvCell(cells[i]);
    }
    out += "\r\n";
  };
  std::vector<std::string> headers;
  headers.reserve(table.columns.size());
  for (const auto& column : table.columns) headers.push_back(column.label);
  line(headers);
  for (const auto& row : table.rows) line(row);
  return out;
}

std::expected<std::string, Error> Xlsx(const Table& table) {
  // libxlsxwriter writes to a file: a private one in the temporary folder,
  // read back and removed.
  std::string path =
      (std::filesystem::temp_directory_path() / "trellis-xlsx-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) {
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "no temporary file for the workbook",
                                 {{"xlsx", "no temporary space"}}});
  }
  close(fd);
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) {
    std::filesystem::remove(path);
    return std::unexpected(Error{ErrorCode::kUnavailable,
                                 "the workbook could not be started",
                                 {{"xlsx", "libxlsxwriter refused"}}});
  }
  // Sheet names are at most 31 characters, without []:*?/\.
  std::string sheet = table.name.substr(0, 31);
  for (char& c : sheet) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '-';
  }
  lxw_worksheet* ws = workbook_add_worksheet(book, sheet.c_str());
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c),
                           table.columns[c].label.c_str(), bold);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c),
                         static_cast<lxw_col_t>(c), c == 0 ? 40 : 14, nullptr);
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      const std::string& cell = table.rows[r][c];
      const bool numeric =
          c < table.columns.size() && table.columns[c].numeric && !cell.empty();
      if (numeric) {
        worksheet_write_number(ws, row, static_cast<lxw_col_t>(c),
                               std::strtod(cell.c_str(), nullptr), nullptr);
      } else {
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), cell.c_str(),
                               nullptr);
      }
    }
  }
  const lxw_error closed = workbook_close(book);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  if (closed != LXW_NO_ERROR) {
    return std::unexpected(Error{
        ErrorCode::kUnavailable,
        std::string("the workbook was not written: ") + lxw_strerror(closed),
        {{"xlsx", "not written"}}});
  }
  return bytes.str();
}

}  // namespace trellis::web
