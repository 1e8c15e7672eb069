#include "plan/capacity.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

#include "domain/text.h"

namespace trellis::plan {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

bool InNoDelivery(const RollOutPlan& plan, Date day) {
  return std::ranges::any_of(plan.no_delivery, [&](const DateSpan& span) {
    return span.from <= day && day <= span.to;
  });
}

std::string Weeks(double weeks) {
  std::ostringstream out;
  out << weeks;
  return out.str();
}

std::string DayMonth(Date date) {
  static const std::array<const char*, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return std::to_string(static_cast<unsigned>(date.day())) + " " +
         kMonths.at(static_cast<unsigned>(date.month()) - 1) + " " +
         std::to_string(static_cast<int>(date.year()));
}

}  // namespace

CapacityReport WorkOutCapacity(const RollOutPlan& plan,
                               const BankHolidays& holidays) {
  CapacityReport report;
  const Delivery& d = plan.delivery;
  report.sessions_per_week =
      static_cast<int>(d.days.size()) * d.sessions_per_day;
  report.people_per_week =
      report.sessions_per_week * d.people_per_session * (1 - d.non_attendance);
  report.workforce = plan.workforce;
  int cumulative = 0;
  for (const auto& phase : plan.phases) {
    PhaseCapacity c;
    c.name = phase.name;
    c.from = phase.from;
    c.to = phase.to;
    c.stated_weeks = phase.delivery_weeks;
    c.target = phase.target;
    if (phase.delivery_weeks) {
      c.trained = static_cast<int>(
          std::lround(*phase.delivery_weeks * report.people_per_week));
    }
    cumulative += c.trained;
    c.cumulative = cumulative;
    if (phase.target && *phase.target != c.trained) {
      report.findings.push_back(
          {Severity::kWarning, phase.pos,
           phase.name + ": the target is " + std::to_string(*phase.target) +
               " but " + std::to_string(phase.delivery_weeks.value_or(0)) +
               " weeks of delivery train " + std::to_string(c.trained)});
    }
    // Against the calendar: only a span that is one, and not one the loader
    // refused as too long.
    if (phase.from <= phase.to && !d.days.empty() &&
        sys_days{phase.to} - sys_days{phase.from} <= days(kMostPhaseDays)) {
      std::set<int> missing_years;
      for (sys_days day{phase.from}; day <= sys_days{phase.to};
           day += days(1)) {
        const Date date{day};
        if (std::ranges::find(d.days, std::chrono::weekday{day}) ==
            d.days.end()) {
          continue;
        }
        if (!holidays.Covers(date.year())) {
          missing_years.insert(static_cast<int>(date.year()));
        }
        if (const BankHoliday* h = holidays.On(date)) {
          c.holidays.push_back(*h);
          continue;
        }
        if (InNoDelivery(plan, date)) continue;
        ++c.delivery_days;
      }
      c.calendar_weeks = static_cast<double>(c.delivery_days) /
                         static_cast<double>(d.days.size());
      for (const int year : missing_years) {
        report.findings.push_back(
            {Severity::kWarning, phase.pos,
             phase.name + ": the calendar has no bank holidays for " +
                 std::to_string(year) +
                 "; its delivery days are counted without them"});
      }
      if (phase.delivery_weeks && *phase.delivery_weeks > c.calendar_weeks) {
        c.fits = false;
        std::vector<std::string> named;
        for (const auto& h : c.holidays) {
          named.push_back(h.name + " " + DayMonth(h.date));
        }
        report.findings.push_back(
            {Severity::kWarning, phase.pos,
             phase.name + ": " + std::to_string(*phase.delivery_weeks) +
                 " delivery weeks are stated, but " + DayMonth(phase.from) +
                 " to " + DayMonth(phase.to) + " holds " +
                 std::to_string(c.delivery_days) + " delivery days, " +
                 Weeks(c.calendar_weeks) + " weeks" +
                 (named.empty()
                      ? std::string()
                      : " (bank holidays: " + Join(named, ", ") + ")")});
      }
    }
    report.phases.push_back(std::move(c));
  }
  report.total = cumulative;
  return report;
}

std::string FormatCapacity(const RollOutPlan& plan,
                           const CapacityReport& report) {
  std::ostringstream out;
  out << plan.name << "\n";
  out << report.sessions_per_week << " sessions a week x "
      << plan.delivery.people_per_session << " people";
  if (plan.delivery.non_attendance > 0) {
    out << " less " << plan.delivery.non_attendance * 100 << "% not attending";
  }
  out << " = " << report.people_per_week << " trained a week of delivery\n\n";
  out << "phase      from        to          weeks  trained  cumulative  "
         "target  calendar weeks\n";
  for (const auto& p : report.phases) {
    const std::string calendar =
        p.from <= p.to
            ? Weeks(p.calendar_weeks) + (p.fits ? "" : " (does not fit)")
            : "dates are not a span";
    out << std::left << std::setw(11) << p.name << FormatIsoDate(p.from) << "  "
        << FormatIsoDate(p.to) << "  " << std::right << std::setw(5)
        << (p.stated_weeks ? std::to_string(*p.stated_weeks) : "-")
        << std::setw(9) << p.trained << std::setw(12) << p.cumulative
        << std::setw(8) << (p.target ? std::to_string(*p.target) : "-") << "  "
        << calendar << "\n";
  }
  out << "\ntrained by the end: " << report.total << " of " << report.workforce;
  if (report.total < report.workforce) {
    out << " (" << report.workforce - report.total << " short)";
  }
  out << "\n";
  return out.str();
}

}  // namespace trellis::plan
