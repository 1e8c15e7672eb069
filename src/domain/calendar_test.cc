#include "domain/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string_view>

namespace trellis {
namespace {

using ::testing::HasSubstr;

Date On(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month},
              std::chrono::day{day}};
}

TEST(ParseIsoDate, ReadsIsoDates) {
  struct Case {
    std::string_view text;
    Date date;
  };
  const Case cases[] = {
      {"2009-04-01", On(2009, 4, 1)},
      {"2011-09-30", On(2011, 9, 30)},
      {"2012-02-29", On(2012, 2, 29)},  // a leap year
      {"2000-02-29", On(2000, 2, 29)},  // divisible by 400: a leap year
      {"1999-12-31", On(1999, 12, 31)},
      {"  2009-04-01\n",
       On(2009, 4, 1)},  // YAML may leave white space around it
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto date = ParseIsoDate(c.text);
    ASSERT_TRUE(date.has_value()) << date.error();
    EXPECT_EQ(*date, c.date);
  }
}

TEST(ParseIsoDate, RejectsDaysNotInTheCalendar) {
  for (std::string_view text :
       {"2010-02-30", "2011-02-29", "1900-02-29", "2010-04-31", "2010-13-01",
        "2010-00-10", "2010-01-00", "2010-01-32"}) {
    SCOPED_TRACE(text);
    auto date = ParseIsoDate(text);
    ASSERT_FALSE(date.has_value());
    EXPECT_THAT(date.error(), HasSubstr("no such day"));
  }
}

TEST(ParseIsoDate, RejectsOtherFormats) {
  for (std::string_view text :
       {"1/2/2020", "01/02/2020", "2020/01/02", "2020-1-02", "2020-01-2",
        "20200102", "2020-01-02T10:00", "2020-01-02 x", "April 2009", "",
        "yyyy-mm-dd", "2020-0a-01", "2020-+1-01", "2020- 1-01"}) {
    SCOPED_TRACE(text);
    auto date = ParseIsoDate(text);
    ASSERT_FALSE(date.has_value());
    EXPECT_THAT(date.error(), HasSubstr("yyyy-mm-dd"));
  }
}

// A leading '-' is not a year: "-020-01-01" is refused.
TEST(ParseIsoDate, RejectsANegativeYear) {
  auto date = ParseIsoDate("-020-01-01");
  EXPECT_FALSE(date.has_value()) << "accepted as " << FormatIsoDate(*date);
}

TEST(FormatIsoDate, WritesFourDigitYearsAndTwoDigitMonthsAndDays) {
  EXPECT_EQ(FormatIsoDate(On(2009, 4, 1)), "2009-04-01");
  EXPECT_EQ(FormatIsoDate(On(987, 12, 31)), "0987-12-31");
  auto date = ParseIsoDate("2011-09-30");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(FormatIsoDate(*date), "2011-09-30");
}

