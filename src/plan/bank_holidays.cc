#include "plan/bank_holidays.h"

#include "store/csv.h"

namespace trellis::plan {

// calendars/england-and-wales.csv, compiled in (see CMakeLists.txt).
extern const char* const kEnglandAndWalesCsv;

const BankHolidays& BankHolidays::EnglandAndWales() {
  static const BankHolidays holidays = [] {
    auto made = FromCsv(kEnglandAndWalesCsv);
    // The shipped file is checked by a test; a broken one is a bug.
    return made ? std::move(*made) : BankHolidays{};
  }();
  return holidays;
}

std::optional<BankHolidays> BankHolidays::FromCsv(const std::string& text) {
  auto table = ParseCsv(text);
  if (!table || table->header.size() < 2 || table->header[0] != "date" ||
      table->header[1] != "name") {
    return std::nullopt;
  }
  BankHolidays holidays;
  for (const auto& row : table->rows) {
    if (row.fields.size() < 2) return std::nullopt;
    auto date = ParseIsoDate(row.fields[0]);
    if (!date) return std::nullopt;
    holidays.years_.insert(static_cast<int>(date->year()));
    holidays.days_[*date] = BankHoliday{*date, row.fields[1]};
  }
  return holidays;
}

const BankHoliday* BankHolidays::On(Date date) const {
  const auto it = days_.find(date);
  return it == days_.end() ? nullptr : &it->second;
}

bool BankHolidays::Covers(std::chrono::year year) const {
  return years_.contains(static_cast<int>(year));
}

}  // namespace trellis::plan
