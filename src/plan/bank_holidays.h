// The bank holidays a plan's delivery days skip: England and Wales, shipped
// as data (calendars/england-and-wales.csv, compiled in) with its source
// named there. Immutable once made; safe from many threads.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "domain/calendar.h"

namespace trellis::plan {

struct BankHoliday {
  Date date;
  std::string name;
};

class BankHolidays {
 public:
  // England and Wales, from the shipped calendar.
  static const BankHolidays& EnglandAndWales();
  // From CSV text with the columns date,name (tests; other calendars).
  static std::optional<BankHolidays> FromCsv(const std::string& text);

  // The holiday on `date`, if it is one.
  const BankHoliday* On(Date date) const;
  // Whether the calendar lists the holidays of `year`.
  bool Covers(std::chrono::year year) const;

 private:
  std::map<Date, BankHoliday> days_;
  std::set<int> years_;
};

}  // namespace trellis::plan