TEST(ParsePeriod, ReadsACountAndAUnit) {
  struct Case {
    std::string_view text;
    Period period;
  };
  const Case cases[] = {
      {"3 years", {3, PeriodUnit::kYears}},
      {"1 year", {1, PeriodUnit::kYears}},
      {"1 week", {1, PeriodUnit::kWeeks}},
      {"2 weeks", {2, PeriodUnit::kWeeks}},
      {"6 months", {6, PeriodUnit::kMonths}},
      {"10 days", {10, PeriodUnit::kDays}},
      {"0 days", {0, PeriodUnit::kDays}},
      {"1000 days", {1000, PeriodUnit::kDays}},
      {"3 Years", {3, PeriodUnit::kYears}},
      {"  2   weeks ", {2, PeriodUnit::kWeeks}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto period = ParsePeriod(c.text);
    ASSERT_TRUE(period.has_value()) << period.error();
    EXPECT_EQ(*period, c.period);
  }
}

TEST(ParsePeriod, RejectsAnythingElseShowingTheAcceptedForms) {
  for (std::string_view text :
       {"3", "years", "three years", "-1 days", "3 fortnights", "3.5 years",
        "+3 years", "3 years ago", "3 yrs", "3 yearss", "3 s", "1001 days",
        "99999999999 days", ""}) {
    SCOPED_TRACE(text);
    auto period = ParsePeriod(text);
    ASSERT_FALSE(period.has_value()) << "accepted as " << FormatPeriod(*period);
    EXPECT_THAT(period.error(), HasSubstr("'3 years'"));
  }
}

TEST(FormatPeriod, WritesSingularAndPlural) {
  EXPECT_EQ(FormatPeriod({1, PeriodUnit::kDays}), "1 day");
  EXPECT_EQ(FormatPeriod({10, PeriodUnit::kDays}), "10 days");
  EXPECT_EQ(FormatPeriod({1, PeriodUnit::kWeeks}), "1 week");
  EXPECT_EQ(FormatPeriod({6, PeriodUnit::kMonths}), "6 months");
  EXPECT_EQ(FormatPeriod({3, PeriodUnit::kYears}), "3 years");
  EXPECT_EQ(FormatPeriod({0, PeriodUnit::kWeeks}), "0 weeks");
}

TEST(FormatPeriod, ReadsBackAsTheSamePeriod) {
  for (PeriodUnit unit : {PeriodUnit::kDays, PeriodUnit::kWeeks,
                          PeriodUnit::kMonths, PeriodUnit::kYears}) {
    for (int count : {0, 1, 2, 12, 1000}) {
      const Period period{count, unit};
      auto again = ParsePeriod(FormatPeriod(period));
      ASSERT_TRUE(again.has_value()) << FormatPeriod(period);
      EXPECT_EQ(*again, period);
    }
  }
}

TEST(AddPeriod, StepsByCalendarUnitsAndClampsToTheMonthEnd) {
  struct Case {
    Date from;
    Period period;
    Date to;
  };
  const Case cases[] = {
      // Months and years clamp to the last day of a shorter month.
      {On(2021, 1, 31), {1, PeriodUnit::kMonths}, On(2021, 2, 28)},
      {On(2020, 1, 31), {1, PeriodUnit::kMonths}, On(2020, 2, 29)},
      {On(2021, 3, 31), {1, PeriodUnit::kMonths}, On(2021, 4, 30)},
      {On(2021, 1, 31), {13, PeriodUnit::kMonths}, On(2022, 2, 28)},
      {On(2021, 10, 31), {2, PeriodUnit::kMonths}, On(2021, 12, 31)},
      {On(2021, 11, 15), {3, PeriodUnit::kMonths}, On(2022, 2, 15)},
      {On(2009, 4, 1), {3, PeriodUnit::kYears}, On(2012, 4, 1)},
      {On(2020, 2, 29), {1, PeriodUnit::kYears}, On(2021, 2, 28)},
      {On(2020, 2, 29), {4, PeriodUnit::kYears}, On(2024, 2, 29)},
      {On(2096, 2, 29),
       {4, PeriodUnit::kYears},
       On(2100, 2, 28)},  // 2100 is not a leap year
      // Days and weeks count days, across month and year ends.
      {On(2020, 2, 28), {1, PeriodUnit::kDays}, On(2020, 2, 29)},
      {On(2021, 2, 28), {1, PeriodUnit::kDays}, On(2021, 3, 1)},
      {On(2021, 12, 31), {1, PeriodUnit::kWeeks}, On(2022, 1, 7)},
      {On(2020, 2, 24), {2, PeriodUnit::kWeeks}, On(2020, 3, 9)},
      {On(2009, 4, 1), {10, PeriodUnit::kDays}, On(2009, 4, 11)},
      {On(2009, 4, 1), {365, PeriodUnit::kDays}, On(2010, 4, 1)},
      // Nothing added, nothing changed.
      {On(2020, 2, 29), {0, PeriodUnit::kDays}, On(2020, 2, 29)},
      {On(2020, 2, 29), {0, PeriodUnit::kMonths}, On(2020, 2, 29)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(FormatIsoDate(c.from) + " + " + FormatPeriod(c.period));
    const Date to = AddPeriod(c.from, c.period);
    EXPECT_TRUE(to.ok());
    EXPECT_EQ(FormatIsoDate(to), FormatIsoDate(c.to));
  }
}

}  // namespace
}  // namespace trellis
