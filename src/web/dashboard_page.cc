// The coordinator's dashboard [MISSION C1, F]: needs by sector and by
// organisation, compliance by module, and take-up of sessions, each as a
// table with a chart drawn from it (Chart.js, with JavaScript) and as CSV and
// XLSX downloads of the same table. Coordinators and auditors.
#include <array>

#include "service/dashboard.h"
#include "web/format.h"
#include "web/site.h"
#include "web/table.h"

namespace trellis::web {
namespace {

constexpr const char* kDone = "#00703c";
constexpr const char* kDueSoon = "#b58800";
constexpr const char* kExpired = "#d4351c";
constexpr const char* kOutstanding = "#1d70b8";

std::string Percent(int value) { return std::to_string(value); }

Table NeedsTable(const std::string& name, const std::string& caption,
                 const std::string& group,
                 const std::vector<service::NeedsRow>& rows) {
  Table table{.name = name,
              .caption = caption,
              .columns = {{group, false, ""},
                          {"People", true, ""},
                          {"Done", true, kDone},
                          {"Refresher due soon", true, kDueSoon},
                          {"Out of date", true, kExpired},
                          {"To do", true, kOutstanding},
                          {"% in date", true, ""}},
              .rows = {}};
  for (const auto& row : rows) {
    table.rows.push_back(
        {row.label, std::to_string(row.people), std::to_string(row.done),
         std::to_string(row.due_soon), std::to_string(row.expired),
         std::to_string(row.outstanding), Percent(row.PercentInDate())});
  }
  return table;
}

// The dashboard's four tables, by name.
std::vector<Table> Tables(const service::Dashboard& board) {
  std::vector<Table> tables;
  tables.push_back(NeedsTable(
      "needs-by-sector",
      "Needs by sector: modules asked of people, by where they stand", "Sector",
      board.by_sector));
  tables.push_back(NeedsTable(
      "needs-by-organisation",
      "Needs by organisation: modules asked of people, by where they stand",
      "Organisation", board.by_organisation));
  Table compliance{.name = "compliance",
                   .caption =
                       "Compliance: how many of those asked to do "
                       "each module are in date",
                   .columns = {{"Module", false, ""},
                               {"Asked of", true, ""},
                               {"In date", true, ""},
                               {"% in date", true, kDone}},
                   .rows = {}};
  for (const auto& row : board.by_module) {
    compliance.rows.push_back({row.key + " " + row.label,
                               std::to_string(row.Asked()),
                               std::to_string(row.done + row.due_soon),
                               Percent(row.PercentInDate())});
  }
  tables.push_back(std::move(compliance));
  Table take_up{.name = "take-up",
                .caption = "Take-up of sessions from " + ShortDate(board.from) +
                           " to " + ShortDate(board.to),
                .columns = {{"Course", false, ""},
                            {"Sessions", true, ""},
                            {"Seats", true, ""},
                            {"Places taken", true, kOutstanding},
                            {"% taken", true, ""},
                            {"Attended", true, kDone},
                            {"Did not attend", true, kExpired},
                            {"Waiting", true, kDueSoon}},
                .rows = {}};
  for (const auto& row : board.take_up) {
    take_up.rows.push_back(
        {row.label, std::to_string(row.sessions), std::to_string(row.seats),
         std::to_string(row.taken), Percent(row.PercentTaken()),
         std::to_string(row.attended), std::to_string(row.no_shows),
         std::to_string(row.waiting)});
  }
  tables.push_back(std::move(take_up));
  return tables;
}

}  // namespace

void Site::AddDashboardPages() {
  AddPage("GET", "/dashboard",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params&) { return DashboardPage(store, who); });
  AddPage("GET", "/dashboard/{file}",
          [this](Store& store, const Visitor& who, const http::Request&,
                 const http::Params& params) {
            return DashboardFile(store, who, std::string(params.Get("file")));
          });
}

http::Response Site::DashboardPage(Store& store, const Visitor& who) const {
  auto board = reports_->DashboardOf(store, who.caller);
  if (!board) return Refused(board.error(), &who);
  Data data;
  data.set("on", LongDate((*board)->on));
  data.set("people", std::to_string((*board)->people));
  static constexpr std::array<const char*, 4> kKinds = {"stacked", "stacked",
                                                        "bar", "grouped"};
  const auto tables = Tables(**board);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    Data table = TableData(tables[i]);
    table.set("chart", std::string(kKinds.at(i)));
    table.set("table_html", Render("table", table));
    std::string key = tables[i].name;
    for (char& c : key) {
      if (c == '-') c = '_';
    }
    data.set(key, Render("table_chart", table));
  }
  return Page(200, "Dashboard", Render("dashboard", data), &who, "/dashboard",
              {}, "", /*charts=*/true);
}

http::Response Site::DashboardFile(Store& store, const Visitor& who,
                                   const std::string& file) const {
  const auto dot = file.rfind('.');
  const std::string name = file.substr(0, dot);
  const std::string kind = dot == std::string::npos ? "" : file.substr(dot + 1);
  auto board = reports_->DashboardOf(store, who.caller);
  if (!board) return Refused(board.error(), &who);
  for (const auto& table : Tables(**board)) {
    if (table.name != name) continue;
    const std::string stamp = FormatIsoDate((*board)->on);
    http::Response response;
    if (kind == "csv") {
      response.content_type = "text/csv; charset=utf-8";
      response.body = Csv(table);
    } else if (kind == "xlsx") {
      auto bytes = Xlsx(table);
      if (!bytes) return Refused(bytes.error(), &who);
      response.content_type =
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      response.body = std::move(*bytes);
    } else {
      break;
    }
    response.headers.emplace_back(
        "Content-Disposition", "attachment; filename=\"trellis-" + name + "-" +
                                   stamp + "." + kind + "\"");
    response.headers.emplace_back("Cache-Control", "private, no-store");
    return response;
  }
  return Problem(404, "Page not found", "There is no such download.", &who);
}

}  // namespace trellis::web
