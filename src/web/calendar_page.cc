// The sessions calendar [MISSION D1]: a month, or a week, of sessions laid
// out by day, each with its time, course and places left, linked to its page;
// the months and weeks either side a link away. Everyone sees the sessions
// they would find (open ones; planned and closed too for those who run or
// read the area).
#include <array>
#include <chrono>
#include <map>

#include "service/session_offers.h"
#include "web/format.h"
#include "web/site.h"

namespace trellis::web {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::array<const char*, 7> kWeekdays = {
    "Monday", "Tuesday",  "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday"};

// The Monday of the week holding `day`.
Date MondayOf(Date day) {
  const std::chrono::weekday weekday{sys_days(day)};
  return Date{sys_days(day) - days(weekday.iso_encoding() - 1)};
}

std::string MonthText(std::chrono::year_month month) {
  static constexpr std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return std::string(kMonths.at(static_cast<unsigned>(month.month()) - 1)) +
         " " + std::to_string(static_cast<int>(month.year()));
}

std::string MonthParam(std::chrono::year_month month) {
  const auto m = static_cast<unsigned>(month.month());
  return std::to_string(static_cast<int>(month.year())) + "-" +
         (m < 10 ? "0" : "") + std::to_string(m);
}

// "2027-01" as a month; nullopt for anything else.
std::optional<std::chrono::year_month> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto date = ParseIsoDate(std::string(text) + "-01");
  if (!date) return std::nullopt;
  return std::chrono::year_month{date->year(), date->month()};
}

}  // namespace

void Site::AddCalendarPages() {
  AddPage("GET", "/calendar",
          [this](Store& store, const Visitor& who, const http::Request& request,
                 const http::Params&) {
            return CalendarPage(store, who, request);
          });
}

http::Response Site::CalendarPage(Store& store, const Visitor& who,
                                  const http::Request& request) const {
  const Date today = service_->Today();
  const bool week_view = request.Query("view").value_or("") == "week";
  Date first;
  Date last;
  std::chrono::year_month month{today.year(), today.month()};
  if (auto asked = ParseMonth(request.Query("month").value_or(""))) {
    month = *asked;
  }
  if (week_view) {
    Date from = MondayOf(today);
    if (auto asked = ParseIsoDate(request.Query("week").value_or(""))) {
      from = MondayOf(*asked);
    }
    first = from;
    last = Date{sys_days(from) + days(6)};
    month = {first.year(), first.month()};
  } else {
    first = MondayOf(Date{month / 1});
    const Date month_end{month / std::chrono::last};
    last = Date{sys_days(MondayOf(month_end)) + days(6)};
  }

  service::SessionSearch search;
  search.from = first;
  search.to = last;
  search.window = ListWindow{.limit = 1000, .offset = 0};
  auto offers = service::FindSessions(*service_, store, who.caller,
                                      who.caller.user.person, search);
  if (!offers) return Refused(offers.error(), &who);
  std::map<Date, std::vector<const service::SessionOffer*>> by_day;
  for (const auto& offer : *offers) {
    if (offer.session.parts.empty()) continue;
    by_day[offer.session.parts.front().starts.date].push_back(&offer);
  }

  const bool may_schedule = service::MayManageArea(who.caller);
  Data weeks{Data::type::list};
  for (Date monday = first; monday <= last;
       monday = Date{sys_days(monday) + days(7)}) {
    Data week;
    Data cells{Data::type::list};
    for (int d = 0; d < 7; ++d) {
      const Date day{sys_days(monday) + days(d)};
      Data cell;
      cell.set("day", std::to_string(static_cast<unsigned>(day.day())));
      cell.set("label", LongDate(day));
      cell.set("outside", !week_view && (day.month() != month.month()));
      cell.set("today", day == today);
      // Coordinators schedule from the calendar, today onwards.
      if (may_schedule && day >= today) {
        cell.set("add", "/sessions/new?date=" + FormatIsoDate(day));
      }
      Data sessions{Data::type::list};
      for (const auto* offer : by_day[day]) {
        const CourseSession& s = offer->session;
        Data item;
        item.set("id", s.id);
        item.set("time", TimeOfDay(s.parts.front().starts.minute));
        item.set("course", CourseName(service_->framework(), s.course));
        item.set("left", offer->places.left == 0
                             ? std::string("full")
                             : std::to_string(offer->places.left) + " left");
        if (s.status != SessionStatus::kOpen) {
          item.set("status", SessionStatusLabel(s.status));
        }
        if (offer->booking) {
          item.set("mine", BookingLabel(offer->booking->status).first);
        }
        sessions.push_back(item);
      }
      cell.set("sessions", sessions);
      cell.set("has_sessions", !by_day[day].empty());
      cells.push_back(cell);
    }
    week.set("days", cells);
    weeks.push_back(week);
  }
  Data data;
  Data heads{Data::type::list};
  for (const char* name : kWeekdays) heads.push_back(Data(std::string(name)));
  data.set("weekdays", heads);
  data.set("weeks", weeks);
  data.set("week_view", week_view);
  data.set("count", std::to_string(offers->size()));
  if (week_view) {
    data.set("heading", "Week of " + LongDate(first));
    data.set("previous", "/calendar?view=week&week=" +
                             FormatIsoDate(Date{sys_days(first) - days(7)}));
    data.set("next", "/calendar?view=week&week=" +
                         FormatIsoDate(Date{sys_days(first) + days(7)}));
    data.set("other", "/calendar?month=" + MonthParam(month));
    data.set("other_label", "Show the month");
  } else {
    data.set("heading", MonthText(month));
    data.set("previous",
             "/calendar?month=" + MonthParam(month - std::chrono::months(1)));
    data.set("next",
             "/calendar?month=" + MonthParam(month + std::chrono::months(1)));
    const Date week_of =
        month == std::chrono::year_month{today.year(), today.month()}
            ? today
            : Date{month / 1};
    data.set("other", "/calendar?view=week&week=" + FormatIsoDate(week_of));
    data.set("other_label", "Show a week");
  }
  return Page(200, "Calendar", Render("calendar", data), &who, "/calendar");
}

}  // namespace trellis::web
