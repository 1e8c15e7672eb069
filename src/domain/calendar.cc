#include "domain/calendar.h"

#include <array>
#include <charconv>
#include <cstdio>

#include "domain/text.h"

namespace trellis {
namespace {

// Only ASCII digits: from_chars alone would also take a leading '-'.
std::optional<int> ParseDigits(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

}  // namespace

std::expected<Date, std::string> ParseIsoDate(std::string_view text) {
  text = Trim(text);
  const char* const kExpected = "expected a date as yyyy-mm-dd";
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::unexpected(kExpected);
  }
  auto year = ParseDigits(text.substr(0, 4));
  auto month = ParseDigits(text.substr(5, 2));
  auto day = ParseDigits(text.substr(8, 2));
  if (!year || !month || !day) return std::unexpected(kExpected);
  Date date{std::chrono::year{*year},
            std::chrono::month{static_cast<unsigned>(*month)},
            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::unexpected("no such day in the calendar");
  return date;
}

std::expected<Date, std::string> ParseUkOrIsoDate(std::string_view text) {
  text = Trim(text);
  const size_t first = text.find('/');
  if (first == std::string_view::npos) {
    auto iso = ParseIsoDate(text);
    if (iso) return iso;
    return std::unexpected("expected a date as dd/mm/yyyy or yyyy-mm-dd");
  }
  const size_t second = text.find('/', first + 1);
  if (second == std::string_view::npos ||
      text.find('/', second + 1) != std::string_view::npos) {
    return std::unexpected("expected a date as dd/mm/yyyy or yyyy-mm-dd");
  }
  auto day = ParseDigits(text.substr(0, first));
  auto month = ParseDigits(text.substr(first + 1, second - first - 1));
  const std::string_view year_text = text.substr(second + 1);
  auto year = year_text.size() == 4 ? ParseDigits(year_text) : std::nullopt;
  if (!day || !month || !year || first > 2 || second - first - 1 > 2) {
    return std::unexpected("expected a date as dd/mm/yyyy or yyyy-mm-dd");
  }
  Date date{std::chrono::year{*year},
            std::chrono::month{static_cast<unsigned>(*month)},
            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::unexpected("no such day in the calendar");
  return date;
}

std::string FormatIsoDate(const Date& date) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u",
                static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buffer.data();
}

std::expected<Period, std::string> ParsePeriod(std::string_view text) {
  const char* const kExpected =
      "expected a period such as '3 years', '6 months', '2 weeks' or '10 days'";
  auto words = SplitWords(ToLower(Trim(text)));
  if (words.size() != 2) return std::unexpected(kExpected);
  auto count = ParseDigits(words[0]);
  if (!count || *count < 0 || *count > 1000) return std::unexpected(kExpected);
  std::string_view unit = words[1];
  if (unit.ends_with('s')) unit.remove_suffix(1);
  Period period{.count = *count};
  if (unit == "day") {
    period.unit = PeriodUnit::kDays;
  } else if (unit == "week") {
    period.unit = PeriodUnit::kWeeks;
  } else if (unit == "month") {
    period.unit = PeriodUnit::kMonths;
  } else if (unit == "year") {
    period.unit = PeriodUnit::kYears;
  } else {
    return std::unexpected(kExpected);
  }
  return period;
}

std::string FormatPeriod(const Period& period) {
  const char* unit = nullptr;
  switch (period.unit) {
    case PeriodUnit::kDays:
      unit = "day";
      break;
    case PeriodUnit::kWeeks:
      unit = "week";
      break;
    case PeriodUnit::kMonths:
      unit = "month";
      break;
    case PeriodUnit::kYears:
      unit = "year";
      break;
  }
  return std::to_string(period.count) + " " + unit +
         (period.count == 1 ? "" : "s");
}

Date AddPeriod(const Date& date, const Period& period) {
  using std::chrono::days;
  using std::chrono::months;
  using std::chrono::sys_days;
  using std::chrono::years;
  auto clamp = [](Date d) {
    if (d.ok()) return d;
    return Date{d.year() / d.month() / std::chrono::last};
  };
  switch (period.unit) {
    case PeriodUnit::kDays:
      return Date{sys_days{date} + days{period.count}};
    case PeriodUnit::kWeeks:
      return Date{sys_days{date} + days{7 * period.count}};
    case PeriodUnit::kMonths:
      return clamp(date + months{period.count});
    case PeriodUnit::kYears:
      return clamp(date + years{period.count});
  }
  return date;
}

}  // namespace trellis
