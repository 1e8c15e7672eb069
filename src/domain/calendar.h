// Dates and periods as the framework files write them: ISO dates ("2009-04-01")
// and periods such as "3 years" or "2 weeks". Pure value types and functions;
// safe for concurrent use.
#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace trellis {

using Date = std::chrono::year_month_day;

// Parses "yyyy-mm-dd". On failure the error says what was expected.
[[nodiscard]] std::expected<Date, std::string> ParseIsoDate(
    std::string_view text);
std::string FormatIsoDate(const Date& date);

// Parses a date as spreadsheets in the UK save it, "dd/mm/yyyy" (or
// "d/m/yyyy"), or as ISO "yyyy-mm-dd". On failure the error says what was
// expected.
[[nodiscard]] std::expected<Date, std::string> ParseUkOrIsoDate(
    std::string_view text);

enum class PeriodUnit { kDays, kWeeks, kMonths, kYears };

// A span of calendar time: "3 years", "2 weeks", "6 months", "10 days".
struct Period {
  int count = 0;
  PeriodUnit unit = PeriodUnit::kDays;

  friend bool operator==(const Period&, const Period&) = default;
};

// Parses "N unit" where unit is day(s), week(s), month(s) or year(s); N >= 0.
[[nodiscard]] std::expected<Period, std::string> ParsePeriod(
    std::string_view text);
std::string FormatPeriod(const Period& period);

// The date `period` after `date`; month and year steps clamp to the month's end
// (31 January + 1 month = 28 or 29 February).
Date AddPeriod(const Date& date, const Period& period);

// A closed range of dates, both ends optional until validated.
struct DateRange {
  std::optional<Date> from;
  std::optional<Date> to;
};

}  // namespace trellis
